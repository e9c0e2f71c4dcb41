import { connectTestDatabase, dropTestDatabase, publishedEvent } from '@cbme/testing';
import { Connection } from 'mongoose';
import { describeEventStoreContract, pendingEvent } from './event-store.contract';
import { MongoEventStore } from './mongo-event-store';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('event-store');
});
afterAll(() => dropTestDatabase(connection));

describeEventStoreContract('mongodb wire protocol (FerretDB or MongoDB)', async () => async (options = {}) => {
  const store = new MongoEventStore(connection, options);
  await store.init();
  return store;
});

describe('MongoEventStore specifics', () => {
  it('gives concurrent commits on many streams gapless, unique global positions', async () => {
    const store = new MongoEventStore(connection, { collection: 'positions' });
    await store.init();
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.append(`s-${i}`, 0, [pendingEvent()])));
    await Promise.allSettled([store.append('s-0', 1, [pendingEvent()]), store.append('s-0', 1, [pendingEvent()])]);
    const positions = (await store.readCommitsAfter(0, 100)).map((c) => c.position);
    expect(positions).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
  });

  it('places commits of two processes writing at once (each grouping its own) without gaps or doubles', async () => {
    const [one, two] = [new MongoEventStore(connection, { collection: 'groups' }), new MongoEventStore(connection, { collection: 'groups' })];
    await one.init();
    await Promise.all([one, two].flatMap((store, p) => Array.from({ length: 30 }, (_, i) => store.append(`g-${p}-${i}`, 0, [pendingEvent()]))));
    const commits = await one.readCommitsAfter(0, 100);
    expect(commits.map((c) => c.position)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(new Set(commits.map((c) => c.streamId)).size).toBe(60);
    // every commit was placed by its writer, so nothing is left for the repair
    expect(await one.repairUnpositioned(0)).toBe(0);
  });

  it('reads an event stored with envelope v1 (one time only) as recorded when it occurred', async () => {
    const store = new MongoEventStore(connection, { collection: 'v1' });
    await store.init();
    const { envelopeVersion: _e, recordedAt: _r, ...v1 } = publishedEvent('feedback.dialogue-opened', 'old', 1, { n: 1 }, { occurredAt: '2024-05-06T07:08:09.000Z' });
    await connection.collection('v1').insertOne({ _id: 'old#1' as never, streamId: 'old', from: 1, to: 1, committedAt: new Date(), events: [v1] });
    expect(await store.readStream('old')).toEqual([expect.objectContaining({ envelopeVersion: 2, occurredAt: '2024-05-06T07:08:09.000Z', recordedAt: '2024-05-06T07:08:09.000Z' })]);
    expect((await connection.collection('v1').findOne({ _id: 'old#1' as never }))!.events[0]).not.toHaveProperty('recordedAt');
  });

  it('gives a commit whose writer died before taking a position its place in the global order', async () => {
    const store = new MongoEventStore(connection, { collection: 'repair' });
    await store.init();
    await store.append('before', 0, [pendingEvent()]);
    const [stored] = await store.readStream('before');
    const orphan = { ...stored, eventId: 'orphan', streamId: 'orphan', streamVersion: 1 };
    await connection.collection('repair').insertOne({ _id: 'orphan#1' as never, streamId: 'orphan', from: 1, to: 1, committedAt: new Date(Date.now() - 5_000), events: [orphan] });
    expect((await store.readCommitsAfter(0, 10)).map((c) => c.streamId)).toEqual(['before']);
    expect(await store.repairUnpositioned(1_000)).toBe(1);
    expect((await store.readCommitsAfter(0, 10)).map((c) => [c.position, c.streamId])).toEqual([[1, 'before'], [2, 'orphan']]);
    expect(await store.repairUnpositioned(1_000)).toBe(0);
  });

  it('finishes the claims of a group whose placer died before inserting their positions, without a gap', async () => {
    const store = new MongoEventStore(connection, { collection: 'claims' });
    await store.init();
    await store.append('x', 0, [pendingEvent()]);
    const [first] = await store.readStream('x');
    const raw = (streamId: string, version: number) => ({ _id: `${streamId}#${version}` as never, streamId, from: version, to: version, committedAt: new Date(), events: [{ ...first, eventId: `${streamId}-${version}`, streamId, streamVersion: version }] });
    // a placer claimed positions 2 and 3 for two commits in one group, then died
    await connection.collection('claims').insertMany([raw('a', 1), raw('x', 2)]);
    await connection.collection('claims_placed').insertMany([{ _id: 'a#1' as never, position: 2 }, { _id: 'x#2' as never, position: 3, previous: 'a#1' }]);
    const other = new MongoEventStore(connection, { collection: 'claims' });
    expect((await other.readStream('x')).map((e) => e.position)).toEqual([1, 0]);
    await other.append('x', 2, [pendingEvent()]);
    expect((await other.readCommitsAfter(0, 10)).map((c) => `${c.streamId}:${c.events[0].streamVersion}@${c.position}`)).toEqual(['x:1@1', 'a:1@2', 'x:2@3', 'x:3@4']);
    expect(await other.repairUnpositioned(0)).toBe(0);
  });

  it('reads what another process appended to a stream this one has in memory, and refuses its stale version', async () => {
    const [one, two] = [new MongoEventStore(connection, { collection: 'cached' }), new MongoEventStore(connection, { collection: 'cached' })];
    await one.init();
    await one.append('c', 0, [pendingEvent(undefined, { n: 1 })]);
    expect((await one.readStream('c')).map((e) => e.data)).toEqual([{ n: 1 }]);
    await two.append('c', 1, [pendingEvent(undefined, { n: 2 }), pendingEvent(undefined, { n: 3 })]);
    // the version this one has in memory is stale now: its append collides with the other's commit
    await expect(one.append('c', 1, [pendingEvent()])).rejects.toMatchObject({ actual: 3 });
    const read = await one.readStream('c');
    expect(read.map((e) => [e.streamVersion, e.data, e.position])).toEqual([[1, { n: 1 }, 1], [2, { n: 2 }, 2], [3, { n: 3 }, 2]]);
    await expect(two.append('c', 1, [pendingEvent()])).rejects.toMatchObject({ actual: 3 });
    // events kept in memory are shared by later reads, so they cannot be changed in place
    expect(() => Object.assign(read[0].data as object, { n: 99 })).toThrow(TypeError);
  });

  it('looks up no later commits of a stream it has in memory when the caller takes it as last seen, or up to a version it has', async () => {
    const [one, two] = [new MongoEventStore(connection, { collection: 'stale' }), new MongoEventStore(connection, { collection: 'stale' })];
    await one.init();
    await one.append('s', 0, [pendingEvent(undefined, { n: 1 })]);
    await two.append('s', 1, [pendingEvent(undefined, { n: 2 })]);
    expect((await one.readStream('s', { mayBeStale: true })).map((e) => e.data)).toEqual([{ n: 1 }]);
    expect((await one.readStream('s', { untilVersion: 1 })).map((e) => e.data)).toEqual([{ n: 1 }]);
    // a stream it never saw is read whole, and so is one read without either option
    expect((await two.readStream('t', { mayBeStale: true }))).toEqual([]);
    expect((await one.readStream('s', { untilVersion: 2 })).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
    await one.append('s', 2, [pendingEvent(undefined, { n: 3 })]);
    const fresh = new MongoEventStore(connection, { collection: 'stale' });
    expect((await fresh.readStream('s', { mayBeStale: true })).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('reads a dead writer\'s commit still waiting for its position also when the caller takes the stream as last seen, and appends after it', async () => {
    const store = new MongoEventStore(connection, { collection: 'unplaced' });
    await store.init();
    await store.append('u', 0, [pendingEvent(undefined, { n: 1 })]);
    const [first] = await store.readStream('u');
    // the writer of version 2 died after storing its commit, before taking a position
    await connection.collection('unplaced').insertOne({ _id: 'u#2' as never, streamId: 'u', from: 2, to: 2, committedAt: new Date(), events: [{ ...first, eventId: 'u-2', streamVersion: 2, data: { n: 2 } }] });
    const other = new MongoEventStore(connection, { collection: 'unplaced' });
    expect((await other.readStream('u')).map((e) => [e.data, e.position])).toEqual([[{ n: 1 }, 1], [{ n: 2 }, 0]]);
    // only version 1 is kept in memory (version 2 has no position yet), but version 2 was seen: a stale read includes it
    expect((await other.readStream('u', { mayBeStale: true })).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
    await other.append('u', 2, [pendingEvent(undefined, { n: 3 })]);
    expect((await other.readCommitsAfter(0, 10)).map((c) => `${c.streamId}:${c.events[0].streamVersion}@${c.position}`)).toEqual(['u:1@1', 'u:2@2', 'u:3@3']);
  });

  it('tells an idle reader of a commit placed here at once, and of one another process placed at its next poll', async () => {
    const [one, two] = [new MongoEventStore(connection, { collection: 'waits' }), new MongoEventStore(connection, { collection: 'waits' })];
    await one.init();
    const placedHere = one.waitForNew(0, 60_000);
    await one.append('w', 0, [pendingEvent()]);
    await placedHere;
    const head = await one.headPosition();
    const placedThere = one.waitForNew(head, 60_000);
    await two.append('w', 1, [pendingEvent()]);
    await placedThere; // without the poll this would wait the whole minute, beyond the test's timeout
    expect(await one.headPosition()).toBe(head + 1);
  }, 20_000);

  it('finds the head position again from a fresh instance', async () => {
    const first = new MongoEventStore(connection, { collection: 'heads' });
    await first.init();
    for (let i = 0; i < 37; i++) await first.append(`h-${i}`, 0, [pendingEvent()]);
    const fresh = new MongoEventStore(connection, { collection: 'heads' });
    expect(await fresh.headPosition()).toBe(37);
    expect(await fresh.countCommitsAfter(30)).toBe(7);
  });

  it('upcasts what it reads without touching what it stored', async () => {
    const store = new MongoEventStore(connection, { collection: 'upcast', upcast: (e) => ({ ...e, schemaVersion: 2, data: { ...e.data as object, added: null } }) });
    await store.init();
    await store.append('s', 0, [pendingEvent(undefined, { n: 1 })]);
    const [event] = await store.readStream('s');
    expect(event).toMatchObject({ schemaVersion: 2, data: { n: 1, added: null } });
    const raw = await connection.collection('upcast').findOne({ streamId: 's' });
    expect(raw?.['events'][0]).toMatchObject({ schemaVersion: 1, data: { n: 1 } });
  });
});
