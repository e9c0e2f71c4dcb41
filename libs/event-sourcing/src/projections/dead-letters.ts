import { Collection, Connection, Model, Schema } from 'mongoose';
import { deadLettersParked } from '../instrumentation/kernel-signals';
import { StoredEvent } from '../store/event-store';

/** Where a projection parks an event it cannot apply, with the reason, before moving on. */
export interface DeadLetters {
  park(projection: string, event: StoredEvent, reason: string): Promise<void>;
}

/** A Kafka message as an inbox consumer received it: enough to run it through validation again. */
export interface DeadMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** the value's bytes, base64 (a message need not be UTF-8 text) */
  value: string | null;
  headers: Record<string, string>;
  timestamp: string | null;
}

/** A message an inbox consumer sent to its dead-letter topic, as noted beside it. */
export interface DeadMessageNote {
  /** unique per source message (topic, partition, offset): a redelivery notes it once */
  id: string;
  type: string | null;
  eventId: string | null;
  reason: string;
  /** the message itself, for a replay after a fix (see MongoDeadLetters.noteMessage) */
  message?: DeadMessage;
}

/** Where an inbox consumer notes each message it dead-letters. */
export interface DeadMessageNotes {
  noteMessage(deadLetterTopic: string, note: DeadMessageNote): Promise<void>;
}

export type DeadLetterKind = 'projection' | 'consumer';
/** parked: waits for an operator; replayed: applied after a fix; discarded: given up, with a reason */
export type DeadLetterStatus = 'parked' | 'replayed' | 'discarded';

/** One dead letter as listed: what it was and why, never its content. */
export interface DeadLetterSummary {
  id: string;
  kind: DeadLetterKind;
  /** the projection, or the inbox consumer's dead-letter topic */
  name: string;
  type: string | null;
  eventId: string | null;
  reason: string;
  at: string;
  status: DeadLetterStatus;
  /** replays that failed again */
  failedReplays: number;
}

/** One dead letter with its content: the parked event, or the message the consumer refused (while it is kept). */
export interface DeadLetterRecord extends DeadLetterSummary {
  event: StoredEvent | null;
  message: DeadMessage | null;
}

/** One place dead letters go (a projection, or a consumer's dead-letter topic): how many wait, and the latest few. */
export interface DeadLetterCount {
  kind: DeadLetterKind;
  name: string;
  count: number;
  latest: DeadLetterSummary[];
}

export interface DeadLetterPage {
  items: DeadLetterSummary[];
  /** pass as `before` for the next (older) page; null on the last */
  next: number | null;
}

interface DeadLetterDocument {
  _id: string;
  /** set for a parked event */
  projection?: string;
  event?: StoredEvent;
  /** set for a dead-lettered message: its dead-letter topic */
  consumer?: string;
  message?: DeadMessage;
  type?: string | null;
  eventId?: string | null;
  reason: string;
  parkedAt: Date;
  /** absent on letters parked before operations existed: parked */
  status?: DeadLetterStatus;
  /** its place in its place's list (see PlaceLists) */
  entry?: number;
  failedReplays?: number;
}

const deadLetterSchema = new Schema<DeadLetterDocument>(
  {
    _id: String, projection: String, event: Schema.Types.Mixed, consumer: String, message: Schema.Types.Mixed, type: String, eventId: String,
    reason: String, parkedAt: Date, status: String, entry: Number, failedReplays: Number,
  },
  { versionKey: false, autoIndex: false },
);

/** reasons are error messages; long ones (a driver's) are cut so a report stays short */
const REASON_LENGTH = 300;
const shortReason = (reason: string) => (reason.length > REASON_LENGTH ? `${reason.slice(0, REASON_LENGTH - 1)}…` : reason);
const isDuplicateKey = (error: unknown) => (error as { code?: number })?.code === 11000;

/**
 * Numbered lists by `_id` only (FerretDB answers nothing else from an index): entry n of list L is `L#n`, taken by an
 * insert that the unique `_id` refuses to a second writer; `L` itself holds a hint of the head, which readers probe
 * past. Each place keeps two: its dead letters in the order parked, and one entry per resolution (replayed or
 * discarded), so the letters still waiting are the difference, without counting a collection.
 */
