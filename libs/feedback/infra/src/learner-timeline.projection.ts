import { findByIds, GenerationalCollection, insertOnce, Projection, ReadModelGenerations, StoredEvent } from '@cbme/event-sourcing';
import { LearnerTimeline, TimelineItem } from '@cbme/feedback-application';
import { categoryOf, EvidenceCount } from '@cbme/feedback-domain';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Model, Schema } from 'mongoose';

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `subject:<school>:<id>` documents: whose a dialogue or goal is and its competencies, for the events of it that do not
 * say (entries, revisions, status changes). Written once, read by `_id`.
 */
interface SubjectDocument {
  _id: string;
  kind: 'subject';
  schoolId: string;
  learnerId: string;
  competencies: string[];
  version: number;
}

const subjectSchema = new Schema<SubjectDocument>(
  { _id: String, kind: String, schoolId: String, learnerId: String, competencies: [String], version: Number },
  { versionKey: false, collection: 'learner_timeline', minimize: false },
);

/**
 * The items, read by `_id`: per reader (own store or inbox: each document has one writer), school, learner and month
 * of occurrence, one document with that month's items by event id (`items:<reader>:<school>:<learner>:<yyyy-mm>`), and
 * per reader, school and learner one with the months that have items (`months:...`). A learner's timeline is two rounds
 * of lookups by `_id`; a month's document stays far below MongoDB's 16 MB however long the history. Written with
 * `$set` of `items.<eventId>` (an item is a function of its event): no read before a write, and a replay sets the same.
 */
const PAGES = 'learner_timeline_pages';
const monthsDoc = (reader: string, schoolId: string, learnerId: string) => `months:${reader}:${schoolId}:${learnerId}`;
const itemsDoc = (reader: string, schoolId: string, learnerId: string, month: string) => `items:${reader}:${schoolId}:${learnerId}:${month}`;
const READERS = ['own', 'inbox'] as const;
type Reader = (typeof READERS)[number];
type Page = { _id: string; items?: Record<string, TimelineItem>; months?: Record<string, true> };
const pageSchema = new Schema<Page>({ _id: String, items: Schema.Types.Mixed, months: Schema.Types.Mixed }, { versionKey: false, strict: false });
const READ_MODEL_OF: Record<Reader, string> = { own: 'learner-timeline-pages', inbox: 'learner-timeline-pages-inbox' };

/**
 * Each reader's generations (it rebuilds on its own): generation 1 is the collections both readers shared before
 * generations, a later one the reader's own (`<collection>_<reader>_g<n>`).
 */
function generationsOf(connection: Connection, reader: Reader) {
  const generations = new ReadModelGenerations(connection, READ_MODEL_OF[reader]);
  const named = (collection: string) => (generation: number) => generation === 1 ? collection : `${collection}_${reader}_g${generation}`;
  return {
    generations,
    subjects: generations.collection<SubjectDocument>('learner_timeline', subjectSchema, named('learner_timeline')),
    pages: generations.collection<Page>(PAGES, pageSchema, named(PAGES)),
  };
}
type ReaderCollections = { generations: ReadModelGenerations; subjects: GenerationalCollection<SubjectDocument>; pages: GenerationalCollection<Page> };
/** statements per bulk write (FerretDB 1.24 hangs on update commands of 100 statements) */
const WRITES_PER_BULK = 50;

const SUBJECT_OF: Record<string, string> = { dialogue: 'dialogueId', goal: 'goalId', plan: 'planId' };
const str = (v: unknown) => (typeof v === 'string' ? v : null);
const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Everything about each learner across services, from this service's events (and, subclassed, its inbox). */
@Injectable()
export class LearnerTimelineProjection implements Projection, LearnerTimeline {
  readonly name: string = READ_MODEL_OF.own;
  protected readonly source: Reader = 'own';
  /** both readers' collections: a query reads both, each in its live generation */
  private readonly readers: Record<Reader, ReaderCollections>;
  /** months this reader has listed in the collection it writes (one writer): a month is listed once, not with every batch */
  private listed = { collection: '', months: new Set<string>() };

  constructor(@InjectConnection() connection: Connection) {
    this.readers = { own: generationsOf(connection, 'own'), inbox: generationsOf(connection, 'inbox') };
  }

  get generations(): ReadModelGenerations {
    return this.readers[this.source].generations;
  }

  async apply(events: StoredEvent[]): Promise<void> {
    const relevant = events.filter((e) => categoryOf(e.type) !== null);
    if (relevant.length === 0) return;
    const own = this.readers[this.source];
    const generation = await own.generations.writerGeneration();
    const [subjectsModel, pages] = [own.subjects.of(generation), own.pages.of(generation)];
    if (this.listed.collection !== pages.collection.name) this.listed = { collection: pages.collection.name, months: new Set() };
    const subjects = new Map<string, { learnerId: string; competencies: string[] }>();
    // subjects and items never change once written (one per opening event, one per event)
    const subjectDocs: SubjectDocument[] = [];
    for (const e of relevant) {
      const d = e.data as Record<string, unknown>;
      const id = str(d['dialogueId']) ?? str(d['goalId']);
      const opens = e.type === 'feedback.dialogue-opened' || e.type === 'feedback.goal-set' || e.type === 'feedback.goal-drafted';
      if (id && opens) {
        const subject = { learnerId: String(d['learnerId']), competencies: list(d['competencies']) };
        subjects.set(`subject:${e.tenant.schoolId}:${id}`, subject);
        subjectDocs.push({ _id: `subject:${e.tenant.schoolId}:${id}`, kind: 'subject', schoolId: e.tenant.schoolId, ...subject, version: 1 });
      }
    }
    await insertOnce(subjectsModel, subjectDocs);
    const sets = new Map<string, Record<string, unknown>>();
    const set = (id: string, path: string, value: unknown) => sets.set(id, { ...sets.get(id), [path]: value });
    for (const e of relevant) {
      const item = await this.itemOf(e, subjects, subjectsModel);
      if (!item) continue;
      const month = item.at.slice(0, 7);
      set(itemsDoc(this.source, e.tenant.schoolId, item.learnerId, month), `items.${item.eventId}`, item);
      const listing = monthsDoc(this.source, e.tenant.schoolId, item.learnerId);
      if (!this.listed.months.has(`${listing}:${month}`)) set(listing, `months.${month}`, true);
    }
    const writes = [...sets].map(([_id, fields]) => ({ updateOne: { filter: { _id }, update: { $set: fields }, upsert: true } }));
    for (let i = 0; i < writes.length; i += WRITES_PER_BULK) await pages.bulkWrite(writes.slice(i, i + WRITES_PER_BULK) as never[], { ordered: true });
    for (const [id, fields] of sets) if (id.startsWith('months:')) for (const path of Object.keys(fields)) this.listed.months.add(`${id}:${path.slice('months.'.length)}`);
  }

