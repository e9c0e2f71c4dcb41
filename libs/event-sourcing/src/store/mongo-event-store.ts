import { EventEnvelope } from '@cbme/contracts';
import { LRUCache } from 'lru-cache';
import { Connection, Model, Schema } from 'mongoose';
import {
  AfterCommit, AppendResult, Commit, EventStore, ExpectedVersion, PendingEvent, ReadStreamOptions, stamped, StoredEvent, StreamAppend, Upcast,
  upcastStored, WrongExpectedVersionError,
} from './event-store';
import { chainEvents, HashedEnvelope, lastHash } from './event-hash';
import { sharedWhileRunning } from './in-flight';
import { PersonalDataCipher } from './personal-data';
import { appendTimings, AppendTiming } from '../instrumentation/kernel-signals';
import { activeTraceparent } from '../tracing/trace-context';

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
 *   copy of the events. It is inserted at head + 1, so position p + 1 exists only once p does: no gaps, and
 *   the head is found by probing `_id`s. (A `$inc` counter would be simpler, but FerretDB 1.24 loses
 *   concurrent `$inc` updates.)
 * - Before that, a claim in `<name>_placed` names the position an attempt will take: `_id` = commit id for
 *   the first attempt, `<commit id>@<n>` for the n-th. An attempt failed when its position holds another
 *   commit; only then may the next be claimed. So whoever places a commit (its writer, the next writer of its
 *   stream, the repair, a redelivered import) finishes the same attempts, and a commit gets exactly one
 *   position. A claim also names the claim made just before it in the same group (`previous`), so a
 *   position that its placer never inserted can be inserted by anyone, without a gap.
 * - A stream's commit is placed only once the commit before it has its position, so positions follow stream
 *   order. A writer that dies after inserting its commit leaves it without a position: the next append to
 *   the stream places it first, and `repairUnpositioned` places what no append follows.
 * - Each event carries `hash` = SHA-256(previous hash in its stream ‖ canonical JSON of the event as stored), computed
 *   here before the commit insert (so in the same single write) from the head the append is based on: a stale head
 *   fails the insert. Inbox copies are hashed on their own. See docs/tamper-evidence.md.
 */
interface CommitDocument {
  _id: string;
  streamId: string;
  from: number;
  to: number;
  committedAt: Date;
  /** each with its hash, chained along the stream (see chainEvents) */
  events: HashedEnvelope[];
  /** the W3C traceparent of the span that wrote the commit, when traced: diagnostics, outside the events and their hashes */
  traceparent?: string;
}

interface PositionDocument {
  _id: string;
  commitId: string;
  streamId: string;
  events: HashedEnvelope[];
  traceparent?: string;
}

/** One attempt to place a commit: the position it takes, and the claim placed just before it in its group. */
interface PlacementDocument {
  _id: string;
  position: number;
  previous?: string;
}

interface Boundary {
  from: number;
  to: number;
  /** the hash of the commit's last event, which the stream's next event chains from (none when stored unhashed) */
  lastHash?: string;
}

const MAX_RETRIES_FOR_ANY = 10;
const PARALLEL_READS = 16;
/** the widest window of commits `readStream` looks up at once */
const MAX_READ_AHEAD = 64;
const CACHED_STREAMS = 10_000;
/** bytes (as JSON) of the events of recently used streams kept in memory */
const CACHED_EVENT_BYTES = 20 * 1024 * 1024;
/** positions read or placed most recently, kept in memory for the other readers of the process */
const RECENT_POSITIONS = 5_000;
/** how long one probe of the head answers every caller of `headPosition` in the process */
const HEAD_PROBE_SHARE_MS = 50;
/** how often the store looks for commits of other processes while readers wait idle (one lookup for all of them) */
const IDLE_HEAD_POLL_MS = 500;
/**
 * how long one probe answers the readers (projections, the relay): each wakes at every commit of its own process and
 * sees those at once, so the probe only finds other processes' commits, which a busy reader then sees as soon as an
 * idle one does
 */
const READERS_HEAD_SHARE_MS = IDLE_HEAD_POLL_MS;
/** how many waiting commits one group commit places at most */
const MAX_GROUP_COMMIT = 200;

const commitSchema = new Schema<CommitDocument>(
  {
    _id: String,
    streamId: { type: String, required: true },
    from: { type: Number, required: true },
    to: { type: Number, required: true },
    committedAt: { type: Date, required: true },
    events: { type: Schema.Types.Mixed, required: true },
    traceparent: String,
  },
  { versionKey: false, autoIndex: false, autoCreate: false },
);

const positionSchema = new Schema<PositionDocument>(
  { _id: String, commitId: String, streamId: String, events: Schema.Types.Mixed, traceparent: String },
  { versionKey: false, autoIndex: false, autoCreate: false },
);

