import { AssessmentResultRecorded, DialogueEntryAdded, DialogueOpened, SelfAssessmentRecorded } from '@cbme/contracts';
import { ApplyContext, findByIds, GenerationalCollection, GroupedChange, GroupedReadModel, PoisonEventError, StoredEvent, upsertNewer } from '@cbme/event-sourcing';
import { SelfVsOthersInputs } from '@cbme/feedback-application';
import { OtherRatingInput, ResultInput, SelfRatingInput, SelfVsOthersInput } from '@cbme/feedback-domain';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';

type Entry = ({ kind: 'self' } & SelfRatingInput) | ({ kind: 'other' } & OtherRatingInput) | ({ kind: 'result' } & ResultInput);

/** Who a dialogue's people are (`_id` `<school>:<dialogue>`): entry events name only their author. */
interface DialoguePeopleDocument {
  _id: string;
  learnerId: string;
  coachId: string;
  assessorId: string | null;
  version: number;
}
const peopleSchema = new Schema<DialoguePeopleDocument>(
  { _id: String, learnerId: String, coachId: String, assessorId: String, version: Number },
  { versionKey: false, collection: 'self_vs_others_dialogues' },
);

const learnerKey = (schoolId: string, learnerId: string) => `${schoolId}:${learnerId}`;
const TYPES = new Set(['feedback.self-assessment-recorded', 'feedback.dialogue-opened', 'feedback.dialogue-entry-added', 'feedback.assessment-result-recorded']);

/**
 * Per learner and school (`_id` `<school>:<learner>`), every rating the self-vs-others view compares: each competency
 * of each self-assessment, each coach's or assessor's rating in a dialogue entry, each result per competency. Entries
 * are keyed by what they came from, so redelivery and any batch order change nothing; the comparison is computed at
 * query time (`selfVsOthers`), so the threshold and the reader's view are not baked in.
 */
@Injectable()
export class SelfVsOthersProjection extends GroupedReadModel<Entry> implements SelfVsOthersInputs {
  readonly name = 'self-vs-others';
  private readonly people: GenerationalCollection<DialoguePeopleDocument>;
  /** dialogue people read for the batch being applied (`changesOf` is synchronous) */
  private known = new Map<string, DialoguePeopleDocument>();

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'self_vs_others');
    this.people = this.generations.collection('SelfVsOthersDialogue', peopleSchema);
  }

  override async apply(events: StoredEvent[], context?: ApplyContext): Promise<void> {
    const relevant = events.filter((e) => TYPES.has(e.type));
    if (relevant.length === 0) return;
    const dialogueKey = (e: StoredEvent) => `${e.tenant.schoolId}:${(e.data as { dialogueId: string }).dialogueId}`;
    const opened = relevant.filter((e) => e.type === 'feedback.dialogue-opened').map((e) => {
      const d = e.data as DialogueOpened;
      return { _id: dialogueKey(e), learnerId: d.learnerId, coachId: d.coachId, assessorId: d.assessor?.userId ?? null, version: 1 };
    });
    const generation = await this.generations.writerGeneration();
    const people = this.people.of(generation);
    await upsertNewer(people, opened.map(({ _id, version, ...set }) => ({ id: _id, version, set })));
    this.known = new Map(opened.map((p) => [p._id, p]));
    const rated = relevant.filter((e) => e.type === 'feedback.dialogue-entry-added' && (e.data as DialogueEntryAdded).ratings?.length);
    const missing = [...new Set(rated.map(dialogueKey))].filter((key) => !this.known.has(key));
    for (const doc of await findByIds<DialoguePeopleDocument>(people, missing)) this.known.set(doc._id, doc);
    await this.writeChanges(this.groups.of(generation), this.changesOf(relevant), context);
  }

  protected changesOf(events: StoredEvent[]): GroupedChange[] {
    return events.flatMap((e): GroupedChange[] => {
      const { schoolId } = e.tenant;
      switch (e.type) {
        case 'feedback.self-assessment-recorded': {
          const a = e.data as SelfAssessmentRecorded;
          return a.ratings.map((r) => ({
            group: learnerKey(schoolId, a.learnerId), id: `self:${a.assessmentId}:${r.competency}`, version: 1,
            set: { kind: 'self', assessmentId: a.assessmentId, competency: r.competency, level: r.level, at: e.occurredAt, visibility: a.visibility ?? 'shared' },
          }));
        }
        case 'feedback.dialogue-entry-added': {
          const entry = e.data as DialogueEntryAdded;
          if (!entry.ratings?.length) return [];
          const dialogue = this.known.get(`${schoolId}:${entry.dialogueId}`);
          if (!dialogue) throw new PoisonEventError(`dialogue ${schoolId}:${entry.dialogueId} was never opened`);
          // the dialogue's coach, or else its assessor (named, or the external who answered a feedback request)
          const source = entry.authorId === dialogue.coachId ? 'coach' : 'assessor';
          return entry.ratings.map((r) => ({
            group: learnerKey(schoolId, dialogue.learnerId), id: `other:${entry.entryId}:${r.competency}`, version: 1,
            set: { kind: 'other', source, raterId: entry.authorId, dialogueId: entry.dialogueId, entryId: entry.entryId, competency: r.competency, level: r.level, at: e.occurredAt },
          }));
        }
        case 'feedback.assessment-result-recorded': {
          const r = e.data as AssessmentResultRecorded;
          return r.competencies.map((competency) => ({
            group: learnerKey(schoolId, r.learnerId), id: `result:${r.resultId}:${competency}`, version: 1,
            set: { kind: 'result', resultId: r.resultId, competency, instrument: r.instrument, score: r.score, maxScore: r.maxScore, assessedOn: r.assessedOn },
          }));
        }
        default:
          return [];
      }
    });
  }

  async inputsOf(schoolId: string, learnerId: string): Promise<SelfVsOthersInput> {
    const [entries] = await this.entriesOf([learnerKey(schoolId, learnerId)]);
    const input: SelfVsOthersInput = { self: [], others: [], results: [] };
    for (const { kind, ...entry } of entries) {
      if (kind === 'self') input.self.push(entry as SelfRatingInput);
      else if (kind === 'other') input.others.push(entry as OtherRatingInput);
      else input.results.push(entry as ResultInput);
    }
    // stored in the order events arrived; sorted, so a rebuild reads the same as the live model
    input.self.sort((a, b) => a.at.localeCompare(b.at) || a.assessmentId.localeCompare(b.assessmentId) || a.competency.localeCompare(b.competency));
    input.others.sort((a, b) => a.at.localeCompare(b.at) || a.entryId.localeCompare(b.entryId) || a.competency.localeCompare(b.competency));
    input.results.sort((a, b) => a.assessedOn.localeCompare(b.assessedOn) || a.resultId.localeCompare(b.resultId) || a.competency.localeCompare(b.competency));
    return input;
  }
}
