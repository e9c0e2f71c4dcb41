import { Connection, Model, Schema } from 'mongoose';

/** Durable progress of one named reader (a projection or the outbox relay) through a store. */
export interface CheckpointStore {
  load(name: string): Promise<number>;
  save(name: string, position: number): Promise<void>;
}

interface CheckpointDocument {
  _id: string;
  position: number;
  updatedAt: Date;
}

const checkpointSchema = new Schema<CheckpointDocument>(
  { _id: String, position: Number, updatedAt: Date },
  { versionKey: false, autoIndex: false },
);

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

  async save(name: string, position: number): Promise<void> {
    await this.model.updateOne({ _id: name }, { $set: { position, updatedAt: new Date() } }, { upsert: true });
  }
}

export class InMemoryCheckpointStore implements CheckpointStore {
  private readonly positions = new Map<string, number>();
  async load(name: string) {
    return this.positions.get(name) ?? 0;
  }
  async save(name: string, position: number) {
    this.positions.set(name, position);
  }
}
