import { evolveFact, Fact, factKeyOf } from '@cbme/analytics-domain';
import { AnalyticsFacts } from '@cbme/analytics-application';
import { Projection, ReadModelGenerations, StoredEvent, upsertNewer } from '@cbme/event-sourcing';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';

type FactDocument = Omit<Fact, 'key'> & { _id: string };

const factSchema = new Schema<FactDocument>({ _id: String }, { versionKey: false, strict: false, autoIndex: false });

const PARALLEL_READS = 16;

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
  readonly generations: ReadModelGenerations<FactDocument>;

  constructor(@InjectConnection() connection: Connection) {
    this.generations = new ReadModelGenerations(connection, this.name, 'analytics_facts', factSchema);
  }

  async apply(events: StoredEvent[]): Promise<void> {
    const keys = [...new Set(events.map(factKeyOf).filter((k): k is string => k !== null))];
    if (keys.length === 0) return;
    const model = await this.generations.writer();
    const facts = new Map<string, Fact>();
    for (let i = 0; i < keys.length; i += PARALLEL_READS) {
      const docs = await Promise.all(keys.slice(i, i + PARALLEL_READS).map((id) => model.findById(id).lean<FactDocument>()));
      for (const doc of docs) if (doc) facts.set(doc._id, toFact(doc));
    }
    const stored = new Map([...facts].map(([key, fact]) => [key, fact.version]));
    // within a batch, each stream's events in version order (across streams the order does not matter)
    for (const event of [...events].sort((a, b) => a.streamVersion - b.streamVersion)) {
      const key = factKeyOf(event);
      if (!key) continue;
      const next = evolveFact(facts.get(key), event);
      if (next) facts.set(key, next);
    }
    const changed = [...facts.values()].filter((f) => f.version > (stored.get(f.key) ?? 0));
    await upsertNewer(model, changed.map(({ key, ...fact }) => ({ id: key, version: fact.version, set: fact })));
  }

  async reset(): Promise<void> {
    await this.generations.clearWriter();
  }

  async ofSchool(schoolId: string): Promise<Fact[]> {
    const docs = await (await this.generations.live()).find({ schoolId }).lean<FactDocument[]>();
    return docs.map(toFact);
  }
}

const toFact = ({ _id, ...rest }: FactDocument): Fact => ({ ...rest, key: _id }) as Fact;
