import { EventEnvelope } from '@cbme/contracts';
import { Connection, Model, Schema } from 'mongoose';
import {
  AppendResult, Commit, EventStore, ExpectedVersion, PendingEvent, ReadStreamOptions, StoredEvent, Upcast,
  WrongExpectedVersionError,
} from './event-store';

/**
 * One document per commit, holding all its events. Atomic without transactions because a commit is a
 * single insert. Optimistic concurrency lives inside that insert: the unique index on (streamId, from)
 * lets exactly one writer extend a given stream version, and a commit may only start right after an
 * existing commit's end (a fact that, once true, stays true), so commits form one unbroken chain.
 *
 * The global position is taken the same way: head + 1, guarded by a unique index, retried on collision.
 * (A `$inc` counter would be simpler, but FerretDB 1.24 on SQLite loses concurrent `$inc` updates.)
 * So position p + 1 can only be written once p is visible: positions have no gaps and never appear
 * out of order. Readers still guard against gaps (GapAwareReader) in case a store behaves otherwise.
 */
interface CommitDocument {
  streamId: string;
  from: number;
  to: number;
  position: number;
  committedAt: Date;
  events: EventEnvelope[];
}

const MAX_RETRIES_FOR_ANY = 10;

const commitSchema = new Schema<CommitDocument>(
  {
    streamId: { type: String, required: true },
    from: { type: Number, required: true },
    to: { type: Number, required: true },
    position: { type: Number, required: true },
    committedAt: { type: Date, required: true },
    events: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: false },
);
commitSchema.index({ streamId: 1, from: 1 }, { unique: true });
commitSchema.index({ streamId: 1, to: 1 });
commitSchema.index({ position: 1 }, { unique: true });

const isDuplicateKey = (error: unknown) => (error as { code?: number })?.code === 11000;

export interface MongoEventStoreOptions {
  /** collection name; services use `events` for their own and `inbox` for events received from others */
  collection?: string;
  upcast?: Upcast;
}

export class MongoEventStore implements EventStore {
  private readonly commits: Model<CommitDocument>;
  private readonly upcast: Upcast;

  constructor(
    connection: Connection,
    private readonly options: MongoEventStoreOptions = {},
  ) {
    const name = options.collection ?? 'events';
    this.commits = connection.models[`commit:${name}`] as Model<CommitDocument> ??
      connection.model<CommitDocument>(`commit:${name}`, commitSchema, name);
    this.upcast = options.upcast ?? ((e) => e);
  }

  /** Creates the collection and its indexes; call once at start-up. */
  async init(): Promise<void> {
    await this.commits.createCollection().catch((error) => {
      if ((error as { codeName?: string }).codeName !== 'NamespaceExists') throw error;
    });
    await this.commits.createIndexes();
  }

  async append(streamId: string, expected: ExpectedVersion, events: PendingEvent[]): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    for (let attempt = 1; ; attempt++) {
      const version = await this.resolveExpected(streamId, expected);
      try {
        return await this.insertCommit(streamId, version, events);
      } catch (error) {
        const retry = error instanceof WrongExpectedVersionError && (expected === 'any' || expected === 'stream-exists');
        if (!retry || attempt >= MAX_RETRIES_FOR_ANY) throw error;
      }
    }
  }

  async importEvent(event: EventEnvelope): Promise<boolean> {
    const stored = await this.insertAtNextPosition({ streamId: event.streamId, from: event.streamVersion, to: event.streamVersion, events: [event] });
    return stored !== 'stream-conflict';
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const fromVersion = options.fromVersion ?? 1;
    const docs = await this.commits.find({ streamId, to: { $gte: fromVersion } }).sort({ from: 1 }).lean();
    return docs
      .flatMap((doc) => this.toStored(doc))
      .filter((e) => e.streamVersion >= fromVersion && (!options.occurredUntil || e.occurredAt <= options.occurredUntil));
  }

  async readCommitsAfter(position: number, limit: number): Promise<Commit[]> {
    const docs = await this.commits.find({ position: { $gt: position } }).sort({ position: 1 }).limit(limit).lean();
    return docs.map((doc) => ({ position: doc.position, streamId: doc.streamId, events: this.toStored(doc) }));
  }

  async headPosition(): Promise<number> {
    const last = await this.commits.findOne({}, { position: 1 }).sort({ position: -1 }).lean();
    return last?.position ?? 0;
  }

  countCommitsAfter(position: number): Promise<number> {
    return this.commits.countDocuments({ position: { $gt: position } });
  }

  private async resolveExpected(streamId: string, expected: ExpectedVersion): Promise<number> {
    if (expected === 'no-stream' || expected === 0) return 0;
    if (typeof expected === 'number') {
      // A commit may only start right after an existing commit's end; the unique index does the rest.
      const boundary = await this.commits.exists({ streamId, to: expected });
      if (!boundary) throw new WrongExpectedVersionError(streamId, expected, await this.streamVersion(streamId));
      return expected;
    }
    const actual = await this.streamVersion(streamId);
    if (expected === 'stream-exists' && actual === 0) throw new WrongExpectedVersionError(streamId, expected, 0);
    return actual;
  }

  private async insertCommit(streamId: string, version: number, pending: PendingEvent[]): Promise<AppendResult> {
    const events: EventEnvelope[] = pending.map((e, i) => ({ ...e, streamId, streamVersion: version + i + 1 }));
    const to = version + events.length;
    const position = await this.insertAtNextPosition({ streamId, from: version + 1, to, events });
    if (position === 'stream-conflict') throw new WrongExpectedVersionError(streamId, version, await this.streamVersion(streamId));
    return { nextExpectedVersion: to, position };
  }

  /** Inserts at head + 1; a collision on the position means another commit got there first, so try the next one. */
  private async insertAtNextPosition(commit: Omit<CommitDocument, 'position' | 'committedAt'>): Promise<number | 'stream-conflict'> {
    for (;;) {
      const position = (await this.headPosition()) + 1;
      try {
        await this.commits.create({ ...commit, position, committedAt: new Date() });
        return position;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // FerretDB does not name the violated index, so ask which one it was.
        if (await this.commits.exists({ streamId: commit.streamId, from: commit.from })) return 'stream-conflict';
      }
    }
  }

  private async streamVersion(streamId: string): Promise<number> {
    const last = await this.commits.findOne({ streamId }, { to: 1 }).sort({ from: -1 }).lean();
    return last?.to ?? 0;
  }

  private toStored(doc: CommitDocument): StoredEvent[] {
    return doc.events.map((e) => this.upcast({ ...e, position: doc.position }));
  }
}
