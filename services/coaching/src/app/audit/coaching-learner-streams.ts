import { Meetings, MEETINGS } from '@cbme/coaching-application';
import { learnerCoachingStreamId, meetingStreamId } from '@cbme/coaching-domain';
import { LearnerStreams, LearnerStreamSet } from '@cbme/service-runtime';
import { Inject, Injectable } from '@nestjs/common';

/** Coaching's part of a learner's export: their coaching stream (relationships) and every meeting of theirs. */
@Injectable()
export class CoachingLearnerStreams implements LearnerStreams {
  constructor(@Inject(MEETINGS) private readonly meetings: Meetings) {}

  async of(schoolId: string, learnerId: string): Promise<LearnerStreamSet> {
    const meetings = await this.meetings.list(schoolId, { learnerId });
    return { whole: [learnerCoachingStreamId(schoolId, learnerId), ...meetings.map((m) => meetingStreamId(schoolId, m.meetingId))], shared: [] };
  }
}
