import { LEARNER_TIMELINE, LearnerTimeline } from '@cbme/feedback-application';
import { historyAccessStreamId, planStreamId, selfAssessmentStreamId } from '@cbme/feedback-domain';
import { LearnerStreams, LearnerStreamSet } from '@cbme/service-runtime';
import { Inject, Injectable } from '@nestjs/common';

/** streams shared by several learners: only the learner's events of them go in */
const SHARED = /^feedback-assessment-import-/;

/**
 * Feedback's part of a learner's export: their dialogues, goals, plan, self-assessments and history access, whole,
 * and their results from assessment imports one by one. The streams are found in the learner's timeline (this
 * service's own events in it).
 */
@Injectable()
export class FeedbackLearnerStreams implements LearnerStreams {
  constructor(@Inject(LEARNER_TIMELINE) private readonly timeline: LearnerTimeline) {}

  async of(schoolId: string, learnerId: string): Promise<LearnerStreamSet> {
    const items = (await this.timeline.itemsOf(schoolId, learnerId)).filter((item) => item.source === 'feedback');
    const whole = new Set([planStreamId(schoolId, learnerId), selfAssessmentStreamId(schoolId, learnerId), historyAccessStreamId(schoolId, learnerId)]);
    const shared = new Map<string, number[]>();
    for (const { streamId, streamVersion } of items) {
      if (!SHARED.test(streamId)) whole.add(streamId);
      else shared.set(streamId, [...(shared.get(streamId) ?? []), streamVersion]);
    }
    return { whole: [...whole], shared: [...shared].map(([streamId, versions]) => ({ streamId, versions: versions.sort((a, b) => a - b) })) };
  }
}