class PlaceLists {
  constructor(private readonly entries: Collection<{ _id: string; deadLetterId?: string; head?: number }>) {}

  async head(list: string): Promise<number> {
    const hint = await this.entries.findOne({ _id: list });
    let head = hint?.head ?? 0;
    while (await this.entries.findOne({ _id: `${list}#${head + 1}` })) head++;
    return head;
  }

  async add(list: string, deadLetterId: string): Promise<number> {
    for (let n = (await this.head(list)) + 1; ; n++) {
      try {
        await this.entries.insertOne({ _id: `${list}#${n}`, deadLetterId });
      } catch (error) {
        if (isDuplicateKey(error)) continue;
        throw error;
      }
      await this.entries.updateOne({ _id: list }, { $max: { head: n } }, { upsert: true });
      return n;
    }
  }

  async isMarked(marker: string): Promise<boolean> {
    return !!(await this.entries.findOne({ _id: marker }));
  }

  async mark(marker: string): Promise<void> {
    await this.entries.updateOne({ _id: marker }, { $set: { head: 0 } }, { upsert: true });
  }

  /** The entries numbered below `before`, newest first, at most `limit`. */
  async before(list: string, before: number, limit: number): Promise<{ n: number; deadLetterId: string }[]> {
    const numbers = Array.from({ length: Math.max(0, Math.min(limit, before - 1)) }, (_, i) => before - 1 - i);
    const found = await Promise.all(numbers.map((n) => this.entries.findOne({ _id: `${list}#${n}` })));
    return found.flatMap((entry, i) => (entry?.deadLetterId ? [{ n: numbers[i], deadLetterId: entry.deadLetterId }] : []));
  }
}

const listOf = (kind: DeadLetterKind, name: string) => `${kind}:${name}`;
const EARLIER_LISTED = 'earlier-letters-listed';
const resolutionsOf = (kind: DeadLetterKind, name: string) => `${kind}:${name}:resolved`;

export class MongoDeadLetters implements DeadLetters, DeadMessageNotes {
  readonly model: Model<DeadLetterDocument>;
  private readonly lists: PlaceLists;

  constructor(connection: Connection) {
    this.model = (connection.models['dead-letter'] as Model<DeadLetterDocument>) ??
      connection.model<DeadLetterDocument>('dead-letter', deadLetterSchema, 'dead_letters');
    this.lists = new PlaceLists(connection.collection('dead_letter_lists'));
  }

  /**
   * Letters parked before the lists existed join their place's list, once per database (a marker says it is done):
   * the one scan of the collection, at start-up, never on a request.
   */
  async listEarlierLetters(): Promise<number> {
    if (await this.lists.isMarked(EARLIER_LISTED)) return 0;
    const earlier = await this.model.find({ entry: { $exists: false } }, { _id: 1, projection: 1, consumer: 1, event: 1, parkedAt: 1 }).lean();
    earlier.sort((a, b) => new Date(a.parkedAt).getTime() - new Date(b.parkedAt).getTime());
    for (const d of earlier) {
      const [kind, name] = d.projection ? (['projection', d.projection] as const) : (['consumer', d.consumer ?? ''] as const);
      const entry = await this.lists.add(listOf(kind, name), d._id);
      await this.model.updateOne({ _id: d._id }, { $set: { entry, status: 'parked', ...(d.event ? { type: d.event.type, eventId: d.event.eventId } : {}) } });
    }
    await this.lists.mark(EARLIER_LISTED);
    return earlier.length;
  }

  async park(projection: string, event: StoredEvent, reason: string): Promise<void> {
    // keyed by projection + event, so parking the same event twice keeps one record
    await this.keep('projection', projection, `${projection}:${event.eventId}`, { projection, event, type: event.type, eventId: event.eventId, reason: shortReason(reason) });
  }

  /**
   * The note keeps the message itself beside it, in this service's own database: a replay after a fix needs the
   * message, and the dead-letter topic deletes it after its retention (7 days by default) or may sit on a broker
   * the service can no longer read. The content can hold learners' text, so it is shown to institution admins only,
   * each look is recorded, and the copy is dropped once the letter is replayed or discarded.
   */
  async noteMessage(deadLetterTopic: string, note: DeadMessageNote): Promise<void> {
    await this.keep('consumer', deadLetterTopic, `${deadLetterTopic}:${note.id}`, {
      consumer: deadLetterTopic, type: note.type, eventId: note.eventId, reason: shortReason(note.reason), ...(note.message ? { message: note.message } : {}),
    });
  }

