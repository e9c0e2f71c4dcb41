import { evolveFact, Fact, factKeyOf } from '@cbme/analytics-domain';
import { AnalyticsFacts } from '@cbme/analytics-application';
import { ApplyContext, CheckpointStore, findByIds, GenerationalCollection, MongoCheckpointStore, Projection, ReadModelGenerations, StoredEvent, upsertNewer } from '@cbme/event-sourcing';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';

/** fact records kept in memory between batches (a few hundred bytes each) */
const REMEMBERED_FACTS = 50_000;

type FactDocument = Omit<Fact, 'key'> & { _id: string };

const factSchema = new Schema<FactDocument>({ _id: String }, { versionKey: false, strict: false, autoIndex: false });

/**
 * The fact records of every school, from all services' events in the inbox (see analytics-facts.ts).
 * A batch loads the records its events touch (by `_id`), folds the events with the pure `evolveFact`, and writes
 * the records that changed with version-guarded upserts; this projection is their only writer.
 * Rebuilds are blue/green (a fresh collection generation; queries read the live one until the switch).
 */
@Injectable()
export class AnalyticsFactsProjection implements Projection, AnalyticsFacts {
  /** the name the first analytics read model had; rebuild requests use it */
  readonly name = 'school-activity';
  /** de-identified facts (ids, dates, statuses, counts): an erasure leaves them as they are, and the counts do not change */
  readonly keepsPersonalText = false;
  readonly generations: ReadModelGenerations;
  private readonly facts: GenerationalCollection<FactDocument>;
  /**
   * Each school's facts as last read, with the generation and the live checkpoint's position read before them: a
   * dashboard asks for the same school many times between two changes, and FerretDB answers `find({ schoolId })` only
   * by scanning every school's facts. Another instance (the lease holder) may write them, so an answer is kept only
   * while the checkpoint stays where it was; on the holder, a batch that changes a school's facts also bumps its epoch
   * (its checkpoint may be saved later), so a read that overlapped the change is not kept.
   */
  private readonly bySchool = new Map<string, { seen: Seen; epoch: number; facts: readonly Fact[] }>();
  private readonly epochs = new Map<string, number>();
  /** the schools with facts, kept like bySchool; dropped when a batch brings a school it does not list */
  private knownSchools: { seen: Seen; schools: readonly string[] } | null = null;
  private schoolsEpoch = 0;
  /**
   * The records as this projection last wrote or read them, for the collection it writes, under one lease (fencing
   * token): while it holds the lease it is their only writer, so a batch reads only the records it has not seen
   * (during an import that is almost none, instead of one per event). A new fence means another instance may have
   * written in between, so the records are read again.
   */
  private written: { collection: string; fence: number | undefined; facts: Map<string, Fact> } = { collection: '', fence: undefined, facts: new Map() };
  private readonly checkpoints: CheckpointStore;

  constructor(@InjectConnection() connection: Connection) {
    this.generations = new ReadModelGenerations(connection, this.name);
    this.facts = this.generations.collection('analytics-facts', factSchema, (generation) => `analytics_facts_g${generation}`);
    this.checkpoints = new MongoCheckpointStore(connection);
  }

