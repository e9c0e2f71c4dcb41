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
    const doc = await (await this.live()).findById(`${schoolId}:${learnerId}`).lean();
    return doc?.coachId ?? null;
  }
}

interface CoachSpellDocument {
  _id: string;
  schoolId: string;
  learnerId: string;
  coachId?: string | null;
  /** when the relationship event happened (its occurredAt: an imported one keeps its date) */
  from?: Date;
  /** on the learner's head document: the version of their last relationship event seen */
  head?: number;
  version: number;
}

const coachSpellSchema = new Schema<CoachSpellDocument>(
  { _id: String, schoolId: String, learnerId: String, coachId: String, from: Date, head: Number, version: Number },
  { versionKey: false, collection: 'coach_history' },
);

/** lookups in flight at once (one `_id` each) */
const PARALLEL_LOOKUPS = 16;

type CoachSpell = { coachId: string | null; from: number; version: number };

/**
 * Who coached whom when, so a history import can judge a record by the coach of its date: one document per
 * relationship event (`<school>:<learner>:<version>`: the coach after it, from its date) and one per learner
 * (`<school>:<learner>`: the version of their last such event), so a learner's spells are read by `_id`. Its own
 * projection, so it fills from the inbox's start.
 */
@Injectable()
export class CoachHistoryProjection extends VersionedReadModel<CoachSpellDocument> {
  readonly name = 'coach-history';
  /**
   * an import judges many records of one learner in a row: their spells are read once, and kept while the learner's
   * head (read by `_id` each time) is unchanged, so an instance that does not run this projection answers right too;
   * on the instance that runs it (under one hold, see ReadModelGenerations.holdToken) its own batches drop what they
   * change, so a kept entry needs no read at all
   */
  private readonly recent = new Map<string, { head: number; hold: number | undefined; spells: CoachSpell[] }>();
  /** counts applied batches: a lookup that overlapped one does not keep what it read */
  private applied = 0;

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'CoachSpell', coachSpellSchema);
  }

  protected changesOf(events: StoredEvent[]): VersionedChange[] {
    return events.flatMap((e): VersionedChange[] => {
      const after = afterEvent(e);
      if (!after) return [];
      const learner = `${e.tenant.schoolId}:${after.learnerId}`;
      this.recent.delete(learner);
      const who = { schoolId: e.tenant.schoolId, learnerId: after.learnerId };
      return [
        { id: `${learner}:${e.streamVersion}`, version: e.streamVersion, set: { ...who, coachId: after.coachId, from: new Date(e.occurredAt) } },
        { id: learner, version: e.streamVersion, set: { ...who, head: e.streamVersion } },
      ];
    });
  }

  /** the coach after the learner's last relationship event at or before `at` (null: none yet, or it had ended) */
  async coachAt(schoolId: string, learnerId: string, at: string): Promise<string | null> {
    const until = Date.parse(at);
    const before = (await this.spellsOf(schoolId, learnerId)).filter((s) => s.from <= until);
    before.sort((a, b) => b.from - a.from || b.version - a.version);
    return before[0]?.coachId ?? null;
  }

  override async apply(events: StoredEvent[]): Promise<void> {
    this.applied++;
    try {
      await super.apply(events);
    } finally {
      // after the write too: a lookup that read the learner's old documents during it must not stay kept
      for (const e of events) {
        const after = afterEvent(e);
        if (after) this.recent.delete(`${e.tenant.schoolId}:${after.learnerId}`);
      }
      this.applied++;
    }
  }

  private async spellsOf(schoolId: string, learnerId: string): Promise<CoachSpell[]> {
    const learner = `${schoolId}:${learnerId}`;
    const hold = this.generations.holdToken;
    const kept = this.recent.get(learner);
    if (kept && hold !== undefined && kept.hold === hold) return kept.spells;
    const applied = this.applied;
    const model = await this.live();
    const head = (await model.findById(learner).lean())?.head ?? 0;
    if (kept && kept.head === head) {
      if (this.applied === applied) this.recent.set(learner, { ...kept, hold });
      return kept.spells;
    }
    const spells: CoachSpell[] = [];
    // versions of events that changed no coach (or were not subscribed to) have no document
    for (let from = 1; from <= head; from += PARALLEL_LOOKUPS) {
      const docs = await Promise.all(Array.from({ length: Math.min(PARALLEL_LOOKUPS, head - from + 1) }, (_, i) => model.findById(`${learner}:${from + i}`).lean()));
      for (const doc of docs) if (doc?.from) spells.push({ coachId: doc.coachId ?? null, from: doc.from.getTime(), version: doc.version });
    }
    if (this.applied === applied) this.recent.set(learner, { head, hold, spells });
    return spells;
  }
}
