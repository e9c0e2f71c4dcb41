import { Connection, Model, Schema } from 'mongoose';
import { deadLettersParked } from '../instrumentation/kernel-signals';
import { StoredEvent } from '../store/event-store';

/** Where a projection parks an event it cannot apply, with the reason, before moving on. */
export interface DeadLetters {
  park(projection: string, event: StoredEvent, reason: string): Promise<void>;
}

/** A message an inbox consumer sent to its dead-letter topic, as noted beside it: what it was, never its content. */
export interface DeadMessageNote {
  /** unique per source message (topic, partition, offset): a redelivery notes it once */
  id: string;
  type: string | null;
  eventId: string | null;
  reason: string;
}

/** Where an inbox consumer notes each message it dead-letters (the topic keeps the message itself). */
export interface DeadMessageNotes {
  noteMessage(deadLetterTopic: string, note: DeadMessageNote): Promise<void>;
}

/** One place dead letters go (a projection, or a consumer's dead-letter topic): how many, and the latest few. */
export interface DeadLetterCount {
  kind: 'projection' | 'consumer';
  name: string;
  count: number;
  latest: { type: string | null; eventId: string | null; reason: string; at: string }[];
}

interface DeadLetterDocument {
  _id: string;
  /** set for a parked event */
  projection?: string;
  event?: StoredEvent;
  /** set for a dead-lettered message: its dead-letter topic */
  consumer?: string;
  type?: string | null;
  eventId?: string | null;
  reason: string;
  parkedAt: Date;
}

const deadLetterSchema = new Schema<DeadLetterDocument>(
  { _id: String, projection: String, event: Schema.Types.Mixed, consumer: String, type: String, eventId: String, reason: String, parkedAt: Date },
  { versionKey: false, autoIndex: false },
);

/** reasons are error messages; long ones (a driver's) are cut so a report stays short */
const REASON_LENGTH = 300;
const shortReason = (reason: string) => (reason.length > REASON_LENGTH ? `${reason.slice(0, REASON_LENGTH - 1)}…` : reason);

export class MongoDeadLetters implements DeadLetters, DeadMessageNotes {
  readonly model: Model<DeadLetterDocument>;

  constructor(connection: Connection) {
    this.model = (connection.models['dead-letter'] as Model<DeadLetterDocument>) ??
      connection.model<DeadLetterDocument>('dead-letter', deadLetterSchema, 'dead_letters');
  }

  async park(projection: string, event: StoredEvent, reason: string): Promise<void> {
    // keyed by projection + event, so parking the same event twice keeps one record
    const result = await this.model.updateOne(
      { _id: `${projection}:${event.eventId}` },
      { $set: { projection, event, reason, parkedAt: new Date() } },
      { upsert: true },
    );
    if (result.upsertedCount > 0) deadLettersParked.publish({ kind: 'projection', name: projection });
  }

  async noteMessage(deadLetterTopic: string, note: DeadMessageNote): Promise<void> {
    const result = await this.model.updateOne(
      { _id: `${deadLetterTopic}:${note.id}` },
      { $set: { consumer: deadLetterTopic, type: note.type, eventId: note.eventId, reason: note.reason, parkedAt: new Date() } },
      { upsert: true },
    );
    if (result.upsertedCount > 0) deadLettersParked.publish({ kind: 'consumer', name: deadLetterTopic });
  }

  /** The count and the latest `limit` of one place, without any payload (a parked event's data stays in the collection). */
  async countOf(kind: DeadLetterCount['kind'], name: string, limit = 5): Promise<DeadLetterCount> {
    const filter = kind === 'projection' ? { projection: name } : { consumer: name };
    const [count, latest] = await Promise.all([
      this.model.countDocuments(filter),
      this.model.find(filter).sort({ parkedAt: -1, _id: 1 }).limit(limit).lean(),
    ]);
    return {
      kind, name, count,
      latest: latest.map((d) => ({
        type: d.event?.type ?? d.type ?? null,
        eventId: d.event?.eventId ?? d.eventId ?? null,
        reason: shortReason(d.reason),
        at: new Date(d.parkedAt).toISOString(),
      })),
    };
  }
}

export class InMemoryDeadLetters implements DeadLetters {
  readonly parked: { projection: string; event: StoredEvent; reason: string }[] = [];
  async park(projection: string, event: StoredEvent, reason: string) {
    this.parked.push({ projection, event, reason });
  }
}
