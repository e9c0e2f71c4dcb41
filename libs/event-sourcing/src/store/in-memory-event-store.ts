import { EventEnvelope } from '@cbme/contracts';
import {
  AfterCommit, AppendResult, Commit, EventStore, ExpectedVersion, PendingEvent, ReadStreamOptions, stamped, StoredEvent, StreamAppend, Upcast,
  upcastStored, WrongExpectedVersionError,
} from './event-store';
import { chainEvents, HashedEnvelope, lastHash } from './event-hash';
import { activeTraceparent } from '../tracing/trace-context';

interface StoredCommit {
  streamId: string;
  from: number;
  to: number;
  committedAt: number;
  events: HashedEnvelope[];
  /** null until the commit has its place in the global order */
  position: number | null;
  /** of the span that wrote it, when traced */
  traceparent?: string;
}

/** What instances opened on one store share: a second process on the same database. */
class InMemoryData {
  /** each stream's commits in the order they were stored */
  readonly streams = new Map<string, StoredCommit[]>();
  /** placed commits in global order: position = index + 1 */
  readonly placed: StoredCommit[] = [];
}

export interface InMemoryEventStoreOptions {
  upcast?: Upcast;
  /** test seam, see AfterCommit */
  afterCommit?: AfterCommit;
  /** another instance whose events this one reads and writes, as a second process on one database would */
  sharing?: InMemoryEventStore;
  /** false: events are stored as JSON, without the hash chain (an overlay's scratch copy, thrown away after use) */
  hashChain?: boolean;
}

/**
 * The same contract as MongoEventStore, in memory: for unit tests of handlers and projections. A commit is stored,
 * then placed; a stream's commits stored before it and still unplaced (their writer died, see AfterCommit) are
 * placed first, so positions follow stream order as in MongoEventStore.
 */
export class InMemoryEventStore implements EventStore {
  private readonly data: InMemoryData;
  private readonly upcast: Upcast;
  private readonly afterCommit?: AfterCommit;
  private readonly chain: (events: EventEnvelope[], previous: string | undefined) => HashedEnvelope[];

  constructor(options: InMemoryEventStoreOptions = {}) {
    this.data = options.sharing?.data ?? new InMemoryData();
    this.upcast = options.upcast ?? upcastStored;
    this.afterCommit = options.afterCommit;
    this.chain = options.hashChain === false ? (events) => events.map((e) => JSON.parse(JSON.stringify(e)) as HashedEnvelope) : chainEvents;
  }

  async append(streamId: string, expected: ExpectedVersion, pending: PendingEvent[]): Promise<AppendResult> {
    if (pending.length === 0) throw new Error('append needs at least one event');
    const head = this.data.streams.get(streamId)?.at(-1);
    const actual = head?.to ?? 0;
    const matches =
      expected === 'any' ||
      (expected === 'stream-exists' && actual > 0) ||
      ((expected === 'no-stream' || expected === 0) && actual === 0) ||
      expected === actual;
    if (!matches) throw new WrongExpectedVersionError(streamId, expected, actual);
    const now = new Date();
    const events = this.chain(pending.map((e, i) => stamped(e, now, streamId, actual + i + 1)), lastHash(head?.events));
    const commit = this.store({ streamId, from: actual + 1, to: actual + events.length, committedAt: now.getTime(), events, position: null, traceparent: activeTraceparent() });
    await this.afterCommit?.(commit);
    return { nextExpectedVersion: commit.to, position: this.place(commit) };
  }

  async appendBatch(appends: StreamAppend[]): Promise<AppendResult[]> {
    if (new Set(appends.map((a) => a.streamId)).size !== appends.length) throw new Error('appendBatch takes each stream at most once');
    const results: AppendResult[] = [];
    for (const { streamId, expected, events } of appends) results.push(await this.append(streamId, expected, events));
    return results;
  }

  async importEvents(events: EventEnvelope[], traceparents: (string | undefined)[] = []): Promise<boolean[]> {
    const toPlace: StoredCommit[] = [];
    const stored = events.map((event, i) => {
      const existing = this.data.streams.get(event.streamId)?.find((c) => c.from === event.streamVersion);
      if (existing) {
        toPlace.push(existing);
        return false;
      }
      toPlace.push(this.store({ streamId: event.streamId, from: event.streamVersion, to: event.streamVersion, committedAt: Date.now(), events: this.chain([event], undefined), position: null, traceparent: traceparents[i] }));
      return true;
    });
    for (const [i, commit] of toPlace.entries()) if (stored[i]) await this.afterCommit?.(commit);
    toPlace.forEach((commit) => this.place(commit));
    return stored;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    return [...(this.data.streams.get(streamId) ?? [])]
      .sort((a, b) => a.from - b.from)
      .flatMap((c) => this.toStored(c))
      .filter((e) => e.streamVersion >= (options.fromVersion ?? 1) && e.streamVersion <= (options.untilVersion ?? Infinity))
      .filter((e) => !options.occurredUntil || e.occurredAt <= options.occurredUntil);
  }

  async readCommitsAfter(position: number, limit: number): Promise<Commit[]> {
    return this.data.placed
      .slice(position, position + limit)
      .map((c, i) => ({ position: position + i + 1, streamId: c.streamId, events: this.toStored(c), ...(c.traceparent ? { traceparent: c.traceparent } : {}) }));
  }

  async headPosition(): Promise<number> {
    return this.data.placed.length;
  }

  async countCommitsAfter(position: number): Promise<number> {
    return Math.max(0, this.data.placed.length - position);
  }

  async repairUnpositioned(olderThanMs = 30_000): Promise<number> {
    const before = this.data.placed.length;
    const until = Date.now() - olderThanMs;
    for (const commits of this.data.streams.values()) {
      for (const commit of commits) if (commit.committedAt <= until) this.place(commit);
    }
    return this.data.placed.length - before;
  }

  private store(commit: StoredCommit): StoredCommit {
    this.data.streams.set(commit.streamId, [...(this.data.streams.get(commit.streamId) ?? []), commit]);
    return commit;
  }

  /** Places a commit once, after the commits of its stream stored before it. */
  private place(commit: StoredCommit): number {
    for (const earlier of this.data.streams.get(commit.streamId) ?? []) {
      if (earlier === commit) break;
      if (earlier.position === null) this.place(earlier);
    }
    if (commit.position === null) {
      this.data.placed.push(commit);
      commit.position = this.data.placed.length;
    }
    return commit.position;
  }

  private toStored(commit: StoredCommit): StoredEvent[] {
    const traced = commit.traceparent ? { traceparent: commit.traceparent } : {};
    return commit.events.map((e) => this.upcast({ ...e, position: commit.position ?? 0, ...traced }));
  }
}
