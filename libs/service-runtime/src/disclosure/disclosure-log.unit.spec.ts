import { AppendResult, EventStore, ExpectedVersion, InMemoryEventStore, PendingEvent } from '@cbme/event-sourcing';
import { Disclosure, DisclosureLog } from './disclosure-log';

const reader = { userId: 'coach-1', role: 'coach', institutionId: 'inst', schoolId: 'medicine', correlationId: 'req-1' };
const read = (n: number): Disclosure => ({ learnerId: `lea-${n}`, record: 'goals', route: `GET /learners/lea-${n}/goals`, reader, at: `2026-12-01T10:00:0${n % 10}.000Z` });

/** every commit the store holds, as [stream, events] */
async function commits(store: EventStore) {
  return (await store.readCommitsAfter(0, 1_000)).map((c) => ({ streamId: c.streamId, events: c.events }));
}

/** a store whose next appends fail as a dropped connection would: before writing, or after writing (the caller never hears) */
class FlakyStore extends InMemoryEventStore {
  failures: ('before' | 'after')[] = [];
  attempts = 0;

  override async append(streamId: string, expected: ExpectedVersion, events: PendingEvent[]): Promise<AppendResult> {
    this.attempts++;
    const failure = this.failures.shift();
    if (failure === 'before') throw new Error('connection reset');
    const result = await super.append(streamId, expected, events);
    if (failure === 'after') throw new Error('socket timeout');
    return result;
  }
}

describe('DisclosureLog', () => {
  it('writes nothing until flushed, then every buffered read in one commit', async () => {
    const store = new InMemoryEventStore();
    const log = new DisclosureLog(store, { flushMs: 60_000 });
    log.record(read(1));
    log.record(read(2));
    log.record(read(3));
    expect(await store.headPosition()).toBe(0);
    expect(log.unwritten).toBe(3);

    await log.flush();

    const written = await commits(store);
    expect(written).toHaveLength(1);
    expect(written[0].streamId).toMatch(/^disclosures-[0-9a-f-]{36}$/);
    expect(written[0].events.map((e) => e.data)).toEqual([1, 2, 3].map((n) => ({ learnerId: `lea-${n}`, record: 'goals', route: `GET /learners/lea-${n}/goals` })));
    expect(written[0].events[0]).toMatchObject({
      type: 'audit.record-disclosed', schemaVersion: 1, occurredAt: '2026-12-01T10:00:01.000Z',
      actor: { userId: 'coach-1', role: 'coach' }, tenant: { institutionId: 'inst', schoolId: 'medicine' }, correlationId: 'req-1', causationId: null,
    });
    expect(log.unwritten).toBe(0);
  });

  it('splits a busy interval into commits of at most perCommit reads, in the order read', async () => {
    const store = new InMemoryEventStore();
    const log = new DisclosureLog(store, { flushMs: 60_000, perCommit: 2 });
    for (let n = 1; n <= 5; n++) log.record(read(n));
    await log.flush();
    const written = await commits(store);
    expect(written.map((c) => c.events.length)).toEqual([2, 2, 1]);
    expect(written.flatMap((c) => c.events.map((e) => (e.data as { learnerId: string }).learnerId))).toEqual(['lea-1', 'lea-2', 'lea-3', 'lea-4', 'lea-5']);
  });

  it('flushes on its interval and once more when stopped', async () => {
    jest.useFakeTimers();
    try {
      const store = new InMemoryEventStore();
      const log = new DisclosureLog(store, { flushMs: 1_000 });
      log.start();
      log.record(read(1));
      await jest.advanceTimersByTimeAsync(1_000);
      expect(await commits(store)).toHaveLength(1);
      log.record(read(2));
      await log.stop();
      expect((await commits(store)).map((c) => c.events.length)).toEqual([1, 1]);
      await jest.advanceTimersByTimeAsync(5_000);
      expect(await commits(store)).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps the reads of a failed append and writes them at the next flush', async () => {
    const store = new FlakyStore();
    const errors: string[] = [];
    const log = new DisclosureLog(store, { flushMs: 60_000, onError: (m) => errors.push(m) });
    store.failures = ['before'];
    log.record(read(1));
    await log.flush();
    expect(await commits(store)).toHaveLength(0);
    expect(log.unwritten).toBe(1);
    expect(errors).toEqual([expect.stringContaining('connection reset')]);

    log.record(read(2));
    await log.flush();
    expect((await commits(store)).map((c) => c.events.length)).toEqual([1, 1]);
    expect(log.unwritten).toBe(0);
  });

  it('writes a commit once when its append was stored but its answer was lost', async () => {
    const store = new FlakyStore();
    const log = new DisclosureLog(store, { flushMs: 60_000, onError: () => undefined });
    store.failures = ['after'];
    log.record(read(1));
    await log.flush();
    expect(log.unwritten).toBe(1);
    await log.flush(); // the same stream again: the conflict says the first attempt was stored
    expect(store.attempts).toBe(2);
    expect(await commits(store)).toHaveLength(1);
    expect(log.unwritten).toBe(0);
  });

  it('drops the oldest reads beyond maxBuffered while the store is away, and counts them', async () => {
    const store = new FlakyStore();
    const errors: string[] = [];
    const log = new DisclosureLog(store, { flushMs: 60_000, maxBuffered: 3, onError: (m) => errors.push(m) });
    for (let n = 1; n <= 5; n++) log.record(read(n));
    expect(log.dropped).toBe(2);
    expect(errors).toHaveLength(2);
    await log.flush();
    const [commit] = await commits(store);
    expect(commit.events.map((e) => (e.data as { learnerId: string }).learnerId)).toEqual(['lea-3', 'lea-4', 'lea-5']);
  });

  it('runs one flush at a time: concurrent flushes write each read once', async () => {
    const store = new InMemoryEventStore();
    const log = new DisclosureLog(store, { flushMs: 60_000 });
    log.record(read(1));
    const first = log.flush();
    log.record(read(2));
    await Promise.all([first, log.flush(), log.flush()]);
    const ids = (await commits(store)).flatMap((c) => c.events.map((e) => e.eventId));
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });
});