const placementSchema = new Schema<PlacementDocument>(
  { _id: String, position: Number, previous: String },
  { versionKey: false, autoIndex: false, autoCreate: false },
);

/** A writer that dies half-way does so within this long after inserting its commit (see repairUnpositioned). */
const MAX_APPEND_MS = 10 * 60_000;

const isDuplicateKey = (error: unknown) => (error as { code?: number })?.code === 11000;
const commitId = (streamId: string, from: number) => `${streamId}#${from}`;
const attemptId = (commit: string, attempt: number) => (attempt === 1 ? commit : `${commit}@${attempt}`);
/** commit ids end in `#<from>`, so an `@<n>` at the end can only be an attempt number */
const commitOfAttempt = (attempt: string) => attempt.replace(/@\d+$/, '');
const positionDocument = (position: number, commit: CommitDocument): PositionDocument => (
  { _id: String(position), commitId: commit._id, streamId: commit.streamId, events: commit.events, ...traced(commit.traceparent) }
);
/** no field at all when untraced, so untraced documents keep their shape */
const traced = (traceparent: string | undefined) => (traceparent ? { traceparent } : {});
interface CachedStream {
  commits: CommitDocument[];
  positions: number[];
  /** the events' length as JSON: about their size in memory */
  bytes: number;
}

/** a stream's commits are contiguous from version 1, so the last one's end is the number of events */
const eventsIn = (commits: Pick<CommitDocument, 'to'>[]) => commits.at(-1)?.to ?? 0;
const boundaryOf = (commit: CommitDocument): Boundary => ({ from: commit.from, to: commit.to, lastHash: lastHash(commit.events) });
const deepFreeze = (value: unknown): void => {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
};

/** Inserts in order; says how many went in before the first duplicate `_id` (all of them when none). */
async function insertPrefix<T>(model: Model<T>, docs: T[]): Promise<number> {
  if (docs.length === 0) return 0;
  try {
    await model.insertMany(docs, { ordered: true, lean: true });
    return docs.length;
  } catch (error) {
    const index = (error as { writeErrors?: { index?: number }[] }).writeErrors?.[0]?.index;
    if (!isDuplicateKey(error) || typeof index !== 'number') throw error;
    return index;
  }
}

export interface MongoEventStoreOptions {
  /** collection name; services use `events` for their own and `inbox` for events received from others */
  collection?: string;
  upcast?: Upcast;
  /** test seam, see AfterCommit */
  afterCommit?: AfterCommit;
  /** encrypts personal fields before they are hashed and stored, decrypts them on read (see personal-data.ts) */
  personalData?: PersonalDataCipher;
}

interface Waiting {
  commit: CommitDocument;
  attempt: number;
  resolve: (position: number) => void;
  reject: (error: unknown) => void;
}

export class MongoEventStore implements EventStore {
  /** the commits' collection, which names this store */
  readonly collection: string;
  private readonly commits: Model<CommitDocument>;
  private readonly positions: Model<PositionDocument>;
  private readonly placements: Model<PlacementDocument>;
  private readonly upcast: Upcast;
  private readonly afterCommit?: AfterCommit;
  private readonly personalData?: PersonalDataCipher;
  /** the highest position known to exist: positions are never removed, so it is always a safe start */
  private knownHead = 0;
  /**
   * Whether this process placed the newest position it knows of and has seen no other writer since: then its next
   * group is claimed right after it without probing the head first. A lost race (another process took the position)
   * or a probe finding positions placed elsewhere turns it off until this process places the head again.
   */
  private headIsMine = false;
  /** the last commit seen per stream: a hint that shortens the walk along the chain, checked on use */
  private readonly lastCommit = new LRUCache<string, Boundary>({ max: CACHED_STREAMS });
  /** streams read or written here, the least recently used evicted first (commits and their positions never change once placed) */
  private readonly readCache = new LRUCache<string, CachedStream>({ maxSize: CACHED_EVENT_BYTES, sizeCalculation: (stream) => stream.bytes });
  /**
   * Position documents this process placed or read lately (they never change): the relay and every projection of a
   * service read the same new commits, which would otherwise be one lookup per reader.
   */
  private readonly recentPositions = new LRUCache<number, PositionDocument>({
    max: RECENT_POSITIONS,
    dispose: (doc, _position, reason) => reason === 'evict' && this.recentPlacements.delete(doc.commitId),
  });
  /** position lookups under way, shared by the readers asking for the same position at once */
  private readonly positionReads = new Map<number, Promise<PositionDocument | null>>();
  /** the same, by commit id: an append finds where the commit before it went */
  private readonly recentPlacements = new Map<string, number>();
  /** the last head probe, shared by the readers polling it */
  private sharedHead?: { at: number; probe: Promise<number> };
  /** the newest commit time the last completed repair looked at: the next one looks back from there */
  private repairedUntil?: number;
  /** ids of commits known placed in the repair's window (ids only, so more of them than recentPositions holds) */
  private readonly placedLately = new Map<string, number>();
  /** placements under way in this process, by commit id: each commit is placed by one of them */
  private readonly inFlight = new Map<string, Promise<number>>();
  /** commits of this process waiting for their global position, placed together by `placeWaitingCommits` */
  private readonly waitingForPosition: Waiting[] = [];
  private placing = false;
  /** idle readers waiting for a commit beyond a position (see waitForNew) */
  private readonly headWaiters = new Set<{ after: number; done: () => void }>();
  private headPoll?: NodeJS.Timeout;

