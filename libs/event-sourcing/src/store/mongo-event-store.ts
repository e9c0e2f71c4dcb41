import { EventEnvelope } from '@cbme/contracts';
import { Connection, Model, Schema } from 'mongoose';
import {
  AppendResult, Commit, EventStore, ExpectedVersion, PendingEvent, ReadStreamOptions, StoredEvent, Upcast,
  WrongExpectedVersionError,
} from './event-store';

/**
 * An event store on any MongoDB-wire server, using only single-document inserts and lookups by string `_id`
 * (the one query FerretDB 1.24 answers from an index; every other query scans the collection).
 *
 * - A commit (all events of one append) is one document, `_id = "<streamId>#<from>"`. Inserting it is the
 *   atomic commit point and the optimistic concurrency check in one: exactly one writer can extend a stream
 *   at a given version. A commit may only start right after the current head commit's end, so commits form
 *   one unbroken chain per stream, read by following `to + 1`.
 * - The global order is a second document per commit in `<name>_positions`, `_id = "<position>"`, holding a
 *   copy of the events. It is inserted at head + 1 after the commit, retrying on collision, so position p + 1
 *   exists only once p does: no gaps, never out of order, and the head is found by probing `_id`s.
 *   (A `$inc` counter would be simpler, but FerretDB 1.24 loses concurrent `$inc` updates.)
 * - A writer that dies between the two inserts leaves a commit without a position; `repairUnpositioned`
 *   gives it one later (publishing stays at-least-once, consumers are idempotent).
 */
interface CommitDocument {
  _id: string;
  streamId: string;
  from: number;
  to: number;
  /** null until the commit has its place in the global order */
  position: number | null;
  committedAt: Date;
  events: EventEnvelope[];
}

interface PositionDocument {
  _id: string;
  commitId: string;
  streamId: string;
  events: EventEnvelope[];
}

interface Boundary {
  from: number;
  to: number;
}

const MAX_RETRIES_FOR_ANY = 10;
const PARALLEL_READS = 16;
const CACHED_STREAMS = 10_000;

const commitSchema = new Schema<CommitDocument>(
  {
    _id: String,
    streamId: { type: String, required: true },
    from: { type: Number, required: true },
    to: { type: Number, required: true },
    position: { type: Number, default: null },
    committedAt: { type: Date, required: true },
    events: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: false },
);
commitSchema.index({ position: 1 });

const positionSchema = new Schema<PositionDocument>(
  { _id: String, commitId: String, streamId: String, events: Schema.Types.Mixed },
  { versionKey: false, autoIndex: false, autoCreate: false },
);

const isDuplicateKey = (error: unknown) => (error as { code?: number })?.code === 11000;
const commitId = (streamId: string, from: number) => `${streamId}#${from}`;

export interface MongoEventStoreOptions {
  /** collection name; services use `events` for their own and `inbox` for events received from others */
  collection?: string;
  upcast?: Upcast;
}

export class MongoEventStore implements EventStore {
  private readonly commits: Model<CommitDocument>;
  private readonly positions: Model<PositionDocument>;
  private readonly upcast: Upcast;
  /** the highest position known to exist: positions are never removed, so it is always a safe start */
  private knownHead = 0;
  /** the last commit seen per stream: a hint that shortens the walk along the chain, checked on use */
  private readonly lastCommit = new Map<string, Boundary>();

  constructor(
    connection: Connection,
    options: MongoEventStoreOptions = {},
  ) {
    const name = options.collection ?? 'events';
    this.commits = (connection.models[`commit:${name}`] as Model<CommitDocument>) ??
      connection.model<CommitDocument>(`commit:${name}`, commitSchema, name);
    this.positions = (connection.models[`position:${name}`] as Model<PositionDocument>) ??
      connection.model<PositionDocument>(`position:${name}`, positionSchema, `${name}_positions`);
    this.upcast = options.upcast ?? ((e) => e);
  }

  /** Creates the collections; call once at start-up. */
  async init(): Promise<void> {
    const ignoreExisting = (error: { codeName?: string }) => {
      if (error.codeName !== 'NamespaceExists') throw error;
    };
    await this.commits.createCollection().catch(ignoreExisting);
    await this.positions.createCollection().catch(ignoreExisting);
    await this.commits.createIndexes();
  }