  private async itemOf(e: StoredEvent, subjects: Map<string, { learnerId: string; competencies: string[] }>, stored: Model<SubjectDocument>): Promise<TimelineItem | null> {
    const d = e.data as Record<string, unknown>;
    const category = categoryOf(e.type)!;
    const context = e.type.split('.')[0] as TimelineItem['source'];
    const subjectId = str(d[SUBJECT_OF[category] ?? '']) ?? str(d['resultId']) ?? str(d['meetingId']) ?? str(d['relationshipId']) ?? str(d['assessmentId']) ?? str(d['importId']);
    let learnerId = str(d['learnerId']) ?? (context === 'identity' ? str(d['userId']) : null);
    let competencies = list(d['competencies']);
    if (e.type === 'feedback.self-assessment-recorded') competencies = list((d['ratings'] as { competency: string }[] | undefined)?.map((r) => r.competency));
    const subjectKey = subjectId && (category === 'dialogue' || category === 'goal') ? `subject:${e.tenant.schoolId}:${subjectId}` : null;
    if (subjectKey && (!learnerId || competencies.length === 0)) {
      const subject = subjects.get(subjectKey) ?? (await stored.findById(subjectKey).lean());
      learnerId = learnerId ?? subject?.learnerId ?? null;
      if (competencies.length === 0) competencies = subject?.competencies ?? [];
    }
    if (!learnerId) return null;
    return {
      eventId: e.eventId, type: e.type, category, at: e.occurredAt, recordedAt: e.recordedAt, actor: e.actor, learnerId, subjectId, competencies,
      visibility: d['visibility'] === 'private' ? 'private' : 'shared', source: context, streamId: e.streamId, streamVersion: e.streamVersion,
      data: d, schemaVersion: e.schemaVersion, correlationId: e.correlationId,
    };
  }

  /** this reader's pages only, in the generation it writes (generation 1 is shared; subjects never change) */
  async reset(): Promise<void> {
    this.listed = { collection: '', months: new Set() };
    await (await this.readers[this.source].pages.writer()).deleteMany({ _id: { $regex: `^(items|months):${this.source}:` } });
  }

  async itemsOf(schoolId: string, learnerId: string): Promise<TimelineItem[]> {
    const perReader = await Promise.all(READERS.map(async (reader) => {
      const pages = await this.readers[reader].pages.live();
      const listings = await findByIds<Page>(pages, [monthsDoc(reader, schoolId, learnerId)]);
      return findByIds<Page>(pages, listings.flatMap((listing) => Object.keys(listing.months ?? {}).map((month) => itemsDoc(reader, schoolId, learnerId, month))));
    }));
    return perReader.flat()
      .flatMap((page) => Object.values(page.items ?? {}))
      .sort((a, b) => a.at.localeCompare(b.at) || a.streamId.localeCompare(b.streamId) || a.streamVersion - b.streamVersion);
  }

  /** An admin's report over the whole school (not a page anyone waits on): it reads every page of the school. */
  async evidenceFor(schoolId: string, codes: string[]): Promise<EvidenceCount[]> {
    if (codes.length === 0) return [];
    const pages = (await Promise.all(READERS.map(async (reader) =>
      (await this.readers[reader].pages.live()).find({ _id: { $regex: `^items:${reader}:${escapeRegex(schoolId)}:` } }).lean<Page[]>()))).flat();
    const docs = pages.flatMap((page) => Object.values(page.items ?? {}));
    const asked = new Set(codes);
    const byCode = new Map<string, { items: Map<string, Set<string>>; learners: Set<string> }>();
    for (const doc of docs) {
      // every event of a dialogue or goal carries its codes: count the dialogue or goal once
      const subject = doc.subjectId ?? String(doc.eventId);
      for (const code of (doc.competencies ?? []).filter((c) => asked.has(c))) {
        const entry = byCode.get(code) ?? { items: new Map(), learners: new Set<string>() };
        const category = String(doc.category);
        entry.items.set(category, (entry.items.get(category) ?? new Set()).add(subject));
        entry.learners.add(String(doc.learnerId));
        byCode.set(code, entry);
      }
    }
    return codes.map((code) => {
      const entry = byCode.get(code);
      return { code, items: Object.fromEntries([...(entry?.items ?? new Map<string, Set<string>>())].map(([category, ids]) => [category, ids.size])), learners: entry?.learners.size ?? 0 };
    });
  }
}

/** The same timeline, from the events of coaching and identity in this service's inbox. */
@Injectable()
export class LearnerTimelineInboxProjection extends LearnerTimelineProjection {
  override readonly name = READ_MODEL_OF.inbox;
  protected override readonly source = 'inbox' as const;
}
