import { EventEnvelope } from '@cbme/contracts';
import {
  AppendResult, Commit, EventStore, ExpectedVersion, PendingEvent, ReadStreamOptions, StoredEvent, Upcast,
  WrongExpectedVersionError,
} from './event-store';

/** The same contract as MongoEventStore, in memory: for unit tests of handlers and projections. */
export class InMemoryEventStore implements EventStore {
  private readonly commits: Commit[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();

  constructor(private readonly upcast: Upcast = (e) => e) {}

  async append(streamId: string, expected: ExpectedVersion, pending: PendingEvent[]): Promise<AppendResult> {
    if (pending.length === 0) throw new Error('append needs at least one event');
    const actual = this.streams.get(streamId)?.length ?? 0;
    const matches =
      expected === 'any' ||
      (expected === 'stream-exists' && actual > 0) ||
      ((expected === 'no-stream' || expected === 0) && actual === 0) ||
      expected === actual;
    if (!matches) throw new WrongExpectedVersionError(streamId, expected, actual);
    const position = this.commits.length + 1;
    const events = pending.map((e, i) => ({ ...e, streamId, streamVersion: actual + i + 1, position }));
    this.commits.push({ position, streamId, events });
    this.streams.set(streamId, [...(this.streams.get(streamId) ?? []), ...events]);
    return { nextExpectedVersion: actual + events.length, position };
  }

  async importEvents(events: EventEnvelope[]): Promise<boolean[]> {
    return events.map((event) => {
      const stream = this.streams.get(event.streamId) ?? [];
      if (stream.some((e) => e.streamVersion === event.streamVersion)) return false;
      const stored = { ...event, position: this.commits.length + 1 };
      this.commits.push({ position: stored.position, streamId: event.streamId, events: [stored] });
      this.streams.set(event.streamId, [...stream, stored]);
      return true;
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    return (this.streams.get(streamId) ?? [])
      .filter((e) => e.streamVersion >= (options.fromVersion ?? 1))
      .filter((e) => !options.occurredUntil || e.occurredAt <= options.occurredUntil)
      .sort((a, b) => a.streamVersion - b.streamVersion)
      .map(this.upcast);
  }

  async readCommitsAfter(position: number, limit: number): Promise<Commit[]> {
    return this.commits
      .filter((c) => c.position > position)
      .slice(0, limit)
      .map((c) => ({ ...c, events: c.events.map(this.upcast) }));
  }

  async headPosition(): Promise<number> {
    return this.commits.length;
  }

  async countCommitsAfter(position: number): Promise<number> {
    return this.commits.filter((c) => c.position > position).length;
  }
}
