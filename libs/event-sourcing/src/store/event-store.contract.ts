import { pendingEvent } from '@cbme/testing';
import { randomUUID } from 'node:crypto';
import { eventHash } from './event-hash';
import { AfterCommit, EventStore, StoredEvent, WrongExpectedVersionError } from './event-store';

export { pendingEvent };

/** Opens an instance on one store; each instance stands for another process on the same database. */
export type OpenStore = (options?: { afterCommit?: AfterCommit }) => Promise<EventStore>;

const dies: AfterCommit = async () => {
  throw new Error('writer died');
};

/** One behaviour, every implementation: run against the in-memory store and against MongoDB/FerretDB. */
export function describeEventStoreContract(name: string, makeStore: () => Promise<OpenStore>) {
  describe(`event store contract: ${name}`, () => {
    let open: OpenStore;
    let store: EventStore;
    let stream: string;
    beforeEach(async () => {
      open = await makeStore();
      store = await open();
      stream = `test-${randomUUID()}`;
    });

    /** A stream's commits after a position, in global order, each as the version of its first event. */
    const placed = async (reader: EventStore, after: number, streamId = stream) =>
      (await reader.readCommitsAfter(after, 1_000)).filter((c) => c.streamId === streamId).map((c) => c.events[0].streamVersion);

    it('appends to a new stream and reads it back in order with versions', async () => {
      const result = await store.append(stream, 'no-stream', [pendingEvent(undefined, { n: 1 }), pendingEvent(undefined, { n: 2 })]);
      expect(result.nextExpectedVersion).toBe(2);
      const events = await store.readStream(stream);
      expect(events.map((e) => [e.streamVersion, e.data])).toEqual([[1, { n: 1 }], [2, { n: 2 }]]);
      expect(events.every((e) => e.streamId === stream && e.position === result.position)).toBe(true);
    });

    it('stamps recordedAt itself: a live event occurred when it was recorded, a backdated one keeps its date', async () => {
      const { occurredAt: _o, ...live } = pendingEvent(undefined, { n: 1 });
      const before = new Date().toISOString();
      // what a caller says about recordedAt is not taken
      await store.append(stream, 0, [{ ...live, recordedAt: '2020-01-01T00:00:00.000Z' } as typeof live, pendingEvent(undefined, { n: 2 }, '2025-03-01T09:00:00.000Z')]);
      const after = new Date().toISOString();
      const [first, second] = await store.readStream(stream);
      expect(first).toMatchObject({ envelopeVersion: 2, occurredAt: first.recordedAt });
      expect(first.recordedAt >= before && first.recordedAt <= after).toBe(true);
      expect(second).toMatchObject({ envelopeVersion: 2, occurredAt: '2025-03-01T09:00:00.000Z', recordedAt: first.recordedAt });
      const published = (await store.readCommitsAfter(0, 1_000)).find((c) => c.streamId === stream)!.events;
      expect(published.map((e) => [e.occurredAt, e.recordedAt])).toEqual([[first.recordedAt, first.recordedAt], ['2025-03-01T09:00:00.000Z', first.recordedAt]]);
    });

    it('appends at an exact expected version', async () => {
      await store.append(stream, 0, [pendingEvent(), pendingEvent()]);
      const result = await store.append(stream, 2, [pendingEvent()]);
      expect(result.nextExpectedVersion).toBe(3);
      expect((await store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    });

    it('reads a long stream of commits of mixed sizes whole and in order', async () => {
      // 60 commits of 1 to 3 events: longer than any one read-ahead window, with commits that span windows
      let version = 0;
      for (let i = 0; i < 60; i++) {
        const events = Array.from({ length: 1 + (i % 3 === 0 ? 2 : 0) }, () => pendingEvent(undefined, { n: version + 1 }));
        version = (await store.append(stream, version, events)).nextExpectedVersion;
      }
      const read = await store.readStream(stream);
      expect(read.map((e) => e.streamVersion)).toEqual(Array.from({ length: version }, (_, i) => i + 1));
      expect((await store.readStream(stream, { fromVersion: version - 1 })).map((e) => e.streamVersion)).toEqual([version - 1, version]);
    });

    it.each([
      ['a stale version inside an earlier commit', 1],
      ['a stale version at an earlier commit boundary', 0],
      ['a version ahead of the stream', 5],
    ])('refuses %s and writes nothing', async (_label, expected) => {
      await store.append(stream, 0, [pendingEvent(), pendingEvent()]);
      await expect(store.append(stream, expected, [pendingEvent()])).rejects.toBeInstanceOf(WrongExpectedVersionError);
      expect((await store.readStream(stream)).length).toBe(2);
    });

    it('refuses no-stream on an existing stream and stream-exists on a missing one', async () => {
      await expect(store.append(stream, 'stream-exists', [pendingEvent()])).rejects.toBeInstanceOf(WrongExpectedVersionError);
      await store.append(stream, 'no-stream', [pendingEvent()]);
      await expect(store.append(stream, 'no-stream', [pendingEvent()])).rejects.toMatchObject({ actual: 1 });
    });

    it('lets exactly one of many concurrent appends at the same version win', async () => {
      await store.append(stream, 0, [pendingEvent()]);
      const results = await Promise.allSettled(Array.from({ length: 8 }, () => store.append(stream, 1, [pendingEvent(), pendingEvent()])));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(rejected).toHaveLength(7);
      expect(rejected.every((r) => r.reason instanceof WrongExpectedVersionError)).toBe(true);
      expect((await store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    });

    it('appends with expected "any" from concurrent writers without losing one', async () => {
      await Promise.all(Array.from({ length: 5 }, () => store.append(stream, 'any', [pendingEvent()])));
      expect((await store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
    });

    it('reads all commits after a position in global order, each stream in its own order', async () => {
      const other = `${stream}-b`;
      const start = await store.headPosition();
      await store.append(stream, 0, [pendingEvent()]);
      await store.append(other, 0, [pendingEvent()]);
      await store.append(stream, 1, [pendingEvent()]);
      const commits = (await store.readCommitsAfter(start, 100)).filter((c) => c.events.length > 0);
      const mine = commits.filter((c) => c.streamId === stream || c.streamId === other);
      expect(mine.map((c) => [c.streamId, c.events[0].streamVersion])).toEqual([[stream, 1], [other, 1], [stream, 2]]);
      const positions = commits.map((c) => c.position);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(await store.headPosition()).toBe(positions[positions.length - 1]);
    });

    it('appends a batch to many streams: one commit each, placed in the order given, each stream checked at its version', async () => {
      const [b, c] = [`${stream}-b`, `${stream}-c`];
      const start = await store.headPosition();
      await store.append(b, 0, [pendingEvent(undefined, { n: 'b1' })]);
      const results = await store.appendBatch([
        { streamId: stream, expected: 0, events: [pendingEvent(undefined, { n: 1 }), pendingEvent(undefined, { n: 2 })] },
        { streamId: b, expected: 1, events: [pendingEvent(undefined, { n: 'b2' })] },
        { streamId: c, expected: 0, events: [pendingEvent(undefined, { n: 'c1' }, '2024-05-01T09:00:00.000Z')] },
      ]);
      expect(results.map((r) => r.nextExpectedVersion)).toEqual([2, 2, 1]);
      const commits = (await store.readCommitsAfter(start, 100)).filter((commit) => [stream, b, c].includes(commit.streamId));
      expect(commits.map((commit) => [commit.streamId, commit.events.map((e) => e.data)])).toEqual([
        [b, [{ n: 'b1' }]], [stream, [{ n: 1 }, { n: 2 }]], [b, [{ n: 'b2' }]], [c, [{ n: 'c1' }]],
      ]);
      expect(commits.slice(1).map((commit) => commit.position)).toEqual(results.map((r) => r.position));
      expect((await (await open()).readStream(c))[0]).toMatchObject({ streamVersion: 1, occurredAt: '2024-05-01T09:00:00.000Z' });
    });

    it('stops a batch at a stream that moved on: the appends before it are written and placed, the rest are not', async () => {
      const [b, c] = [`${stream}-b`, `${stream}-c`];
      await store.append(b, 0, [pendingEvent()]);
      const batch = store.appendBatch([
        { streamId: stream, expected: 0, events: [pendingEvent()] },
        { streamId: b, expected: 0, events: [pendingEvent()] },
        { streamId: c, expected: 0, events: [pendingEvent()] },
      ]);
      await expect(batch).rejects.toBeInstanceOf(WrongExpectedVersionError);
      await expect(batch).rejects.toMatchObject({ streamId: b });
      const reader = await open();
      expect((await reader.readStream(b)).length).toBe(1);
      expect(await reader.readStream(c)).toEqual([]);
      const [first] = await reader.readStream(stream);
      expect(first).toMatchObject({ streamVersion: 1 });
      expect(first.position).toBeGreaterThan(0);
    });

    it('imports an event received from another service once, whatever the redeliveries', async () => {
      await store.append(stream, 0, [pendingEvent()]);
      const [original] = await store.readStream(stream);
      const { position: _p, ...envelope } = original;
      const copy = { ...envelope, streamId: `${stream}-copy` };
      expect(await store.importEvents([copy])).toEqual([true]);
      expect(await store.importEvents([copy])).toEqual([false]);
      expect(await store.readStream(`${stream}-copy`)).toHaveLength(1);
    });

    it('imports a batch in the order given, skipping what was stored before or twice in the batch', async () => {
      await store.append(stream, 0, [pendingEvent(), pendingEvent(), pendingEvent()]);
      const [one, two, three] = (await store.readStream(stream)).map(({ position: _p, ...envelope }) => ({ ...envelope, streamId: `${stream}-copy` }));
      const other = { ...one, streamId: `${stream}-other` };
      const start = await store.headPosition();
      expect(await store.importEvents([two])).toEqual([true]);
      expect(await store.importEvents([one, two, other, three, three])).toEqual([true, false, true, true, false]);
      expect((await store.readStream(`${stream}-copy`)).map((e) => e.streamVersion)).toEqual([1, 2, 3]);
      const order = (await store.readCommitsAfter(start, 100)).map((c) => `${c.streamId.slice(stream.length)}:${c.events[0].streamVersion}`);
      expect(order).toEqual(['-copy:2', '-copy:1', '-other:1', '-copy:3']);
    });

    it('places the commit of a writer that died before placing it ahead of the next commit of its stream', async () => {
      const start = await store.headPosition();
      await store.append(stream, 0, [pendingEvent(undefined, { n: 1 })]);
      await expect((await open({ afterCommit: dies })).append(stream, 1, [pendingEvent(undefined, { n: 2 })])).rejects.toThrow('writer died');
      const other = await open();
      // the commit is stored, so the next command reads it and appends after it
      expect((await other.readStream(stream)).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
      await other.append(stream, 2, [pendingEvent(undefined, { n: 3 })]);
      expect(await placed(other, start)).toEqual([1, 2, 3]);
      const positions = (await other.readStream(stream)).map((e) => e.position);
      expect(positions.every((p, i) => p > (positions[i - 1] ?? start))).toBe(true);
      expect(await other.repairUnpositioned(0)).toBe(0);
    });

    it('gives a slow writer\'s commit one position, taken by the next writer of its stream ahead of its own', async () => {
      const start = await store.headPosition();
      await store.append(stream, 0, [pendingEvent()]);
      let reached!: () => void;
      let resume!: () => void;
      const atHook = new Promise<void>((resolve) => (reached = resolve));
      const resumed = new Promise<void>((resolve) => (resume = resolve));
      const slow = await open({ afterCommit: async () => { reached(); await resumed; } });
      const slowAppend = slow.append(stream, 1, [pendingEvent()]);
      await atHook;
      const fast = await open();
      const next = await fast.append(stream, 2, [pendingEvent()]);
      resume();
      const { position } = await slowAppend;
      const commits = (await fast.readCommitsAfter(start, 1_000)).filter((c) => c.streamId === stream);
      expect(commits.map((c) => c.events[0].streamVersion)).toEqual([1, 2, 3]);
      expect([commits[1].position, commits[2].position]).toEqual([position, next.position]);
    });

    it('keeps global order in stream order when two processes append to one stream at once', async () => {
      const start = await store.headPosition();
      const writers = [await open(), await open()];
      await Promise.all(writers.flatMap((writer) => Array.from({ length: 4 }, () => writer.append(stream, 'any', [pendingEvent()]))));
      expect(await placed(writers[0], start)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it('repairs the commits of writers that died, each stream\'s in stream order, once', async () => {
      const start = await store.headPosition();
      await store.append(stream, 0, [pendingEvent()]);
      const dying = await open({ afterCommit: dies });
      await expect(dying.append(stream, 1, [pendingEvent()])).rejects.toThrow('writer died');
      await expect(dying.append(stream, 2, [pendingEvent(), pendingEvent()])).rejects.toThrow('writer died');
      expect(await placed(store, start)).toEqual([1]);
      expect(await store.repairUnpositioned(0)).toBe(2);
      expect(await placed(store, start)).toEqual([1, 2, 3]);
      expect((await store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4]);
      expect(await store.repairUnpositioned(0)).toBe(0);
    });

    it('a repair after an earlier one finds what died in between (each run looks back to where the last one looked)', async () => {
      await store.repairUnpositioned(0);
      const start = await store.headPosition();
      await store.append(stream, 0, [pendingEvent()]);
      await expect((await open({ afterCommit: dies })).append(stream, 1, [pendingEvent()])).rejects.toThrow('writer died');
      expect(await store.repairUnpositioned(0)).toBe(1);
      expect(await placed(store, start)).toEqual([1, 2]);
    });

    it('places imports of a process that died before placing them on redelivery, in stream order, once', async () => {
      await store.append(stream, 0, [pendingEvent(), pendingEvent(), pendingEvent()]);
      const [one, two, three] = (await store.readStream(stream)).map(({ position: _p, ...envelope }) => ({ ...envelope, streamId: `${stream}-copy` }));
      const start = await store.headPosition();
      await expect((await open({ afterCommit: dies })).importEvents([one, two])).rejects.toThrow('writer died');
      const redelivered = await open();
      expect(await redelivered.importEvents([one, two, three])).toEqual([false, false, true]);
      // read by the process that placed them (another one sees a head it probed within the last 50 ms)
      expect(await placed(redelivered, start, `${stream}-copy`)).toEqual([1, 2, 3]);
    });

    /** Each event's hash recomputed from the one before it in its stream (none before the first). */
    const rechained = (events: StoredEvent[]) => events.map((e, i) => eventHash(i === 0 ? undefined : events[i - 1].hash, e));

    it('chains each stream\'s events by hash, from the head each append was based on, also across processes', async () => {
      await store.append(stream, 0, [pendingEvent(undefined, { n: 1, empty: {}, gone: undefined }), pendingEvent(undefined, { n: 2 })]);
      await (await open()).append(stream, 'any', [pendingEvent(undefined, { n: 3 })]);
      // this instance has the stream cached at version 2; the other process's event 3 is what event 4 chains from
      await store.append(stream, 'any', [pendingEvent(undefined, { n: 4 })]);
      await store.appendBatch([{ streamId: stream, expected: 4, events: [pendingEvent(undefined, { n: 5 })] }]);
      const events = await (await open()).readStream(stream);
      expect(events.map((e) => e.hash)).toEqual(rechained(events));
      expect(new Set(events.map((e) => e.hash)).size).toBe(5);
      expect(events[0].data).toEqual({ n: 1, empty: {} });
      const commits = (await store.readCommitsAfter(events[0].position - 1, 1_000)).filter((c) => c.streamId === stream);
      expect(commits.flatMap((c) => c.events.map((e) => e.hash))).toEqual(events.map((e) => e.hash));
    });

    it('hashes an inbox copy on its own, whatever hash the copy came with', async () => {
      await store.append(stream, 0, [pendingEvent(), pendingEvent()]);
      const [, second] = await store.readStream(stream);
      const { position: _p, ...envelope } = second;
      const start = await store.headPosition();
      await store.importEvents([{ ...envelope, streamId: `${stream}-copy` }]);
      const [copy] = (await store.readCommitsAfter(start, 1_000)).filter((c) => c.streamId === `${stream}-copy`).flatMap((c) => c.events);
      expect(copy.hash).toBe(eventHash(undefined, copy));
      expect(copy.hash).not.toBe(second.hash);
    });

    it('reads a stream as of an instant', async () => {
      await store.append(stream, 0, [pendingEvent(undefined, { n: 1 }, '2026-01-01T00:00:00.000Z')]);
      await store.append(stream, 1, [pendingEvent(undefined, { n: 2 }, '2026-03-01T00:00:00.000Z')]);
      const asOf = await store.readStream(stream, { occurredUntil: '2026-02-01T00:00:00.000Z' });
      expect(asOf.map((e) => e.data)).toEqual([{ n: 1 }]);
    });

    it('reads a stream up to a version', async () => {
      await store.append(stream, 0, [pendingEvent(undefined, { n: 1 }), pendingEvent(undefined, { n: 2 })]);
      await store.append(stream, 2, [pendingEvent(undefined, { n: 3 })]);
      expect((await store.readStream(stream, { untilVersion: 2 })).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
      expect((await store.readStream(stream, { untilVersion: 1 })).map((e) => e.data)).toEqual([{ n: 1 }]);
      expect((await store.readStream(stream, { untilVersion: 9 })).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    });
  });
}