  /** A new letter, or one parked again after it was resolved (a rebuild met it again), goes to the head of its list. */
  private async keep(kind: DeadLetterKind, name: string, id: string, set: Partial<DeadLetterDocument>): Promise<void> {
    const known = await this.model.findById(id, { status: 1, entry: 1 }).lean();
    const waiting = known && (known.status ?? 'parked') === 'parked' && known.entry !== undefined;
    const entry = waiting ? known.entry : await this.lists.add(listOf(kind, name), id);
    await this.model.updateOne({ _id: id }, { $set: { ...set, parkedAt: new Date(), status: 'parked', entry } }, { upsert: true });
    if (!waiting) deadLettersParked.publish({ kind, name });
  }

  /** How many of one place's letters wait, and the latest `limit` of all (newest first), without any content. */
  async countOf(kind: DeadLetterKind, name: string, limit = 5): Promise<DeadLetterCount> {
    const [parked, resolved, latest] = await Promise.all([
      this.lists.head(listOf(kind, name)), this.lists.head(resolutionsOf(kind, name)), this.page(kind, name, { limit }),
    ]);
    return { kind, name, count: Math.max(0, parked - resolved), latest: latest.items };
  }

  /** One place's letters, newest first, `limit` from the entry before `before` on. */
  async page(kind: DeadLetterKind, name: string, { before, limit }: { before?: number; limit: number }): Promise<DeadLetterPage> {
    const list = listOf(kind, name);
    const from = before ?? (await this.lists.head(list)) + 1;
    const entries = await this.lists.before(list, from, limit);
    const docs = await Promise.all(entries.map((e) => this.model.findById(e.deadLetterId, { event: 0, message: 0 }).lean()));
    // a letter parked again sits at its newer entry only
    const items = docs.flatMap((d, i) => (d && (d.entry ?? entries[i].n) === entries[i].n ? [summaryOf(d)] : []));
    const lowest = from - Math.min(limit, from - 1);
    return { items, next: lowest > 1 ? lowest : null };
  }

  async get(id: string): Promise<DeadLetterRecord | null> {
    const doc = await this.model.findById(id).lean();
    return doc ? { ...summaryOf(doc), event: doc.event ?? null, message: doc.message ?? null } : null;
  }

  /** A replay that failed again: the letter stays, with the new reason. */
  async failedAgain(letter: DeadLetterSummary, reason: string): Promise<void> {
    await this.model.updateOne({ _id: letter.id }, { $set: { reason: shortReason(reason), failedReplays: letter.failedReplays + 1 } });
  }

  /** Replayed or discarded: counted as resolved, and its content dropped (the event is in its store; a discarded message is not wanted). */
  async resolve(letter: DeadLetterSummary, status: Exclude<DeadLetterStatus, 'parked'>): Promise<void> {
    await this.model.updateOne({ _id: letter.id }, { $set: { status }, $unset: { event: '', message: '' } });
    await this.lists.add(resolutionsOf(letter.kind, letter.name), letter.id);
  }
}

function summaryOf(d: DeadLetterDocument): DeadLetterSummary {
  const kind: DeadLetterKind = d.projection ? 'projection' : 'consumer';
  return {
    id: d._id, kind, name: d.projection ?? d.consumer ?? '',
    type: d.type ?? d.event?.type ?? null,
    eventId: d.eventId ?? d.event?.eventId ?? null,
    reason: shortReason(d.reason),
    at: new Date(d.parkedAt).toISOString(),
    status: d.status ?? 'parked',
    failedReplays: d.failedReplays ?? 0,
  };
}

export class InMemoryDeadLetters implements DeadLetters {
  readonly parked: { projection: string; event: StoredEvent; reason: string }[] = [];
  async park(projection: string, event: StoredEvent, reason: string) {
    this.parked.push({ projection, event, reason });
  }
}
