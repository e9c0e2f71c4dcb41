import { EventStore } from '@cbme/event-sourcing';
import { erasureProposalStreamId, userStreamId } from '@cbme/identity-domain';
import { EVENT_STORE, LearnerStreams, LearnerStreamSet } from '@cbme/service-runtime';
import { Inject, Injectable } from '@nestjs/common';

/** Identity's part of a learner's export: the user's stream (registration, roles, enrolments, graduation), and the school's erasure proposal for them if any. */
@Injectable()
export class IdentityLearnerStreams implements LearnerStreams {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** null unless the user was ever made a learner of this school (this answers "unknown learner" for the export) */
  async of(schoolId: string, learnerId: string): Promise<LearnerStreamSet | null> {
    const streamId = userStreamId(learnerId);
    const events = await this.store.readStream(streamId);
    const learnerHere = events.some((e) => {
      const data = e.data as { schoolId?: string; role?: string };
      return e.type === 'identity.role-granted' && data.schoolId === schoolId && data.role === 'learner';
    });
    if (!learnerHere) return null;
    const proposal = erasureProposalStreamId(schoolId, learnerId);
    const proposed = (await this.store.readStream(proposal, { readAhead: 1 })).length > 0;
    return { whole: proposed ? [streamId, proposal] : [streamId], shared: [] };
  }
}