  constructor(
    connection: Connection,
    options: MongoEventStoreOptions = {},
  ) {
    const name = options.collection ?? 'events';
    this.collection = name;
    this.commits = (connection.models[`commit:${name}`] as Model<CommitDocument>) ??
      connection.model<CommitDocument>(`commit:${name}`, commitSchema, name);
    this.positions = (connection.models[`position:${name}`] as Model<PositionDocument>) ??
      connection.model<PositionDocument>(`position:${name}`, positionSchema, `${name}_positions`);
    this.placements = (connection.models[`placed:${name}`] as Model<PlacementDocument>) ??
      connection.model<PlacementDocument>(`placed:${name}`, placementSchema, `${name}_placed`);
    this.upcast = options.upcast ?? upcastStored;
    this.afterCommit = options.afterCommit;
    this.personalData = options.personalData;
  }

  /** Creates the collections; call once at start-up. */
  async init(): Promise<void> {
    const ignoreExisting = (error: { codeName?: string }) => {
      if (error.codeName !== 'NamespaceExists') throw error;
    };
    await this.commits.createCollection().catch(ignoreExisting);
    await this.positions.createCollection().catch(ignoreExisting);
    await this.placements.createCollection().catch(ignoreExisting);
  }

  append(streamId: string, expected: ExpectedVersion, events: PendingEvent[]): Promise<AppendResult> {
    return this.timed('append', () => this.appendTo(streamId, expected, events));
  }

  private async appendTo(streamId: string, expected: ExpectedVersion, pending: PendingEvent[]): Promise<AppendResult> {
    if (pending.length === 0) throw new Error('append needs at least one event');
    const events = await this.sealed(streamId, pending);
    for (let attempt = 1; ; attempt++) {
      const { version, previous } = await this.resolveExpected(streamId, expected);
      const committedAt = new Date();
      // the hash chains from the head this append is based on: a stale head fails the insert on its _id
      const stored = chainEvents(events.map((e, i) => stamped(e, committedAt, streamId, version + i + 1)), previous?.lastHash);
      const commit: CommitDocument = {
        _id: commitId(streamId, version + 1), streamId, from: version + 1, to: version + stored.length, committedAt, events: stored, ...traced(activeTraceparent()),
      };
      // a lean insert stores the events exactly as hashed (mongoose's create would drop empty objects)
      if ((await insertPrefix(this.commits, [commit])) === 0) {
        const retry = expected === 'any' || expected === 'stream-exists';
        if (!retry || attempt >= MAX_RETRIES_FOR_ANY) throw new WrongExpectedVersionError(streamId, expected, (await this.streamHead(streamId))?.to ?? 0);
        continue;
      }
      this.remember(streamId, boundaryOf(commit));
      await this.afterCommit?.(commit);
      const position = await this.placeOnce(commit._id, async () => {
        if (previous) await this.ensurePlaced(streamId, previous);
        return this.enqueue(commit, 1);
      });
      const cached = this.readCache.get(streamId) ?? { commits: [], positions: [] };
      if (eventsIn(cached.commits) + 1 === commit.from) {
        this.cacheStream(streamId, [...cached.commits, commit], [...cached.positions, position]);
      }
      return { nextExpectedVersion: commit.to, position };
    }
  }

  appendBatch(appends: StreamAppend[]): Promise<AppendResult[]> {
    return this.timed('append-batch', () => this.appendAll(appends));
  }

