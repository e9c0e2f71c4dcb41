import { ENVELOPE_VERSION, EventEnvelope, upcastEnvelope } from '@cbme/contracts';

/**
 * An event read back from a store, with the global position of the commit that holds it and its link in the stream's
 * hash chain (over the event as stored, before any upcast; absent on events stored before hashing), and the W3C
 * traceparent of the span that wrote its commit, when that was traced (the commit's, outside the event and its hash).
 */
export type StoredEvent = EventEnvelope & { position: number; hash?: string; traceparent?: string };

/**
 * An event about to be appended; the store assigns its stream version and stamps `recordedAt` with its own clock.
 * Without `occurredAt` it is a live event: the same clock read is its occurredAt. With one (a backdated event, from a
 * trusted internal caller only) that date is kept.
 */
export type PendingEvent = Omit<EventEnvelope, 'streamId' | 'streamVersion' | 'envelopeVersion' | 'recordedAt' | 'occurredAt'> & { occurredAt?: string };

/** The envelope the store writes for a pending event: the current envelope version, both times (see PendingEvent). */
export function stamped(event: PendingEvent, recordedAt: Date, streamId: string, streamVersion: number): EventEnvelope {
  const at = recordedAt.toISOString();
  return { ...event, envelopeVersion: ENVELOPE_VERSION, occurredAt: event.occurredAt ?? at, recordedAt: at, streamId, streamVersion };
}

/**
 * What the caller believes about the stream before appending (KurrentDB semantics):
 * an exact version (0 means the stream does not exist yet), or one of the named states.
 */
export type ExpectedVersion = number | 'no-stream' | 'stream-exists' | 'any';

export class WrongExpectedVersionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`stream ${streamId} is at version ${actual}, expected ${expected}`);
    this.name = 'WrongExpectedVersionError';
  }
}

export interface AppendResult {
  /** The stream version after the append: the expected version for the next one. */
  nextExpectedVersion: number;
  position: number;
}

/** One atomic write in global order: the events of one append (or one imported event). */
export interface Commit {
  position: number;
  streamId: string;
  events: StoredEvent[];
  /** of the span that wrote it, when traced (see StoredEvent) */
  traceparent?: string;
}

/** One stream's part of a batch append: its events become one commit, expected at exactly that version. */
export interface StreamAppend {
  streamId: string;
  expected: number;
  events: PendingEvent[];
}

export interface ReadStreamOptions {
  fromVersion?: number;
  /** only events that occurred at or before this instant (for "as of" views) */
  occurredUntil?: string;
  /** a store that looks commits up by id: how many to look up at once when it knows nothing of the stream (1: it most likely does not exist yet) */
  readAhead?: number;
  /** only events up to this version (a projection at one of the stream's events: a store that has them in memory looks up nothing) */
  untilVersion?: number;
  /**
   * the stream as this process last saw it will do, if it saw it at all: the caller's append checks the version and
   * refuses if another writer got there since (a history import batch); a store then looks up only what it never saw
   */
  mayBeStale?: boolean;
}

export interface EventStore {
  /** Appends atomically with an optimistic concurrency check; throws WrongExpectedVersionError and writes nothing on conflict. */
  append(streamId: string, expected: ExpectedVersion, events: PendingEvent[]): Promise<AppendResult>;
  /**
   * Appends to many streams at once (a bulk writer such as the history import): each stream's events are one atomic
   * commit with its own optimistic check, written in one ordered insert and placed in one group commit, in the order
   * given. Not atomic across streams: at the first stream found at another version, the appends before it stay
   * committed and placed, the rest are not written, and WrongExpectedVersionError names that stream. A stream appears
   * at most once per batch.
   */
  appendBatch(appends: StreamAppend[]): Promise<AppendResult[]>;
  /**
   * Stores copies of events received from another service (an inbox), keeping their stream ids and versions, in
   * global order as given. Says for each whether it was new: an event version of a stream stored before is
   * skipped, so redelivery is harmless. `traceparents[i]`: the span that received `events[i]`, kept with its commit.
   */
  importEvents(events: EventEnvelope[], traceparents?: (string | undefined)[]): Promise<boolean[]>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /**
   * Commits after a global position, in position order. Positions have no gaps, and a stream's commits take
   * positions in stream order.
   */
  readCommitsAfter(position: number, limit: number): Promise<Commit[]>;
  /** The highest committed position (0 when empty). */
  headPosition(): Promise<number>;
  /**
   * Resolves once the head is beyond `position` (this process placed a commit, or the store's one poll of the head for
   * all its idle readers found one), or after `timeoutMs`. A store without it is polled by each reader.
   */
  waitForNew?(position: number, timeoutMs: number): Promise<void>;
  countCommitsAfter(position: number): Promise<number>;
  /**
   * Gives a position to commits stored at least `olderThanMs` ago whose writer died before placing them, each
   * stream's in stream order; returns how many it placed.
   */
  repairUnpositioned(olderThanMs?: number): Promise<number>;
}

/**
 * Test seam of both stores: runs after a commit is stored and before it gets its global position. Throwing there
 * leaves the commit without a position, as a writer that died at that point would; waiting there is a slow writer.
 */
export type AfterCommit = (commit: { streamId: string; from: number; to: number }) => Promise<void>;

/** Applied to every event read from a store: lifts older schema versions to the current one (a catalog's `upcast`). */
export type Upcast = (event: StoredEvent) => StoredEvent;

/** A store given no catalog still lifts older envelopes (payloads stay as stored). */
export const upcastStored: Upcast = (event) => upcastEnvelope(event);
