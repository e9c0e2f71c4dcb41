import { DialogueOpened } from '@cbme/contracts';
import { findByIds, GenerationalCollection, PoisonEventError, Projection, ReadModelGenerations, StoredEvent, upsertNewer } from '@cbme/event-sourcing';
import { LearnerDialogues } from '@cbme/feedback-application';
import { DialogueEvent, DialogueSummary, summarizeDialogue } from '@cbme/feedback-domain';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';

/** One document per learner and school (`_id` `<school>:<learner>`), holding a summary of each of their dialogues. */
interface LearnerDialoguesDocument {
  _id: string;
  schoolId: string;
  learnerId: string;
  dialogues: DialogueSummary[];
}

/** Whose a dialogue is (`_id` `<school>:<dialogue>`): entry events do not say. */
interface DialogueOwnerDocument {
  _id: string;
  learnerId: string;
  version: number;
}

const learnerSchema = new Schema<LearnerDialoguesDocument>(
  { _id: String, schoolId: String, learnerId: String, dialogues: [Object] },
  { versionKey: false, collection: 'learner_dialogues', minimize: false },
);
const ownerSchema = new Schema<DialogueOwnerDocument>({ _id: String, learnerId: String, version: Number }, { versionKey: false, collection: 'learner_dialogues_owners' });

/** documents per bulk write (FerretDB 1.24 never answers an update command of 100 or more: see versioned-upsert.ts) */
const WRITES_PER_BULK = 50;
const learnerKey = (schoolId: string, learnerId: string) => `${schoolId}:${learnerId}`;
const DIALOGUE_EVENT_TYPES = new Set<string>([
  'feedback.dialogue-opened', 'feedback.dialogue-entry-added', 'feedback.dialogue-action-agreed', 'feedback.dialogue-closed', 'feedback.dialogue-reopened',
  'feedback.dialogue-result-referenced', 'feedback.dialogue-action-completed', 'feedback.dialogue-action-dropped',
] satisfies DialogueEvent['type'][]);

/**
 * Each learner's dialogues, summarized per visibility so that every reader's view is computed at query time,
 * from the dialogue streams of this service. A batch reads the learners' documents it touches by `_id`, folds the
 * events into their summaries (each guarded by its dialogue stream's version, so redelivery changes nothing) and
 * writes back the documents that changed. That read-then-write is safe because the projection runner is the
 * single writer (one batch at a time, paused during a rebuild).
 */
@Injectable()
export class LearnerDialoguesProjection implements Projection, LearnerDialogues {
  readonly name = 'learner-dialogues';
  readonly generations: ReadModelGenerations;
  private readonly learners: GenerationalCollection<LearnerDialoguesDocument>;
  private readonly owners: GenerationalCollection<DialogueOwnerDocument>;

  constructor(@InjectConnection() connection: Connection) {
    this.generations = new ReadModelGenerations(connection, this.name);
    this.learners = this.generations.collection('LearnerDialogues', learnerSchema);
    this.owners = this.generations.collection('DialogueOwner', ownerSchema);
  }

  async apply(events: StoredEvent[]): Promise<void> {
    const relevant = events.filter((e) => DIALOGUE_EVENT_TYPES.has(e.type));
    if (relevant.length === 0) return;
    const generation = await this.generations.writerGeneration();
    const [learnerDocs, ownerDocs] = [this.learners.of(generation), this.owners.of(generation)];
    const ownerKey = (e: StoredEvent) => `${e.tenant.schoolId}:${(e.data as { dialogueId: string }).dialogueId}`;
    const owners = new Map<string, string>();
    for (const e of relevant) if (e.type === 'feedback.dialogue-opened') owners.set(ownerKey(e), (e.data as DialogueOpened).learnerId);
    await upsertNewer(ownerDocs, [...owners].map(([id, learnerId]) => ({ id, version: 1, set: { learnerId } })));
    const unknown = [...new Set(relevant.map(ownerKey))].filter((key) => !owners.has(key));
    for (const owner of await findByIds<DialogueOwnerDocument>(ownerDocs, unknown)) owners.set(owner._id, owner.learnerId);

    const touched = new Map<string, { schoolId: string; learnerId: string; batch: StoredEvent[] }>();
    for (const e of relevant) {
      const learnerId = owners.get(ownerKey(e));
      if (!learnerId) throw new PoisonEventError(`dialogue ${ownerKey(e)} was never opened`);
      const key = learnerKey(e.tenant.schoolId, learnerId);
      const learner = touched.get(key) ?? { schoolId: e.tenant.schoolId, learnerId, batch: [] };
      touched.set(key, { ...learner, batch: [...learner.batch, e] });
    }
    const stored = new Map((await findByIds<LearnerDialoguesDocument>(learnerDocs, [...touched.keys()])).map((doc) => [doc._id, doc]));
    const writes = [];
    for (const [key, { schoolId, learnerId, batch }] of touched) {
      const before = stored.get(key);
      const summaries = new Map((before?.dialogues ?? []).map((s) => [s.dialogueId, s]));
      let changed = false;
      // in stream order per dialogue, whatever order the batch came in
      for (const e of [...batch].sort((a, b) => a.streamVersion - b.streamVersion)) {
        const dialogueId = (e.data as { dialogueId: string }).dialogueId;
        const previous = summaries.get(dialogueId) ?? null;
        const next = summarizeDialogue(previous, { event: { type: e.type, data: e.data } as DialogueEvent, at: e.occurredAt, by: e.actor.userId, version: e.streamVersion });
        if (next && next !== previous) {
          summaries.set(dialogueId, next);
          changed = true;
        }
      }
      if (!changed) continue;
      const document = { _id: key, schoolId, learnerId, dialogues: [...summaries.values()] };
      writes.push(before ? { replaceOne: { filter: { _id: key }, replacement: document } } : { insertOne: { document } });
    }
    for (let i = 0; i < writes.length; i += WRITES_PER_BULK) await learnerDocs.bulkWrite(writes.slice(i, i + WRITES_PER_BULK), { ordered: true });
  }

  /** Empties the generation being written (tests that start afresh). */
  async reset(): Promise<void> {
    await this.generations.clearWriter();
  }

  async summariesOf(schoolId: string, learnerId: string): Promise<DialogueSummary[]> {
    const doc = await (await this.learners.live()).findById(learnerKey(schoolId, learnerId)).lean();
    return doc?.dialogues ?? [];
  }
}
