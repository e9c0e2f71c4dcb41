import { AppendResult, Commit, EventStore, ExpectedVersion, PendingEvent, ReadStreamOptions, StoredEvent, StreamAppend } from './event-store';
import { InMemoryEventStore } from './in-memory-event-store';

const PARALLEL_READS = 16;

/**
 * Commands run over a real store with their appends held in memory: a stream is copied from the real store the first
 * time it is read, and every append goes to memory only. Command handlers run on it unchanged, so a history import is
 * judged by the same handlers and deciders whether it is a dry run (dropped afterwards) or a batch that is then
 * written with `pendingAppends()` (one commit per stream, checked against the version it was copied at).
 */
export class OverlayEventStore implements EventStore {
  private readonly memory = new InMemoryEventStore({ hashChain: false });
  /** per stream copied: its version in the real store when copied */
  private readonly copied = new Map<string, Promise<number>>();
  private readonly pending = new Map<string, PendingEvent[]>();

  /** `assumedNew`: streams known not to exist in the real store (an append to one that does is refused when written) */
  constructor(private readonly base: EventStore, private readonly assumedNew: ReadonlySet<string> = new Set()) {}

  private copy(streamId: string, options?: ReadStreamOptions): Promise<number> {
    let copying = this.copied.get(streamId);
    if (!copying && this.assumedNew.has(streamId)) {
      copying = Promise.resolve(0);
      this.copied.set(streamId, copying);
    }
    if (!copying) {
      copying = this.base.readStream(streamId, options).then(async (events) => {
        if (events.length) await this.memory.importEvents(events.map(({ position: _p, traceparent: _t, ...event }) => event));
        return events.at(-1)?.streamVersion ?? 0;
      });
      this.copied.set(streamId, copying);
    }
    return copying;
  }

  /**
   * Copies streams ahead of the commands that read them, several reads in flight; most of an import's are new, so
   * probed first. A stream the base store has in memory is taken from there: writing the overlay's appends checks
   * each stream's version, so a stream another writer extended meanwhile is refused then.
   */
  async preload(streamIds: Iterable<string>): Promise<void> {
    const ids = [...new Set(streamIds)];
    for (let i = 0; i < ids.length; i += PARALLEL_READS) await Promise.all(ids.slice(i, i + PARALLEL_READS).map((id) => this.copy(id, { readAhead: 1, mayBeStale: true })));
  }

  async append(streamId: string, expected: ExpectedVersion, events: PendingEvent[]): Promise<AppendResult> {
    await this.copy(streamId);
    const result = await this.memory.append(streamId, expected, events);
    this.pending.set(streamId, [...(this.pending.get(streamId) ?? []), ...events]);
    return result;
  }

  async appendBatch(appends: StreamAppend[]): Promise<AppendResult[]> {
    const results: AppendResult[] = [];
    for (const { streamId, expected, events } of appends) results.push(await this.append(streamId, expected, events));
    return results;
  }

  /** The streams read here that the real store did not have. */
  async streamsNewInBase(): Promise<Set<string>> {
    const versions = await Promise.all([...this.copied].map(async ([streamId, copying]) => [streamId, await copying] as const));
    return new Set(versions.filter(([, version]) => version === 0).map(([streamId]) => streamId));
  }

  /** What was appended here, per stream in first-append order, expected at the version the real store had when copied. */
  async pendingAppends(): Promise<StreamAppend[]> {
    return Promise.all([...this.pending].map(async ([streamId, events]) => ({ streamId, expected: await this.copy(streamId), events })));
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    await this.copy(streamId);
    return this.memory.readStream(streamId, options);
  }

  importEvents(): Promise<boolean[]> {
    throw new Error('an overlay store is for commands run ahead of the real store; it imports nothing');
  }

  readCommitsAfter(position: number, limit: number): Promise<Commit[]> {
    return this.memory.readCommitsAfter(position, limit);
  }

  headPosition(): Promise<number> {
    return this.memory.headPosition();
  }

  countCommitsAfter(position: number): Promise<number> {
    return this.memory.countCommitsAfter(position);
  }

  repairUnpositioned(): Promise<number> {
    return Promise.resolve(0);
  }
}
