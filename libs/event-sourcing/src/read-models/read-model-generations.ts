import { Connection, Model, Schema } from 'mongoose';

/**
 * Blue/green generations of one read model: each generation is its own collection (`<prefix>_g<n>`), and one
 * document (`read_model_generations`, `_id` = the read model's name) names the live one. Queries read the live
 * generation; a rebuild writes a fresh generation while the live one keeps answering, then switches with a
 * single-document update, which is atomic on any MongoDB-compatible server (no transaction needed).
 *
 * If the process dies during a rebuild, nothing switched: the live generation resumes from the projection's
 * checkpoint (its upserts are version-guarded, so re-applying is harmless) and the next rebuild drops the
 * half-built collection.
 */
export interface Generations {
  /** from now on, applied events go to a fresh generation; the live one keeps serving */
  begin(): Promise<void>;
  /** the fresh generation becomes live */
  complete(): Promise<void>;
  /** the fresh generation is dropped; writes go to the live one again */
  abandon(): Promise<void>;
  /** drops every generation but the live one at once (after an erasure's rebuild: the old one holds the erased text) */
  dropPrevious?(): Promise<void>;
}

interface PointerDocument {
  _id: string;
  live: number;
  switchedAt: Date;
}

const pointerSchema = new Schema<PointerDocument>({ _id: String, live: Number, switchedAt: Date }, { versionKey: false, autoIndex: false });

export class ReadModelGenerations<TDocument> implements Generations {
  private readonly pointers: Model<PointerDocument>;
  private building: number | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly name: string,
    private readonly collectionPrefix: string,
    private readonly schema: Schema<TDocument>,
  ) {
    this.pointers = (connection.models['read-model-generation'] as Model<PointerDocument>) ??
      connection.model<PointerDocument>('read-model-generation', pointerSchema, 'read_model_generations');
  }

  async liveGeneration(): Promise<number> {
    return (await this.pointers.findById(this.name).lean())?.live ?? 1;
  }

  /** The generation queries read. */
  async live(): Promise<Model<TDocument>> {
    return this.modelOf(await this.liveGeneration());
  }

  /** The generation events are applied to: the one being built during a rebuild, else the live one. */
  async writer(): Promise<Model<TDocument>> {
    return this.modelOf(this.building ?? (await this.liveGeneration()));
  }

  async begin(): Promise<void> {
    const live = await this.liveGeneration();
    await this.dropAllBut(live);
    this.building = live + 1;
  }

  async complete(): Promise<void> {
    if (this.building === undefined) return;
    const next = this.building;
    await this.pointers.updateOne({ _id: this.name }, { $set: { live: next, switchedAt: new Date() } }, { upsert: true });
    this.building = undefined;
    // the previous generation stays until the next rebuild, for queries still reading it
  }

  async abandon(): Promise<void> {
    if (this.building === undefined) return;
    const dropped = this.building;
    this.building = undefined;
    await this.modelOf(dropped).deleteMany({});
  }

  async dropPrevious(): Promise<void> {
    if (this.building === undefined) await this.dropAllBut(await this.liveGeneration());
  }

  /** Empties the generation being written (a rebuild without blue/green). */
  async clearWriter(): Promise<void> {
    await (await this.writer()).deleteMany({});
  }

  /** The collection of one generation (queries pass the live one they looked up). */
  modelOf(generation: number): Model<TDocument> {
    const modelName = `${this.collectionPrefix}_g${generation}`;
    return (this.connection.models[modelName] as Model<TDocument>) ?? this.connection.model<TDocument>(modelName, this.schema, modelName);
  }

  private async dropAllBut(live: number): Promise<void> {
    const collections = await this.connection.db!.listCollections({}, { nameOnly: true }).toArray();
    const pattern = new RegExp(`^${this.collectionPrefix}_g(\\d+)$`);
    for (const { name } of collections) {
      const generation = Number(pattern.exec(name)?.[1]);
      if (generation && generation !== live) await this.connection.db!.dropCollection(name).catch(() => undefined);
    }
  }
}
