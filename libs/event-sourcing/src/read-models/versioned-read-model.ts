import { Connection, Model, Schema } from 'mongoose';
import { Projection } from '../projections/projection';
import { StoredEvent } from '../store/event-store';
import { findByIds } from './find-by-ids';
import { GenerationalCollection, ReadModelGenerations } from './read-model-generations';
import { upsertNewer, VersionedChange } from './versioned-upsert';

/**
 * A read model of one collection whose documents are kept by version-guarded upserts: a subclass only says which
 * document each event changes (`changesOf`), and inherits idempotent `apply` and blue/green rebuilds (queries read
 * `live()`, events go to the generation being built). More collections come from `generations.collection`.
 */
export abstract class VersionedReadModel<TDocument> implements Projection {
  abstract readonly name: string;
  readonly generations: ReadModelGenerations;
  protected readonly documents: GenerationalCollection<TDocument>;

  protected constructor(connection: Connection, modelName: string, schema: Schema<TDocument>, named?: (generation: number) => string) {
    this.generations = new ReadModelGenerations(connection, () => this.name);
    this.documents = this.generations.collection(modelName, schema, named);
  }

  protected abstract changesOf(events: StoredEvent[]): VersionedChange[];

  async apply(events: StoredEvent[]): Promise<void> {
    await upsertNewer(await this.documents.writer(), this.changesOf(events));
  }

  /** The collection queries read: the live generation's. */
  protected live(): Promise<Model<TDocument>> {
    return this.documents.live();
  }

  /** The documents with these ids that exist in the live generation (by `_id`: see find-by-ids.ts). */
  protected async findByIds(ids: string[]): Promise<TDocument[]> {
    return findByIds<TDocument>(await this.live(), ids);
  }

  /** Empties the generation being written (tests that start afresh). */
  async reset(): Promise<void> {
    await this.generations.clearWriter();
  }
}