  private async appendAll(appends: StreamAppend[]): Promise<AppendResult[]> {
    if (new Set(appends.map((a) => a.streamId)).size !== appends.length) throw new Error('appendBatch takes each stream at most once');
    if (appends.some((a) => a.events.length === 0)) throw new Error('append needs at least one event');
    const resolved: { version: number; previous: Boundary | null }[] = [];
    for (let i = 0; i < appends.length; i += PARALLEL_READS) {
      resolved.push(...(await Promise.all(appends.slice(i, i + PARALLEL_READS).map((a) => this.resolveExpected(a.streamId, a.expected)))));
    }
    const sealed = await Promise.all(appends.map((a) => this.sealed(a.streamId, a.events)));
    const committedAt = new Date();
    const trace = traced(activeTraceparent());
    const commits: CommitDocument[] = appends.map(({ streamId }, i) => {
      const events = sealed[i];
      const { version, previous } = resolved[i];
      const stored = chainEvents(events.map((e, k) => stamped(e, committedAt, streamId, version + k + 1)), previous?.lastHash);
      return { _id: commitId(streamId, version + 1), streamId, from: version + 1, to: version + stored.length, committedAt, events: stored, ...trace };
    });
    const inserted = await insertPrefix(this.commits, commits);
    const written = commits.slice(0, inserted);
    for (const commit of written) {
      this.remember(commit.streamId, boundaryOf(commit));
      await this.afterCommit?.(commit);
    }
    // each stream's commit before goes first; then all are enqueued at once, so the group commit keeps their order
    await Promise.all(written.map((commit, i) => resolved[i].previous && this.ensurePlaced(commit.streamId, resolved[i].previous)));
    const positions = await Promise.all(written.map((commit) => this.placeOnce(commit._id, () => this.enqueue(commit, 1))));
    written.forEach((commit, i) => {
      const cached = this.readCache.get(commit.streamId) ?? { commits: [], positions: [] };
      if (eventsIn(cached.commits) + 1 === commit.from) this.cacheStream(commit.streamId, [...cached.commits, commit], [...cached.positions, positions[i]]);
    });
    if (inserted < commits.length) {
      const { streamId, expected } = appends[inserted];
      throw new WrongExpectedVersionError(streamId, expected, (await this.streamHead(streamId))?.to ?? 0);
    }
    return written.map((commit, i) => ({ nextExpectedVersion: commit.to, position: positions[i] }));
  }

  /**
   * One ordered insert for the whole batch, then one group commit of their positions. FerretDB stops an insert at its
   * first duplicate, so the batch goes on after it: a commit stored by an earlier import that died before taking a
   * position is placed now. A stream's events are placed in the order given; one that is not in the batch was
   * placed before, since Kafka redelivers from the first event whose import did not finish.
   */
  importEvents(events: EventEnvelope[], traceparents: (string | undefined)[] = []): Promise<boolean[]> {
    return this.timed('import', () => this.importAll(events, traceparents));
  }

  private async importAll(received: EventEnvelope[], traceparents: (string | undefined)[]): Promise<boolean[]> {
    // an inbox copy's personal fields are sealed with this service's key for their subject, so an erasure here erases them
    const events: EventEnvelope[] = [];
    for (const event of received) events.push(...(await this.sealed(event.streamId, [event], 'keep')));
    const commits: CommitDocument[] = events.map((event, i) => ({
      _id: commitId(event.streamId, event.streamVersion), streamId: event.streamId, from: event.streamVersion, to: event.streamVersion,
      // an inbox copy is hashed on its own: copies arrive out of stream order or with gaps (dead letters), so they
      // cannot chain along the stream; the producer's store holds the chain, this store's checkpoints the order
      committedAt: new Date(), events: chainEvents([event], undefined), ...traced(traceparents[i]),
    }));
    const stored = commits.map(() => false);
    const toPlace: CommitDocument[] = [];
    for (let start = 0; start < commits.length;) {
      const rest = commits.slice(start);
      const inserted = await insertPrefix(this.commits, rest);
      rest.slice(0, inserted).forEach((commit, i) => {
        stored[start + i] = true;
        toPlace.push(commit);
      });
      const duplicate = rest[inserted];
      if (duplicate && !toPlace.some((c) => c._id === duplicate._id)) {
        const existing = await this.commits.findById(duplicate._id).lean();
        if (existing && (await this.outcomeOf(existing._id)).position === null) toPlace.push(existing);
      }
      start += inserted + 1;
    }
    for (const [i, commit] of commits.entries()) if (stored[i]) await this.afterCommit?.(commit);
    const lastOfStream = new Map<string, Promise<number>>();
    await Promise.all(toPlace.map((commit) => {
      const before = lastOfStream.get(commit.streamId);
      const placed = this.placeOnce(commit._id, async () => {
        await before;
        return this.enqueue(commit, 1);
      });
      lastOfStream.set(commit.streamId, placed);
      return placed;
    }));
    return stored;
  }