  async append(streamId: string, expected: ExpectedVersion, events: PendingEvent[]): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    for (let attempt = 1; ; attempt++) {
      const version = await this.resolveExpected(streamId, expected);
      const stored: EventEnvelope[] = events.map((e, i) => ({ ...e, streamId, streamVersion: version + i + 1 }));
      const commit = { _id: commitId(streamId, version + 1), streamId, from: version + 1, to: version + stored.length, position: null, committedAt: new Date(), events: stored };
      try {
        await this.commits.create(commit);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        const retry = expected === 'any' || expected === 'stream-exists';
        if (!retry || attempt >= MAX_RETRIES_FOR_ANY) throw new WrongExpectedVersionError(streamId, expected, (await this.streamHead(streamId))?.to ?? 0);
        continue;
      }
      this.remember(streamId, commit);
      const position = await this.assignPosition(commit);
      return { nextExpectedVersion: commit.to, position };
    }
  }

  async importEvent(event: EventEnvelope): Promise<boolean> {
    const commit = { _id: commitId(event.streamId, event.streamVersion), streamId: event.streamId, from: event.streamVersion, to: event.streamVersion, position: null, committedAt: new Date(), events: [event] };
    try {
      await this.commits.create(commit);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // Stored before; if that earlier import died before taking a position, finish it now.
      const existing = await this.commits.findById(commit._id).lean();
      if (existing && existing.position === null) await this.assignPosition(existing);
      return false;
    }
    await this.assignPosition(commit);
    return true;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const fromVersion = options.fromVersion ?? 1;
    const events: StoredEvent[] = [];
    let last: Boundary | undefined;
    for (let next = 1; ; ) {
      const doc = await this.commits.findById(commitId(streamId, next)).lean();
      if (!doc) break;
      last = doc;
      events.push(...this.toStored(doc.events, doc.position ?? 0));
      next = doc.to + 1;
    }
    if (last) this.remember(streamId, last);
    return events.filter((e) => e.streamVersion >= fromVersion && (!options.occurredUntil || e.occurredAt <= options.occurredUntil));
  }

  async readCommitsAfter(position: number, limit: number): Promise<Commit[]> {
    const head = await this.headPosition();
    const wanted = Array.from({ length: Math.max(0, Math.min(limit, head - position)) }, (_, i) => position + i + 1);
    const commits: Commit[] = [];
    for (let i = 0; i < wanted.length; i += PARALLEL_READS) {
      const docs = await Promise.all(wanted.slice(i, i + PARALLEL_READS).map((p) => this.positions.findById(String(p)).lean()));
      docs.forEach((doc, j) => {
        if (!doc) throw new Error(`position ${wanted[i + j]} is missing below head ${head}`);
        commits.push({ position: wanted[i + j], streamId: doc.streamId, events: this.toStored(doc.events, wanted[i + j]) });
      });
    }
    return commits;
  }

  /** The highest position: probe upwards from the last known head, doubling the step, then bisect. */
  async headPosition(): Promise<number> {
    let low = this.knownHead;
    let step = 1;
    let high = low + step;
    while (await this.positionExists(high)) {
      low = high;
      step *= 2;
      high = low + step;
    }
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (await this.positionExists(middle)) low = middle;
      else high = middle;
    }
    this.knownHead = Math.max(this.knownHead, low);
    return low;
  }

  async countCommitsAfter(position: number): Promise<number> {
    return Math.max(0, (await this.headPosition()) - position);
  }

  /**
   * Gives a place in the global order to commits whose writer died between its two inserts.
   * Scans the commit collection, so it runs at start-up and now and then, not per command.
   */
  async repairUnpositioned(olderThanMs = 30_000): Promise<number> {
    const stale = await this.commits.find({ position: null, committedAt: { $lt: new Date(Date.now() - olderThanMs) } }).lean();
    for (const commit of stale) await this.assignPosition(commit);
    return stale.length;
  }

  private async assignPosition(commit: Omit<CommitDocument, 'position'>): Promise<number> {
    for (;;) {
      const position = (await this.headPosition()) + 1;
      try {
        await this.positions.create({ _id: String(position), commitId: commit._id, streamId: commit.streamId, events: commit.events });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        continue; // another commit took it: probe again
      }
      this.knownHead = Math.max(this.knownHead, position);
      await this.commits.updateOne({ _id: commit._id, position: null }, { $set: { position } });
      return position;
    }
  }

  private async resolveExpected(streamId: string, expected: ExpectedVersion): Promise<number> {
    if (expected === 'no-stream' || expected === 0) return 0;
    const head = await this.streamHead(streamId);
    const actual = head?.to ?? 0;
    if (expected === 'any') return actual;
    if (expected === 'stream-exists') {
      if (!head) throw new WrongExpectedVersionError(streamId, expected, 0);
      return actual;
    }
    // The new commit must start right after the head commit; the insert then catches any writer that was faster.
    if (actual !== expected) throw new WrongExpectedVersionError(streamId, expected, actual);
    return expected;
  }

  /** The stream's last commit: from the remembered one (commits are immutable) or from the start, following the chain. */
  private async streamHead(streamId: string): Promise<Boundary | null> {
    const hint = this.lastCommit.get(streamId);
    let head: Boundary | null = hint && (await this.commits.exists({ _id: commitId(streamId, hint.from) })) ? hint : null;
    for (;;) {
      const next = await this.commits.findById(commitId(streamId, head ? head.to + 1 : 1), { from: 1, to: 1 }).lean();
      if (!next) break;
      head = { from: next.from, to: next.to };
    }
    if (head) this.remember(streamId, head);
    return head;
  }

  private remember(streamId: string, boundary: Boundary): void {
    if (this.lastCommit.size >= CACHED_STREAMS) this.lastCommit.clear();
    this.lastCommit.set(streamId, { from: boundary.from, to: boundary.to });
  }

  private async positionExists(position: number): Promise<boolean> {
    return (await this.positions.exists({ _id: String(position) })) !== null;
  }

  private toStored(events: EventEnvelope[], position: number): StoredEvent[] {
    return events.map((e) => this.upcast({ ...e, position }));
  }
}
