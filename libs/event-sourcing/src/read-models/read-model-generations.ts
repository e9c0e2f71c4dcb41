import { Connection, Model, Schema } from 'mongoose';

/**
 * Blue/green generations of one read model. Each generation has its own collections and its own checkpoint, and one
 * document (`read_model_generations`, `_id` = the read model's name) names the live one. Queries read the live
 * generation; a rebuild fills a fresh one while the live one keeps answering, then switches with a single-document
 * update, atomic on any MongoDB-compatible server (no transaction needed).
 *
 * Generation 1 is what a read model had before generations: its collections keep their names and its checkpoint is
 * the read model's name, so an upgrade loses nothing. Generation n > 1 writes `<collection>_g<n>` and checkpoints as
 * `<name>@g<n>`; numbers are never reused, so a generation's checkpoint only ever moves forward.
 *
 * If the process dies during a rebuild, nothing switched: the live generation resumes from its own checkpoint, which
 * the rebuild never touched, and the next rebuild drops the half-built collections.
 */
export interface Generations {
  /** the checkpoint of the generation events are applied to: the one being built during a rebuild, else the live one */
  checkpointName(): Promise<string>;
  /** from now on, applied events go to a fresh generation; the live one keeps serving */
  begin(): Promise<void>;
  /** the fresh generation becomes live */
  complete(): Promise<void>;
  /** the fresh generation is dropped; writes go to the live one again */
  abandon(): Promise<void>;
  /** drops every generation but the live one at once (after an erasure's rebuild: the old one holds the erased text) */
  dropPrevious?(): Promise<void>;
  /** this process runs the read model now, under its lease (see ReadModelGenerations.hold) */
  hold?(): Promise<void>;
  /** it no longer does */
  release?(): void;
}

interface PointerDocument {
  _id: string;
  live: number;
  /** the live generation's checkpoint; absent: the read model's name (generation 1, or a pointer from before) */
  checkpoint?: string;
  /** the highest generation ever begun */
  last?: number;
  switchedAt?: Date;
}

const pointerSchema = new Schema<PointerDocument>(
  { _id: String, live: Number, checkpoint: String, last: Number, switchedAt: Date },
  { versionKey: false, autoIndex: false },
);

/** One collection of a read model, in each of its generations. */
export class GenerationalCollection<TDocument> {
  constructor(
    private readonly generations: ReadModelGenerations,
    private readonly connection: Connection,
    private readonly modelName: string,
    private readonly schema: Schema<TDocument>,
    /** the collection of a generation, when not the default (generation 1 as before, then `<collection>_g<n>`) */
    private readonly named?: (generation: number) => string,
  ) {}

  /** The collection of one generation (a query that reads several collections passes the live generation it looked up once). */
  of(generation: number): Model<TDocument> {
    if (!this.named && generation === 1) return this.first();
    const modelName = this.named ? this.named(generation) : `${this.modelName}_g${generation}`;
    return (this.connection.models[modelName] as Model<TDocument>) ?? this.connection.model<TDocument>(modelName, this.schema, this.collectionName(generation));
  }

  /** The name of a generation's collection (without making its model, which would create the collection). */
  collectionName(generation: number): string {
    if (this.named) return this.named(generation);
    const first = this.first().collection.collectionName;
    return generation === 1 ? first : `${first}_g${generation}`;
  }

  private first(): Model<TDocument> {
    return (this.connection.models[this.modelName] as Model<TDocument>) ?? this.connection.model<TDocument>(this.modelName, this.schema);
  }

  /** The generation queries read (one `_id` read of the pointer, see ReadModelGenerations.liveGeneration). */
  async live(): Promise<Model<TDocument>> {
    return this.of(await this.generations.liveGeneration());
  }

  /** The generation events are applied to: the one being built during a rebuild, else the live one. */
  async writer(): Promise<Model<TDocument>> {
    return this.of(await this.generations.writerGeneration());
  }
}

export class ReadModelGenerations implements Generations {
  private readonly pointers: Model<PointerDocument>;
  private readonly collections: GenerationalCollection<any>[] = [];
  private building: number | undefined;
  /** while this process runs the read model under its lease: the pointer as read then, with a token per hold */
  private held: { token: number; live: number; checkpoint: string } | undefined;
  private holds = 0;

  constructor(
    private readonly connection: Connection,
    /** a function when the owner's name is not known yet (a base class's constructor runs before its subclass's fields) */
    private readonly name: string | (() => string),
  ) {
    this.pointers = (connection.models['read-model-generation'] as Model<PointerDocument>) ??
      connection.model<PointerDocument>('read-model-generation', pointerSchema, 'read_model_generations');
  }

  /** Declares one collection of the read model (in its constructor, before any rebuild). */
  collection<TDocument>(modelName: string, schema: Schema<TDocument>, named?: (generation: number) => string): GenerationalCollection<TDocument> {
    const collection = new GenerationalCollection<TDocument>(this, this.connection, modelName, schema, named);
    this.collections.push(collection);
    return collection;
  }

