import { Connection, Model, Schema } from 'mongoose';
import { StoredEvent } from '../store/event-store';

/** Where a projection parks an event it cannot apply, with the reason, before moving on. */
export interface DeadLetters {
  park(projection: string, event: StoredEvent, reason: string): Promise<void>;
}

interface DeadLetterDocument {
  _id: string;
  projection: string;
  event: StoredEvent;
  reason: string;
  parkedAt: Date;
}

const deadLetterSchema = new Schema<DeadLetterDocument>(
  { _id: String, projection: String, event: Schema.Types.Mixed, reason: String, parkedAt: Date },
  { versionKey: false, autoIndex: false },
);

export class MongoDeadLetters implements DeadLetters {
  readonly model: Model<DeadLetterDocument>;

  constructor(connection: Connection) {
    this.model = (connection.models['dead-letter'] as Model<DeadLetterDocument>) ??
      connection.model<DeadLetterDocument>('dead-letter', deadLetterSchema, 'dead_letters');
  }

  async park(projection: string, event: StoredEvent, reason: string): Promise<void> {
    // keyed by projection + event, so parking the same event twice keeps one record
    await this.model.updateOne(
      { _id: `${projection}:${event.eventId}` },
      { $set: { projection, event, reason, parkedAt: new Date() } },
      { upsert: true },
    );
  }
}

export class InMemoryDeadLetters implements DeadLetters {
  readonly parked: { projection: string; event: StoredEvent; reason: string }[] = [];
  async park(projection: string, event: StoredEvent, reason: string) {
    this.parked.push({ projection, event, reason });
  }
}
