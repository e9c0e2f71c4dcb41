import { EventEnvelope } from '@cbme/contracts';
import { Connection, Model, Schema } from 'mongoose';
import {
  AppendResult, Commit, EventStore, ExpectedVersion, PendingEvent, ReadStreamOptions, StoredEvent, Upcast,
  WrongExpectedVersionError,
} from './event-store';

/**
 * An event store on any MongoDB-wire server, using only single-document inserts and lookups by string `_id`
 * (the one query every such server answers from an index; FerretDB 1.24 on SQLite pushes down nothing else,
 * not even `$in` on `_id`, see README, Performance).
 *
 * - A commit (all events of one append) is one document, `_id = "<streamId>#<from>"`. Inserting it is the
 *   atomic commit point and the optimistic concurrency check in one: exactly one writer can extend a stream
 *   at a given version. A commit may only start right after the current head commit's end, so commits form
 *   one unbroken chain per stream, read by following `to + 1`.
 * - The global order is a second document per commit in `<name>_positions`, `_id = "<position>"`, holding a
 *   copy of the events. It is inserted at head + 1 after the commit, retrying on collision, so position p + 1
 *   exists only once p does: no gaps, never out of order, and the head is found by probing `_id`s.
 *   (A `$inc` counter would be simpler, but FerretDB 1.24 loses concurrent `$inc` updates.)
 * - A third document per commit in `<name>_placed`, `_id = commit id`, records its position, so commits stay
 *   immutable: inserted once, never updated.
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

interface PlacedDocument {
  _id: string;
  position: number;
}

interface Boundary {
  from: number;
  to: number;
}

const MAX_RETRIES_FOR_ANY = 10;
const PARALLEL_READS = 16;
/** the widest window of commits `readStream` looks up at once */
const MAX_READ_AHEAD = 64;
const CACHED_STREAMS = 10_000;
/** events of recently used streams kept in memory (about 1 kB each) */
const CACHED_EVENTS = 20_000;
/** positions read or placed most recently, kept in memory for the other readers of the process */
const RECENT_POSITIONS = 5_000;
/** how many waiting commits one group commit places at most */
const MAX_GROUP_COMMIT = 200;

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

const placedSchema = new Schema<PlacedDocument>({ _id: String, position: Number }, { versionKey: false, autoIndex: false, autoCreate: false });

/** A writer that dies half-way does so within this long after inserting its commit (see repairUnpositioned). */
const MAX_APPEND_MS = 10 * 60_000;

const isDuplicateKey = (error: unknown) => (error as { code?: number })?.code === 11000;
const commitId = (streamId: string, from: number) => `${streamId}#${from}`;
/** a stream's commits are contiguous from version 1, so the last one's end is the number of events */
const eventsIn = (commits: Pick<CommitDocument, 'to'>[]) => commits.at(-1)?.to ?? 0;
const deepFreeze = (value: unknown): void => {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
};

export interface MongoEventStoreOptions {
  /** collection name; services use `events` for their own and `inbox` for events received from others */
  collection?: string;
  upcast?: Upcast;
}

export class MongoEventStore implements EventStore {
  private readonly commits: Model<CommitDocument>;
  private readonly positions: Model<PositionDocument>;
  private readonly placed: Model<PlacedDocument>;
  private readonly upcast: Upcast;
  /** the highest position known to exist: positions are never removed, so it is always a safe start */
  private knownHead = 0;
  /** the last commit seen per stream: a hint that shortens the walk along the chain, checked on use */
  private readonly lastCommit = new Map<string, Boundary>();
  /** streams read or written here, oldest first (commits and their positions never change once placed) */
  private readonly readCache = new Map<string, { commits: CommitDocument[]; positions: number[] }>();
  private cachedEvents = 0;
  /**
   * Position documents this process placed or read lately (they never change): the relay and every projection of a
   * service read the same new commits, which would otherwise be one lookup per reader.
   */
  private readonly recentPositions = new Map<number, PositionDocument>();
  /** commits of this process waiting for their global position, placed together by `placeWaitingCommits` */
  private readonly waitingForPosition: { commit: Omit<CommitDocument, 'position'>; resolve: (position: number) => void; reject: (error: unknown) => void }[] = [];
  private placing = false;

