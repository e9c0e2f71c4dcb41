import { Connection, Model, Schema } from 'mongoose';
import { Projection } from '../projections/projection';
import { StoredEvent } from '../store/event-store';
import { findByIds } from './find-by-ids';
import { upsertNewer, VersionedChange } from './versioned-upsert';

/**
 * A read model of one collection whose documents are kept by version-guarded upserts: a subclass only
 * says which document each event changes (`changesOf`), and inherits idempotent `apply` and `reset`.
 */
export abstract class VersionedReadModel<TDocument> implements Projection {
  abstract readonly name: string;
  protected readonly model: Model<TDocument>;

  protected constructor(connection: Connection, modelName: string, schema: Schema<TDocument>) {
    this.model = (connection.models[modelName] as Model<TDocument>) ?? connection.model<TDocument>(modelName, schema);
  }

  protected abstract changesOf(events: StoredEvent[]): VersionedChange[];

  async apply(events: StoredEvent[]): Promise<void> {
    await upsertNewer(this.model, this.changesOf(events));
  }

  /** The documents with these ids that exist (by `_id`: see find-by-ids.ts). */
  protected findByIds(ids: string[]): Promise<TDocument[]> {
    return findByIds<TDocument>(this.model, ids);
  }

  async reset(): Promise<void> {
    await this.model.deleteMany({});
  }
}
