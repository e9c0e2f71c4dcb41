import { Connection, Model, Schema } from 'mongoose';

/** A write refused because a newer lease holder (a higher fencing token) has written since: this runner lost its lease. */
export class FencedOutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FencedOutError';
  }
}

/**
 * Durable progress of one named reader (a projection or the outbox relay) through a store. With a fencing token a
 * save is conditional: refused (FencedOutError) once a holder with a higher token has written, and a position never
 * moves back. Without one (a single process, tests) the save is unconditional.
 */
export interface CheckpointStore {
  load(name: string): Promise<number>;
  save(name: string, position: number, fence?: number): Promise<void>;
  /** Sets the position back (a rebuild from 0 or the abandon of a failed one), still refused to a stale fence. */
  rewind(name: string, position: number, fence?: number): Promise<void>;
}

interface CheckpointDocument {
  _id: string;
  position: number;
  fence?: number;
  updatedAt: Date;
}

const checkpointSchema = new Schema<CheckpointDocument>(
  { _id: String, position: Number, fence: Number, updatedAt: Date },
  { versionKey: false, autoIndex: false },
);

const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000;

export class MongoCheckpointStore implements CheckpointStore {
  private readonly model: Model<CheckpointDocument>;

  constructor(connection: Connection) {
    this.model = (connection.models['checkpoint'] as Model<CheckpointDocument>) ??
      connection.model<CheckpointDocument>('checkpoint', checkpointSchema, 'checkpoints');
  }

  async load(name: string): Promise<number> {
    const doc = await this.model.findById(name).lean();
    return doc?.position ?? 0;
  }

  async save(name: string, position: number, fence?: number): Promise<void> {
    if (fence === undefined) {
      await this.model.updateOne({ _id: name }, { $set: { position, updatedAt: new Date() } }, { upsert: true });
      return;
    }
    await this.fenced(name, { position: { $not: { $gt: position } } }, position, fence);
  }

  async rewind(name: string, position: number, fence?: number): Promise<void> {
    if (fence === undefined) return this.save(name, position);
    await this.fenced(name, {}, position, fence);
  }

  /** One conditional upsert: a document that exists but does not match makes the insert collide on `_id`, a refusal. */
  private async fenced(name: string, condition: object, position: number, fence: number): Promise<void> {
    try {
      await this.model.updateOne(
        { _id: name, fence: { $not: { $gt: fence } }, ...condition },
        { $set: { position, fence, updatedAt: new Date() } },
        { upsert: true },
      );
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const stored = await this.model.findById(name).lean();
      throw new FencedOutError(`checkpoint ${name} refused ${position} under fence ${fence}: it holds ${stored?.position} under fence ${stored?.fence}`);
    }
  }
}

export class InMemoryCheckpointStore implements CheckpointStore {
  private readonly checkpoints = new Map<string, { position: number; fence: number }>();
  async load(name: string) {
    return this.checkpoints.get(name)?.position ?? 0;
  }
  async save(name: string, position: number, fence?: number) {
    const stored = this.checkpoints.get(name);
    if (fence !== undefined && stored && (stored.fence > fence || stored.position > position)) {
      throw new FencedOutError(`checkpoint ${name} refused ${position} under fence ${fence}`);
    }
    this.checkpoints.set(name, { position, fence: fence ?? stored?.fence ?? 0 });
  }
  async rewind(name: string, position: number, fence?: number) {
    const stored = this.checkpoints.get(name);
    if (fence !== undefined && stored && stored.fence > fence) throw new FencedOutError(`checkpoint ${name} refused ${position} under fence ${fence}`);
    this.checkpoints.set(name, { position, fence: fence ?? stored?.fence ?? 0 });
  }
}