  async apply(events: StoredEvent[], context?: ApplyContext): Promise<void> {
    const keys = [...new Set(events.map(factKeyOf).filter((k): k is string => k !== null))];
    if (keys.length === 0) return;
    const model = await this.facts.writer();
    if (this.written.collection !== model.collection.name || this.written.fence !== context?.fence) {
      this.written = { collection: model.collection.name, fence: context?.fence, facts: new Map() };
    }
    const known = this.written.facts;
    // a record's version is its stream's: one that this batch begins (version 1) is not stored, unless the batch is
    // replayed, and then its insert collides and upsertNewer writes it again with the version guard
    const begun = new Set(events.filter((e) => e.streamVersion === 1).map(factKeyOf));
    const unseen = keys.filter((key) => !known.has(key) && !begun.has(key));
    const facts = new Map<string, Fact>();
    for (const key of keys) {
      const fact = known.get(key);
      if (fact) facts.set(key, fact);
    }
    for (const doc of await findByIds<FactDocument>(model, unseen)) facts.set(doc._id, toFact(doc));
    const stored = new Map([...facts].map(([key, fact]) => [key, fact.version]));
    // within a batch, each stream's events in version order (across streams the order does not matter)
    for (const event of [...events].sort((a, b) => a.streamVersion - b.streamVersion)) {
      const key = factKeyOf(event);
      if (!key) continue;
      const next = evolveFact(facts.get(key), event);
      if (next) facts.set(key, next);
    }
    const changed = [...facts.values()].filter((f) => f.version > (stored.get(f.key) ?? 0));
    try {
      await upsertNewer(model, changed.map(({ key, ...fact }) => ({ id: key, version: fact.version, set: fact })), stored);
    } catch (error) {
      known.clear(); // what was written is unknown now: the retried batch reads again
      throw error;
    }
    for (const [key, fact] of facts) {
      known.delete(key); // most recently used last
      known.set(key, fact);
    }
    for (const key of known.keys()) {
      if (known.size <= REMEMBERED_FACTS) break;
      known.delete(key);
    }
    for (const schoolId of new Set(changed.map((f) => f.schoolId))) {
      this.epochs.set(schoolId, (this.epochs.get(schoolId) ?? 0) + 1);
      this.bySchool.delete(schoolId);
      if (!this.knownSchools?.schools.includes(schoolId)) {
        this.knownSchools = null;
        this.schoolsEpoch++;
      }
    }
  }

  async reset(): Promise<void> {
    this.written = { collection: '', fence: undefined, facts: new Map() };
    await this.generations.clearWriter();
    this.bySchool.clear();
    this.knownSchools = null;
  }

  async schools(): Promise<string[]> {
    const epoch = this.schoolsEpoch;
    const seen = await this.seen();
    if (this.knownSchools && sameSeen(this.knownSchools.seen, seen)) return [...this.knownSchools.schools];
    const schools = ((await this.facts.of(seen.generation).distinct('schoolId')) as string[]).sort();
    if (this.schoolsEpoch === epoch) this.knownSchools = { seen, schools: Object.freeze([...schools]) };
    return schools;
  }

  /** A school's facts: a fresh array each call, of records frozen because later calls share them. */
  async ofSchool(schoolId: string): Promise<Fact[]> {
    const epoch = this.epochs.get(schoolId) ?? 0;
    const seen = await this.seen();
    const cached = this.bySchool.get(schoolId);
    if (cached && sameSeen(cached.seen, seen) && cached.epoch === epoch) return [...cached.facts];
    const docs = await this.facts.of(seen.generation).find({ schoolId }).lean<FactDocument[]>();
    const facts = Object.freeze(docs.map((doc) => Object.freeze(toFact(doc))));
    if ((this.epochs.get(schoolId) ?? 0) === epoch) this.bySchool.set(schoolId, { seen, epoch, facts });
    return [...facts];
  }

  /**
   * The live generation and what else the answer depends on: on the lease holder its hold (its own batches bump the
   * epochs, nothing to read), elsewhere how far the live checkpoint is (two `_id` reads).
   */
  private async seen(): Promise<Seen> {
    const { generation, checkpoint } = await this.generations.liveCheckpoint();
    const hold = this.generations.holdToken;
    if (hold !== undefined) return { generation, after: `hold ${hold}` };
    return { generation, after: `checkpoint ${await this.checkpoints.load(checkpoint)}` };
  }
}

/** What a cached answer was read after: the live generation, and the hold or checkpoint position. */
interface Seen {
  generation: number;
  after: string;
}

const sameSeen = (a: Seen, b: Seen) => a.generation === b.generation && a.after === b.after;

const toFact = ({ _id, ...rest }: FactDocument): Fact => ({ ...rest, key: _id }) as Fact;
