import { AppendResult, Commit, EventStore, ExpectedVersion, PendingEvent, ReadStreamOptions, StoredEvent } from './event-store';
import { InMemoryEventStore } from './in-memory-event-store';

/**
 * A dry run over a real store: a stream is copied from the real store the first time it is read, and every append
 * goes to memory only. Command handlers run on it unchanged, so a history import is judged by the same handlers and
 * deciders as its real run, and nothing reaches the real store.
 */
export class OverlayEventStore implements EventStore {
  private readonly memory = new InMemoryEventStore();
  private readonly copied = new Set<string>();

  constructor(private readonly base: EventStore) {}

  private async copy(streamId: string) {
    if (this.copied.has(streamId)) return;
    this.copied.add(streamId);
    const events = await this.base.readStream(streamId);
    if (events.length) await this.memory.importEvents(events.map(({ position: _p, ...event }) => event));
  }

  async append(streamId: string, expected: ExpectedVersion, events: PendingEvent[]): Promise<AppendResult> {
    await this.copy(streamId);
    return this.memory.append(streamId, expected, events);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    await this.copy(streamId);
    return this.memory.readStream(streamId, options);
  }

  importEvents(): Promise<boolean[]> {
    throw new Error('an overlay store is for dry runs of commands; it imports nothing');
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