  constructor(
    connection: Connection,
    options: MongoEventStoreOptions = {},
  ) {
    const name = options.collection ?? 'events';
    this.commits = (connection.models[`commit:${name}`] as Model<CommitDocument>) ??
      connection.model<CommitDocument>(`commit:${name}`, commitSchema, name);
    this.positions = (connection.models[`position:${name}`] as Model<PositionDocument>) ??
      connection.model<PositionDocument>(`position:${name}`, positionSchema, `${name}_positions`);
    this.placed = (connection.models[`placed:${name}`] as Model<PlacedDocument>) ??
      connection.model<PlacedDocument>(`placed:${name}`, placedSchema, `${name}_placed`);
    this.upcast = options.upcast ?? ((e) => e);
  }

  /** Creates the collections; call once at start-up. */
  async init(): Promise<void> {
    const ignoreExisting = (error: { codeName?: string }) => {
      if (error.codeName !== 'NamespaceExists') throw error;
    };
    await this.commits.createCollection().catch(ignoreExisting);
    await this.positions.createCollection().catch(ignoreExisting);
    await this.placed.createCollection().catch(ignoreExisting);
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
      const cached = this.readCache.get(streamId) ?? { commits: [], positions: [] };
      if (eventsIn(cached.commits) + 1 === commit.from) {
        this.cacheStream(streamId, [...cached.commits, commit], [...cached.positions, position]);
      }
      return { nextExpectedVersion: commit.to, position };
    }
  }

  /**
   * One ordered insert for the whole batch, then one group commit of their positions. FerretDB stops an insert at its
   * first duplicate, so the batch goes on after it: a commit stored by an earlier import that died before taking a
   * position is placed now.
   */
  async importEvents(events: EventEnvelope[]): Promise<boolean[]> {
    const commits = events.map((event) => ({
      _id: commitId(event.streamId, event.streamVersion), streamId: event.streamId, from: event.streamVersion, to: event.streamVersion,
      position: null, committedAt: new Date(), events: [event],
    }));
    const stored = commits.map(() => false);
    const toPlace: Omit<CommitDocument, 'position'>[] = [];
    for (let start = 0; start < commits.length;) {
      const rest = commits.slice(start);
      let duplicateAt = rest.length;
      try {
        await this.commits.insertMany(rest, { ordered: true, lean: true });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // an ordered insert stored everything before its first error; unknown index: the repair below still places them
        duplicateAt = (error as { writeErrors?: { index?: number }[] }).writeErrors?.[0]?.index ?? 0;
      }
      rest.slice(0, duplicateAt).forEach((commit, i) => {
        stored[start + i] = true;
        toPlace.push(commit);
      });
      const duplicate = rest[duplicateAt];
      if (duplicate && !toPlace.some((c) => c._id === duplicate._id)) {
        const existing = await this.commits.findById(duplicate._id).lean();
        if (existing && (await this.positionOf(existing)) === null) toPlace.push(existing);
      }
      start += duplicateAt + 1;
    }
    await Promise.all(toPlace.map((commit) => this.assignPosition(commit)));
    return stored;
  }

  /**
   * A stream's events, oldest first. What this process read or wrote of the stream before comes from memory;
   * only commits appended since are looked up. The chain is followed a window of commits at a time: most
   * commits hold one event, so the commits that would start at next, next + 1, ... are looked up together,
   * and a window the chain crossed is followed by a wider one.
   */
  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const fromVersion = options.fromVersion ?? 1;
    const cached = this.readCache.get(streamId);
    const docs = [...(cached?.commits ?? [])];
    const positions = [...(cached?.positions ?? [])];
    const known = docs.length;
    for (let start = known ? docs[known - 1].to + 1 : 1, window = known ? 2 : 4; ; window = Math.min(window * 2, MAX_READ_AHEAD)) {
      const found = await Promise.all(Array.from({ length: window }, (_, i) => this.commits.findById(commitId(streamId, start + i)).lean()));
      const byStart = new Map(found.flatMap((doc) => (doc ? [[doc.from, doc] as const] : [])));
      let next = start;
      for (let doc = byStart.get(next); doc; doc = byStart.get(next)) {
        docs.push(doc);
        next = doc.to + 1;
      }
      if (next < start + window) break; // no commit starts where the chain goes on: the stream ends here
      start = next;
    }
    for (let i = known; i < docs.length; i += PARALLEL_READS) {
      positions.push(...(await Promise.all(docs.slice(i, i + PARALLEL_READS).map((doc) => this.positionOf(doc)))).map((p) => p ?? 0));
    }
    if (docs.length) {
      this.remember(streamId, docs[docs.length - 1]);
      // a commit still waiting for its position (0) is not kept, nor anything after it
      const unplaced = positions.indexOf(0);
      const keep = unplaced === -1 ? docs.length : unplaced;
      this.cacheStream(streamId, docs.slice(0, keep), positions.slice(0, keep));
    }
    return docs
      .flatMap((doc, i) => this.toStored(doc.events, positions[i]))
      .filter((e) => e.streamVersion >= fromVersion && (!options.occurredUntil || e.occurredAt <= options.occurredUntil));
  }

  async readCommitsAfter(position: number, limit: number): Promise<Commit[]> {
    const head = await this.headPosition();
    const wanted = Array.from({ length: Math.max(0, Math.min(limit, head - position)) }, (_, i) => position + i + 1);
    const commits: Commit[] = [];
    // one `_id` lookup per position, several in flight: an `$in` would scan the whole collection on FerretDB
    const docs: (PositionDocument | null)[] = [];
    for (let i = 0; i < wanted.length; i += PARALLEL_READS) {
      docs.push(...(await Promise.all(wanted.slice(i, i + PARALLEL_READS).map(async (p) => {
        const recent = this.recentPositions.get(p);
        if (recent) return recent;
        const doc = await this.positions.findById(String(p)).lean();
        if (doc) this.rememberPositions([doc]);
        return doc;
      }))));
    }
    for (const [i, position] of wanted.entries()) {
      const doc = docs[i];
      if (!doc) throw new Error(`position ${position} is missing below head ${head}`);
      commits.push({ position, streamId: doc.streamId, events: this.toStored(doc.events, position) });
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
    // A commit without a position was written at most MAX_APPEND_MS before the newest placed commit (its writer
    // died within one append), so only commits from then on are candidates: a scan, but a bounded look-up after it.
    const head = await this.headPosition();
    const newest = head > 0 ? await this.positions.findById(String(head), { commitId: 1 }).lean() : null;
    const newestCommit = newest ? await this.commits.findById(newest.commitId, { committedAt: 1 }).lean() : null;
    const since = new Date((newestCommit?.committedAt.getTime() ?? 0) - MAX_APPEND_MS);
    const candidates = await this.commits.find({ position: null, committedAt: { $gte: since, $lt: new Date(Date.now() - olderThanMs) } }).lean();
    let repaired = 0;
    for (const commit of candidates) {
      if ((await this.positionOf(commit)) !== null) continue;
      await this.assignPosition(commit);
      repaired++;
    }
    return repaired;
  }

  /** A commit's global position: stamped on commits written before placement markers existed, else its marker. */
  private async positionOf(commit: Pick<CommitDocument, '_id' | 'position'>): Promise<number | null> {
    if (commit.position !== null && commit.position !== undefined) return commit.position;
    return (await this.placed.findById(commit._id).lean())?.position ?? null;
  }

  /**
   * Gives a commit the next global position. Commits waiting in this process are placed together (group commit):
   * one probe of the head, one ordered insert of consecutive positions, one insert of their markers, instead
   * of every writer racing every other for head + 1. Another process may still take a position first; then the
   * positions inserted before the collision stand (an ordered insert stops there) and the rest go again.
   */
  private assignPosition(commit: Omit<CommitDocument, 'position'>): Promise<number> {
    return new Promise((resolve, reject) => {
      this.waitingForPosition.push({ commit, resolve, reject });
      void this.placeWaitingCommits();
    });
  }

  private async placeWaitingCommits(): Promise<void> {
    if (this.placing) return;
    this.placing = true;
    try {
      while (this.waitingForPosition.length > 0) {
        const group = this.waitingForPosition.splice(0, MAX_GROUP_COMMIT);
        try {
          const positions = await this.placeInGlobalOrder(group.map((w) => w.commit));
          group.forEach((w, i) => w.resolve(positions[i]));
        } catch (error) {
          group.forEach((w) => w.reject(error));
        }
      }
    } finally {
      this.placing = false;
    }
  }

  private async placeInGlobalOrder(commits: Omit<CommitDocument, 'position'>[]): Promise<number[]> {
    const placed: number[] = [];
    while (placed.length < commits.length) {
      const rest = commits.slice(placed.length);
      const first = (await this.headPosition()) + 1;
      const docs = rest.map((commit, i) => ({ _id: String(first + i), commitId: commit._id, streamId: commit.streamId, events: commit.events }));
      let inserted = docs.length;
      try {
        await this.positions.insertMany(docs, { ordered: true, lean: true });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // which of ours went in before another process's position stopped the insert: read them back by _id
        const stored = await Promise.all(docs.map((doc) => this.positions.findById(doc._id, { commitId: 1 }).lean()));
        const ours = stored.findIndex((doc, i) => doc?.commitId !== docs[i].commitId);
        inserted = ours === -1 ? docs.length : ours;
      }
      placed.push(...docs.slice(0, inserted).map((_, i) => first + i));
      this.rememberPositions(docs.slice(0, inserted));
      this.knownHead = Math.max(this.knownHead, first + placed.length - 1);
    }
    // a repair racing a live writer may have placed a commit already: its first marker stands
    // (FerretDB stops even an unordered insert at its first error, hence one by one after a collision)
    const markers = commits.map((commit, i) => ({ _id: commit._id, position: placed[i] }));
    await this.placed.insertMany(markers, { ordered: true, lean: true }).catch(async (error) => {
      if (!isDuplicateKey(error)) throw error;
      for (const marker of markers) await this.placed.create(marker).catch((e) => !isDuplicateKey(e) && Promise.reject(e));
    });
    return placed;
  }

  private async resolveExpected(streamId: string, expected: ExpectedVersion): Promise<number> {
    if (expected === 'no-stream' || expected === 0) return 0;
    // read here up to exactly that version: those commits exist (they are never removed), and a faster writer's
    // commit would start at expected + 1, where the insert fails on its _id
    if (expected === eventsIn(this.readCache.get(streamId)?.commits ?? [])) return expected;
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

  /** The stream's last commit: from the cached or remembered one (commits are immutable) or from the start, following the chain. */
  private async streamHead(streamId: string): Promise<Boundary | null> {
    const cached = this.readCache.get(streamId)?.commits.at(-1);
    const hint = this.lastCommit.get(streamId);
    let head: Boundary | null = cached ?? (hint && (await this.commits.exists({ _id: commitId(streamId, hint.from) })) ? hint : null);
    for (;;) {
      const next = await this.commits.findById(commitId(streamId, head ? head.to + 1 : 1), { from: 1, to: 1 }).lean();
      if (!next) break;
      head = { from: next.from, to: next.to };
    }
    if (head) this.remember(streamId, head);
    return head;
  }

  /** Keeps a stream's commits, most recently used last, evicting the least recently used beyond CACHED_EVENTS. */
  private cacheStream(streamId: string, commits: CommitDocument[], positions: number[]): void {
    const previous = this.readCache.get(streamId);
    if (previous) this.cachedEvents -= eventsIn(previous.commits);
    this.readCache.delete(streamId);
    if (commits.length === 0) return;
    // shared by every later read: frozen, so code that changed an event in place would fail loudly
    for (const commit of commits.slice(previous?.commits.length ?? 0)) deepFreeze(commit.events);
    this.readCache.set(streamId, { commits, positions });
    this.cachedEvents += eventsIn(commits);
    for (const [oldest, entry] of this.readCache) {
      if (this.cachedEvents <= CACHED_EVENTS) break;
      this.readCache.delete(oldest);
      this.cachedEvents -= eventsIn(entry.commits);
    }
  }

  private rememberPositions(docs: PositionDocument[]): void {
    for (const doc of docs) {
      deepFreeze(doc.events);
      this.recentPositions.set(Number(doc._id), doc);
    }
    for (const oldest of this.recentPositions.keys()) {
      if (this.recentPositions.size <= RECENT_POSITIONS) break;
      this.recentPositions.delete(oldest);
    }
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
