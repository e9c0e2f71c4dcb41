import { CoachAssigned, LearnerTransferred, RelationshipEnded, RelationshipPaused, RelationshipResumed } from '@cbme/contracts';
import { StoredEvent, VersionedChange, VersionedReadModel } from '@cbme/event-sourcing';
import { CurrentCoaches } from '@cbme/feedback-application';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';

type RelationshipStatus = 'active' | 'paused' | 'ended';

interface CurrentCoachDocument {
  _id: string;
  schoolId: string;
  learnerId: string;
  /** null once the relationship ended and no other began */
  coachId: string | null;
  status: RelationshipStatus;
  version: number;
}

const currentCoachSchema = new Schema<CurrentCoachDocument>(
  { _id: String, schoolId: String, learnerId: String, coachId: String, status: String, version: Number },
  { versionKey: false, collection: 'current_coaches' },
);

/** The coaching events that decide who coaches a learner now; all live in the learner's relationship stream. */
export const RELATIONSHIP_EVENT_TYPES = [
  'coaching.coach-assigned', 'coaching.learner-transferred', 'coaching.relationship-paused', 'coaching.relationship-resumed', 'coaching.relationship-ended',
] as const;

/**
 * The learner's coach and relationship status after one event. A paused relationship still counts as
 * current: a pause is a leave, and the same coach comes back to the same learner, so the coach keeps
 * access while it lasts. Only a transfer (to the new coach) or an end (to nobody) changes the current coach.
 */
function afterEvent(event: StoredEvent): { learnerId: string; coachId: string | null; status: RelationshipStatus } | null {
  switch (event.type) {
    case 'coaching.coach-assigned': {
      const { learnerId, coachId } = event.data as CoachAssigned;
      return { learnerId, coachId, status: 'active' };
    }
    case 'coaching.learner-transferred': {
      const { learnerId, toCoachId } = event.data as LearnerTransferred;
      return { learnerId, coachId: toCoachId, status: 'active' };
    }
    case 'coaching.relationship-paused': {
      const { learnerId, coachId } = event.data as RelationshipPaused;
      return { learnerId, coachId, status: 'paused' };
    }
    case 'coaching.relationship-resumed': {
      const { learnerId, coachId } = event.data as RelationshipResumed;
      return { learnerId, coachId, status: 'active' };
    }
    case 'coaching.relationship-ended':
      return { learnerId: (event.data as RelationshipEnded).learnerId, coachId: null, status: 'ended' };
    default:
      return null;
  }
}

/**
 * This service's own copy of who coaches whom now, from coaching events in its inbox (no call to coaching).
 * One document per learner and school, versioned by the learner's relationship stream, so redelivered or
 * replayed events never bring back an older coach.
 */
@Injectable()
export class CurrentCoachesProjection extends VersionedReadModel<CurrentCoachDocument> implements CurrentCoaches {
  readonly name = 'current-coaches';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'CurrentCoach', currentCoachSchema);
  }

  protected changesOf(events: StoredEvent[]): VersionedChange[] {
    const changes: VersionedChange[] = [];
    // Each event sets the whole document; in stream order, the last one of a batch is what remains.
    for (const e of [...events].sort((a, b) => a.streamVersion - b.streamVersion)) {
      const after = afterEvent(e);
      if (after) changes.push({ id: `${e.tenant.schoolId}:${after.learnerId}`, version: e.streamVersion, set: { schoolId: e.tenant.schoolId, ...after } });
    }
    return changes;
  }

  async currentCoachOf(schoolId: string, learnerId: string): Promise<string | null> {
    const doc = await this.model.findById(`${schoolId}:${learnerId}`).lean();
    return doc?.coachId ?? null;
  }
}

interface CoachSpellDocument {
  _id: string;
  schoolId: string;
  learnerId: string;
  coachId: string | null;
  /** when the relationship event happened (its occurredAt: an imported one keeps its date) */
  from: Date;
  version: number;
}

const coachSpellSchema = new Schema<CoachSpellDocument>(
  { _id: String, schoolId: String, learnerId: String, coachId: String, from: Date, version: Number },
  { versionKey: false, collection: 'coach_history' },
);
coachSpellSchema.index({ schoolId: 1, learnerId: 1, from: -1, version: -1 });

/**
 * Who coached whom when: one document per relationship event (the coach after it, from its date), so a history
 * import can judge a record by the coach of its date. Its own projection, so it fills from the inbox's start.
 */
@Injectable()
export class CoachHistoryProjection extends VersionedReadModel<CoachSpellDocument> {
  readonly name = 'coach-history';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'CoachSpell', coachSpellSchema);
  }

  protected changesOf(events: StoredEvent[]): VersionedChange[] {
    return events.flatMap((e): VersionedChange[] => {
      const after = afterEvent(e);
      if (!after) return [];
      const set = { schoolId: e.tenant.schoolId, learnerId: after.learnerId, coachId: after.coachId, from: new Date(e.occurredAt) };
      return [{ id: `${e.tenant.schoolId}:${after.learnerId}:${e.streamVersion}`, version: e.streamVersion, set }];
    });
  }

  /** the coach after the learner's last relationship event at or before `at` (null: none yet, or it had ended) */
  async coachAt(schoolId: string, learnerId: string, at: string): Promise<string | null> {
    const [spell] = await this.model.find({ schoolId, learnerId, from: { $lte: new Date(at) } }).sort({ from: -1, version: -1 }).limit(1).lean();
    return spell?.coachId ?? null;
  }
}