  /**
   * The generation queries read: one `_id` read of the pointer per call, so that every instance of the service sees a
   * switch at once (only one of them rebuilds). A cache would save that read (about a millisecond) but let another
   * instance read the old generation, frozen at the switch, for as long as it keeps it: a caller that wrote and then
   * reads there would miss its write.
   */
  async liveGeneration(): Promise<number> {
    return (await this.liveCheckpoint()).generation;
  }

  /** The live generation and the name of its checkpoint, from the same one `_id` read of the pointer (none on the holder). */
  async liveCheckpoint(): Promise<{ generation: number; checkpoint: string }> {
    if (this.held) return { generation: this.held.live, checkpoint: this.held.checkpoint };
    const pointer = await this.pointer();
    return { generation: pointer?.live ?? 1, checkpoint: pointer?.checkpoint ?? this.readModelName };
  }

  /**
   * Called by the projection's runner once it holds the lease (its fence written): only the holder switches
   * generations (a rebuild runs there), so until `release` this process knows the pointer without reading it.
   */
  async hold(): Promise<void> {
    const pointer = await this.pointer();
    this.held = { token: ++this.holds, live: pointer?.live ?? 1, checkpoint: pointer?.checkpoint ?? this.readModelName };
  }

  release(): void {
    this.held = undefined;
  }

  /**
   * The same while this process holds the read model without a break, a new one after each hold, undefined when it
   * does not hold it: a cache filled under one token may trust that no other process wrote in the meantime.
   */
  get holdToken(): number | undefined {
    return this.held?.token;
  }

  async writerGeneration(): Promise<number> {
    return this.building ?? (await this.liveGeneration());
  }

  async checkpointName(): Promise<string> {
    if (this.building !== undefined) return this.checkpointOf(this.building);
    return (await this.liveCheckpoint()).checkpoint;
  }

  async begin(): Promise<void> {
    const pointer = await this.pointer();
    const live = pointer?.live ?? 1;
    const last = Math.max(live, pointer?.last ?? live);
    // the generation before the live one (kept for queries that were reading it at the switch) and any half-built one
    await this.dropGenerations(Array.from({ length: last }, (_, i) => i + 1).filter((g) => g !== live));
    const next = last + 1;
    await this.pointers.updateOne({ _id: this.readModelName }, { $max: { last: next }, $setOnInsert: { live } }, { upsert: true });
    this.building = next;
  }

  async complete(): Promise<void> {
    if (this.building === undefined) return;
    const next = this.building;
    await this.pointers.updateOne({ _id: this.readModelName }, { $set: { live: next, checkpoint: this.checkpointOf(next), switchedAt: new Date() } }, { upsert: true });
    this.building = undefined;
    if (this.held) this.held = { ...this.held, live: next, checkpoint: this.checkpointOf(next) };
  }

  async abandon(): Promise<void> {
    if (this.building === undefined) return;
    const dropped = this.building;
    this.building = undefined;
    // a switch whose answer was lost may have happened: never drop what is live (read from the pointer itself)
    const pointer = await this.pointer();
    const live = pointer?.live ?? 1;
    if (this.held) this.held = { ...this.held, live, checkpoint: pointer?.checkpoint ?? this.readModelName };
    if (live !== dropped) await this.dropGenerations([dropped]);
  }

  /** Drops every generation but the live one (after an erasure: the replaced one still holds the erased text). */
  async dropPrevious(): Promise<void> {
    if (this.building !== undefined) return;
    const pointer = await this.pointer();
    const live = pointer?.live ?? 1;
    const last = Math.max(live, pointer?.last ?? live);
    await this.dropGenerations(Array.from({ length: last }, (_, i) => i + 1).filter((g) => g !== live));
  }

  /** Empties the generation being written (tests that start a read model afresh). */
  async clearWriter(): Promise<void> {
    await Promise.all(this.collections.map(async (c) => (await c.writer()).deleteMany({})));
  }

  private get readModelName(): string {
    return typeof this.name === 'string' ? this.name : this.name();
  }

  private checkpointOf(generation: number): string {
    return generation === 1 ? this.readModelName : `${this.readModelName}@g${generation}`;
  }

  private pointer(): Promise<PointerDocument | null> {
    return this.pointers.findById(this.readModelName).lean<PointerDocument>().exec();
  }

  private async dropGenerations(generations: number[]): Promise<void> {
    if (generations.length === 0) return;
    const existing = new Set((await this.connection.listCollections()).map((c) => c.name));
    for (const collection of this.collections) {
      for (const generation of generations) {
        const name = collection.collectionName(generation);
        if (existing.has(name)) await this.connection.dropCollection(name);
      }
    }
  }
}