  /**
   * A stream's events, oldest first. What this process read or wrote of the stream before comes from memory;
   * only commits appended since are looked up. The chain is followed a window of commits at a time: most
   * commits hold one event, so the commits that would start at next, next + 1, ... are looked up together,
   * and a window the chain crossed is followed by a wider one. A commit whose writer died before placing it
   * is read too, with position 0.
   */
  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const fromVersion = options.fromVersion ?? 1;
    const cached = this.readCache.get(streamId);
    const docs = [...(cached?.commits ?? [])];
    const positions = [...(cached?.positions ?? [])];
    const known = docs.length;
    const untilVersion = options.untilVersion ?? Infinity;
    // a caller that takes the stream as last seen still gets the commits this process saw beyond its cache (a dead
    // writer's commit waiting for its position is read but not cached): else its append would fail on every retry
    const seenBeyond = (this.lastCommit.get(streamId)?.to ?? 0) > (docs[known - 1]?.to ?? 0);
    const enough = known > 0 && ((options.mayBeStale && !seenBeyond) || docs[known - 1].to >= untilVersion);
    for (let start = known ? docs[known - 1].to + 1 : 1, window = known ? 1 : Math.max(1, Math.min(options.readAhead ?? 4, MAX_READ_AHEAD)); !enough; window = Math.min(window * 2, MAX_READ_AHEAD)) {
      const found = await Promise.all(Array.from({ length: window }, (_, i) => this.commits.findById(commitId(streamId, start + i)).lean()));
      const byStart = new Map(found.flatMap((doc) => (doc ? [[doc.from, doc] as const] : [])));
      let next = start;
      for (let doc = byStart.get(next); doc; doc = byStart.get(next)) {
        docs.push(doc);
        next = doc.to + 1;
      }
      // no commit starts where the chain goes on (the stream ends here), or every version asked for is read
      if (next < start + window || next > untilVersion) break;
      start = next;
    }
    for (let i = known; i < docs.length; i += PARALLEL_READS) {
      positions.push(...(await Promise.all(docs.slice(i, i + PARALLEL_READS).map(async (doc) =>
        this.recentPlacements.get(doc._id) ?? (await this.outcomeOf(doc._id)).position ?? 0))));
    }
    if (docs.length) {
      this.remember(streamId, boundaryOf(docs[docs.length - 1]));
      // a commit still waiting for its position (0) is not kept, nor anything after it
      const unplaced = positions.indexOf(0);
      const keep = unplaced === -1 ? docs.length : unplaced;
      this.cacheStream(streamId, docs.slice(0, keep), positions.slice(0, keep));
    }
    return this.opened(docs
      .flatMap((doc, i) => this.toStored(doc.events, positions[i]))
      .filter((e) => e.streamVersion >= fromVersion && e.streamVersion <= untilVersion && (!options.occurredUntil || e.occurredAt <= options.occurredUntil)));
  }

  async readCommitsAfter(position: number, limit: number): Promise<Commit[]> {
    // a batch filled from what this process knows exists needs no probe of the head (a reader working off a backlog)
    const head = this.knownHead - position >= limit ? this.knownHead : await this.sharedProbe(READERS_HEAD_SHARE_MS);
    const wanted = Array.from({ length: Math.max(0, Math.min(limit, head - position)) }, (_, i) => position + i + 1);
    const commits: Commit[] = [];
    // one `_id` lookup per position, several in flight: an `$in` would scan the whole collection on FerretDB
    const docs: (PositionDocument | null)[] = [];
    for (let i = 0; i < wanted.length; i += PARALLEL_READS) {
      docs.push(...(await Promise.all(wanted.slice(i, i + PARALLEL_READS).map((p) => this.positionDoc(p)))));
    }
    for (const [i, position] of wanted.entries()) {
      const doc = docs[i];
      if (!doc) throw new Error(`position ${position} is missing below head ${head}`);
      commits.push({ position, streamId: doc.streamId, events: await this.opened(this.toStored(doc.events, position, doc.traceparent)), ...traced(doc.traceparent) });
    }
    return commits;
  }

  /** The highest position this process knows of, without asking the database (for metrics read at scrape time). */
  get knownHeadPosition(): number {
    return this.knownHead;
  }

  /** Tells observers (metrics) how long each successful write took. */
  private async timed<T>(operation: AppendTiming['operation'], write: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await write();
    appendTimings.publish({ store: this.collection, operation, seconds: (performance.now() - started) / 1000 });
    return result;
  }

  /**
   * The highest position, from one probe shared for HEAD_PROBE_SHARE_MS (the readers share theirs longer, see
   * READERS_HEAD_SHARE_MS); what this process placed itself is known at once.
   */
  headPosition(): Promise<number> {
    return this.sharedProbe(HEAD_PROBE_SHARE_MS);
  }

  private async sharedProbe(shareMs: number): Promise<number> {
    const shared = this.sharedHead;
    if (!shared || Date.now() - shared.at >= shareMs) {
      const probe = this.probeHead();
      this.sharedHead = { at: Date.now(), probe };
      probe.catch(() => (this.sharedHead = undefined));
      return probe;
    }
    return Math.max(await shared.probe, this.knownHead);
  }

  /** The highest position now: probe upwards from the last known head, doubling the step, then bisect. */
  private async probeHead(): Promise<number> {
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
    if (low > this.knownHead) this.headIsMine = false; // another process placed these
    this.knownHead = Math.max(this.knownHead, low);
    return low;
  }

  waitForNew(position: number, timeoutMs: number): Promise<void> {
    if (this.knownHead > position) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        after: position,
        done: () => {
          clearTimeout(timer);
          this.headWaiters.delete(waiter);
          if (this.headWaiters.size === 0) this.stopHeadPoll();
          resolve();
        },
      };
      const timer = setTimeout(waiter.done, timeoutMs).unref();
      this.headWaiters.add(waiter);
      this.headPoll ??= setInterval(() => void this.probeHead().then(() => this.notifyWaiters(), () => undefined), IDLE_HEAD_POLL_MS).unref();
    });
  }

  private stopHeadPoll(): void {
    clearInterval(this.headPoll);
    this.headPoll = undefined;
  }

  private notifyWaiters(): void {
    for (const waiter of this.headWaiters) if (this.knownHead > waiter.after) waiter.done();
  }

  async countCommitsAfter(position: number): Promise<number> {
    return Math.max(0, (await this.headPosition()) - position);
  }

  /**
   * Places commits whose writer died between inserting and placing them and that no later append of their stream
   * placed, each stream's in stream order. Scans the commit collection, so it runs at start-up and now and then,
   * not per command.
   */
  async repairUnpositioned(olderThanMs = 30_000): Promise<number> {
    // A commit without a position was written at most MAX_APPEND_MS before the newest placed commit (its writer
    // died within one append), so only commits from then on are candidates: a scan, but a bounded look-up after it.
    // An unplaced commit's predecessor is therefore placed already or among the candidates, placed before it.
    // Runs may be far apart (see EventSourcingRuntime): each also looks back to where the one before it looked.
    const head = await this.headPosition();
    const newest = head > 0 ? await this.positionDoc(head) : null;
    const newestCommit = newest ? await this.commits.findById(newest.commitId, { committedAt: 1 }).lean() : null;
    const until = Date.now() - olderThanMs;
    const since = new Date(Math.min(newestCommit?.committedAt.getTime() ?? 0, this.repairedUntil ?? Infinity) - MAX_APPEND_MS);
    // placed before `since`, so committed before it too: no longer a candidate
    for (const [id, at] of this.placedLately) if (at < since.getTime()) this.placedLately.delete(id);
    const candidates = await this.commits.find({ committedAt: { $gte: since, $lte: new Date(until) } }, { streamId: 1, from: 1 }).lean();
    candidates.sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : a.from - b.from));
    let repaired = 0;
    for (const { _id } of candidates) {
      // what this process placed or read placed lately needs no look-up (during a bulk import: thousands a minute)
      if (this.recentPlacements.has(_id) || this.placedLately.has(_id) || (await this.outcomeOf(_id)).position !== null) continue;
      const commit = await this.commits.findById(_id).lean();
      if (!commit) continue;
      await this.placeOnce(commit._id, () => this.enqueue(commit, 1));
      repaired++;
    }
    this.repairedUntil = Math.max(this.repairedUntil ?? 0, until);
    return repaired;
  }

  /**
   * Where a commit's placement stands, from attempt `attempt` on: its position, or else the first attempt not known
   * to have failed. With `complete`, a claimed position nobody inserted yet is inserted first (what its placer would
   * have done); without, such a commit counts as not placed.
   */
  private async outcomeOf(id: string, attempt = 1, complete = false): Promise<{ position: number | null; attempt: number }> {
    for (; ; attempt++) {
      const claim = await this.placements.findById(attemptId(id, attempt)).lean();
      if (!claim) return { position: null, attempt };
      let doc = await this.positionDoc(claim.position);
      if (!doc && complete) {
        await this.complete(claim);
        doc = await this.positionDoc(claim.position);
      }
      if (!doc) return { position: null, attempt };
      if (doc.commitId === id) return { position: claim.position, attempt };
    }
  }

  /** Inserts the position a claim names, right after the position before it (the group's previous claim completed first). */
  private async complete(claim: PlacementDocument): Promise<void> {
    if (claim.position > 1 && !(await this.positionExists(claim.position - 1))) {
      const previous = claim.previous ? await this.placements.findById(claim.previous).lean() : null;
      if (!previous) throw new Error(`position ${claim.position - 1} is missing below the claim ${claim._id}`);
      await this.complete(previous);
    }
    const id = commitOfAttempt(claim._id);
    const commit = await this.commits.findById(id).lean();
    if (!commit) throw new Error(`commit ${id} is missing`);
    await insertPrefix(this.positions, [positionDocument(claim.position, commit)]);
  }

  /**
   * The position of a stream's commit, placing it first if its writer died or is still at work (and before it, the
   * stream's commits before it). Known in memory after a read or an append; otherwise one lookup of its claim, and of
   * the position it names unless that is in memory.
   */
  private async ensurePlaced(streamId: string, commit: Boundary): Promise<number> {
    const id = commitId(streamId, commit.from);
    const cached = this.readCache.get(streamId);
    if (cached?.commits.at(-1)?.from === commit.from) return cached.positions[cached.positions.length - 1];
    const known = this.recentPlacements.get(id) ?? (await this.inFlight.get(id));
    if (known !== undefined) return known;
    const outcome = await this.outcomeOf(id);
    if (outcome.position !== null) return outcome.position;
    return this.placeOnce(id, async () => {
      const doc = await this.commits.findById(id).lean();
      if (!doc) throw new Error(`commit ${id} is missing`);
      const previous = await this.predecessorOf(streamId, doc.from);
      if (previous) await this.ensurePlaced(streamId, previous);
      return this.enqueue(doc, outcome.attempt);
    });
  }

  /** The commit that ends right before `from` (only when placing a dead writer's commit): looked up backwards by `_id`. */
  private async predecessorOf(streamId: string, from: number): Promise<Boundary | null> {
    if (from === 1) return null;
    const cached = this.readCache.get(streamId)?.commits.find((c) => c.to === from - 1);
    if (cached) return cached;
    for (let start = from - 1; start >= 1; start -= 4) {
      const starts = Array.from({ length: Math.min(4, start) }, (_, i) => start - i);
      const found = await Promise.all(starts.map((s) => this.commits.findById(commitId(streamId, s), { from: 1, to: 1 }).lean()));
      const hit = found.find((doc) => doc);
      if (hit) return { from: hit.from, to: hit.to };
    }
    throw new Error(`stream ${streamId} has no commit before version ${from}`);
  }

  /** Runs one placement per commit in this process: a second caller gets the first one's position. */
  private placeOnce(id: string, place: () => Promise<number>): Promise<number> {
    return sharedWhileRunning(this.inFlight, id, place);
  }

  /**
   * Gives a commit the next global position. Commits waiting in this process are placed together (group commit):
   * one probe of the head, one ordered insert of their claims on consecutive positions, one of the positions,
   * instead of every writer racing every other for head + 1. Another process may still take a position first;
   * then that attempt failed, and the commit goes again with the next one.
   */
  private enqueue(commit: CommitDocument, attempt: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.waitingForPosition.push({ commit, attempt, resolve, reject });
      void this.placeWaitingCommits();
    });
  }

  private async placeWaitingCommits(): Promise<void> {
    if (this.placing) return;
    this.placing = true;
    try {
      while (this.waitingForPosition.length > 0) {
        // commits whose wait ends together (the next of each stream, once the group before placed theirs) go together
        await new Promise(setImmediate);
        const group = this.waitingForPosition.splice(0, MAX_GROUP_COMMIT);
        try {
          const positions = await this.placeInGlobalOrder(group);
          group.forEach((w, i) => w.resolve(positions[i]));
        } catch (error) {
          group.forEach((w) => w.reject(error));
        }
      }
    } finally {
      this.placing = false;
    }
  }

  private async placeInGlobalOrder(group: Waiting[]): Promise<number[]> {
    const positions: number[] = [];
    let open = group.map(({ commit, attempt }, index) => ({ commit, attempt, index }));
    while (open.length > 0) {
      const first = (this.headIsMine ? this.knownHead : await this.probeHead()) + 1;
      const ids = open.map((m) => attemptId(m.commit._id, m.attempt));
      const claims = ids.map((_id, i) => ({ _id, position: first + i, ...(i > 0 ? { previous: ids[i - 1] } : {}) }));
      const claimed = await insertPrefix(this.placements, claims);
      const docs = open.slice(0, claimed).map((m, i) => positionDocument(first + i, m.commit));
      const again: typeof open = [];
      for (let i = 0; i < docs.length; i++) {
        const inserted = await insertPrefix(this.positions, docs.slice(i));
        docs.slice(i, i + inserted).forEach((_, k) => (positions[open[i + k].index] = first + i + k));
        this.rememberPositions(docs.slice(i, i + inserted));
        i += inserted;
        if (i === docs.length) break;
        // another process took this position first: the attempt failed, unless that was a placer finishing our claim
        if ((await this.positionDoc(first + i))?.commitId === docs[i].commitId) positions[open[i].index] = first + i;
        else again.push({ ...open[i], attempt: open[i].attempt + 1 });
      }
      const taken = open[claimed];
      // every claim and position of the group went through: the head is the last one placed here
      this.headIsMine = again.length === 0 && !taken && docs.length > 0 && first + docs.length - 1 >= this.knownHead;
      if (taken) {
        // another placer claimed this attempt (the next writer of the stream, the repair): its outcome is ours
        const outcome = await this.outcomeOf(taken.commit._id, taken.attempt, true);
        if (outcome.position !== null) positions[taken.index] = outcome.position;
        else again.push({ ...taken, attempt: outcome.attempt });
        again.push(...open.slice(claimed + 1));
      }
      open = again;
    }
    return positions;
  }

  private async resolveExpected(streamId: string, expected: ExpectedVersion): Promise<{ version: number; previous: Boundary | null }> {
    if (expected === 'no-stream' || expected === 0) return { version: 0, previous: null };
    // read here up to exactly that version: those commits exist (they are never removed), and a faster writer's
    // commit would start at expected + 1, where the insert fails on its _id
    const cached = this.readCache.get(streamId)?.commits.at(-1);
    if (cached && expected === cached.to) return { version: expected, previous: boundaryOf(cached) };
    const head = await this.streamHead(streamId);
    const actual = head?.to ?? 0;
    if (expected === 'any') return { version: actual, previous: head };
    if (expected === 'stream-exists') {
      if (!head) throw new WrongExpectedVersionError(streamId, expected, 0);
      return { version: actual, previous: head };
    }
    // The new commit must start right after the head commit; the insert then catches any writer that was faster.
    if (actual !== expected) throw new WrongExpectedVersionError(streamId, expected, actual);
    return { version: expected, previous: head };
  }

  /** The stream's last commit: from the cached or remembered one (commits are immutable) or from the start, following the chain. */
  private async streamHead(streamId: string): Promise<Boundary | null> {
    const cached = this.readCache.get(streamId)?.commits.at(-1);
    const hint = this.lastCommit.get(streamId);
    let head: Boundary | null = cached ? boundaryOf(cached) : (hint && (await this.commits.exists({ _id: commitId(streamId, hint.from) })) ? hint : null);
    for (;;) {
      // the whole commit: the next append chains from its last event's hash
      const next = await this.commits.findById(commitId(streamId, head ? head.to + 1 : 1)).lean();
      if (!next) break;
      head = boundaryOf(next);
    }
    if (head) this.remember(streamId, head);
    return head;
  }

  /** Keeps a stream's placed commits (frozen: shared by every later read, so code that changed an event in place fails loudly). */
  private cacheStream(streamId: string, commits: CommitDocument[], positions: number[]): void {
    if (commits.length === 0) {
      this.readCache.delete(streamId);
      return;
    }
    // the commits cached before are the first ones of `commits`: only the new ones are frozen and measured
    const before = this.readCache.peek(streamId);
    const reused = before && before.commits.length <= commits.length ? before : undefined;
    let bytes = reused?.bytes ?? 0;
    for (const commit of commits.slice(reused?.commits.length ?? 0)) {
      deepFreeze(commit.events);
      bytes += JSON.stringify(commit.events).length;
    }
    this.readCache.set(streamId, { commits, positions, bytes });
  }

  private rememberPositions(docs: PositionDocument[]): void {
    for (const doc of docs) {
      deepFreeze(doc.events);
      this.recentPositions.set(Number(doc._id), doc);
      this.recentPlacements.set(doc.commitId, Number(doc._id));
      this.placedLately.set(doc.commitId, Date.now());
      this.knownHead = Math.max(this.knownHead, Number(doc._id));
    }
    if (this.headWaiters.size > 0) this.notifyWaiters();
  }

  /** A position document, from memory when read or placed lately. */
  private async positionDoc(position: number): Promise<PositionDocument | null> {
    const recent = this.recentPositions.get(position);
    if (recent) return recent;
    // readers that lag together (a service's projections after a bulk import) share one lookup
    return sharedWhileRunning(this.positionReads, position, async () => {
      const doc = await this.positions.findById(String(position)).lean<PositionDocument>().exec();
      if (doc) this.rememberPositions([doc]);
      return doc;
    });
  }

  private remember(streamId: string, boundary: Boundary): void {
    this.lastCommit.set(streamId, { from: boundary.from, to: boundary.to, lastHash: boundary.lastHash });
  }

  private async positionExists(position: number): Promise<boolean> {
    return (await this.positions.exists({ _id: String(position) })) !== null;
  }

  /** Pending events with their personal fields sealed; a type without a subject field takes the stream's. */
  private async sealed<E extends PendingEvent>(streamId: string, events: E[], withoutSubject?: 'keep'): Promise<E[]> {
    const cipher = this.personalData;
    if (!cipher) return events;
    return cipher.seal(events, async () => {
      for (const event of await this.readStream(streamId, { mayBeStale: true })) {
        const subject = cipher.subjectNamedBy(event);
        if (subject) return subject;
      }
      return undefined;
    }, withoutSubject);
  }

  private opened(events: StoredEvent[]): Promise<StoredEvent[]> | StoredEvent[] {
    return this.personalData ? this.personalData.open(events) : events;
  }

  private toStored(events: EventEnvelope[], position: number, traceparent?: string): StoredEvent[] {
    return events.map((e) => this.upcast({ ...e, position, ...traced(traceparent) }));
  }
}
