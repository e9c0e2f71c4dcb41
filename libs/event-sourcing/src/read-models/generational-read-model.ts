import { Connection, Model, Schema } from 'mongoose';
import { Projection } from '../projections/projection';
import { StoredEvent } from '../store/event-store';
import { ReadModelGenerations } from './read-model-generations';
import { upsertNewer, VersionedChange } from './versioned-upsert';

/**
 * A VersionedReadModel whose rebuilds are blue/green: a rebuild writes a fresh generation while queries keep
 * reading the live one (`live()`), and the switch happens once the fresh one has caught up.
 */
export abstract class GenerationalReadModel<TDocument> implements Projection {
  abstract readonly name: string;
  readonly generations: ReadModelGenerations<TDocument>;

  protected constructor(connection: Connection, name: string, collectionPrefix: string, schema: Schema<TDocument>) {
    this.generations = new ReadModelGenerations(connection, name, collectionPrefix, schema);
  }

  protected abstract changesOf(events: StoredEvent[]): VersionedChange[];

  /** The generation queries read. */
  protected live(): Promise<Model<TDocument>> {
    return this.generations.live();
  }

  async apply(events: StoredEvent[]): Promise<void> {
    await upsertNewer(await this.generations.writer(), this.changesOf(events));
  }

  async reset(): Promise<void> {
    await this.generations.clearWriter();
  }
}
