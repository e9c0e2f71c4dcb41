import { connectTestDatabase, dropTestDatabase, pendingEvent } from '@cbme/testing';
import { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuditCheckpointWriter, AuditKeyRing } from './audit-checkpoints';
import { eventHash } from './event-hash';
import { MongoEventStore } from './mongo-event-store';
import { describeVerification, verifyEventStore } from './verify-event-store';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('verify');
});
afterAll(() => dropTestDatabase(connection));

/** A store of its own per test: three streams, one commit of two events, a batch; returns the middle stream's events. */
async function filledStore() {
  const collection = `events_${randomUUID().slice(0, 8)}`;
  const store = new MongoEventStore(connection, { collection });
  await store.init();
  const stream = `dialogue-${randomUUID()}`;
  await store.append('other-a', 0, [pendingEvent(undefined, { text: 'first' })]);
  await store.append(stream, 0, [pendingEvent(undefined, { text: 'hello' }), pendingEvent(undefined, { text: 'again' })]);
  await store.append('other-b', 0, [pendingEvent(undefined, { text: 'between' })]);
  await store.append(stream, 2, [pendingEvent(undefined, { text: 'third' })]);
  await store.appendBatch([{ streamId: stream, expected: 3, events: [pendingEvent(undefined, { text: 'fourth' })] }, { streamId: 'other-a', expected: 1, events: [pendingEvent()] }]);
  const events = await store.readStream(stream);
  return { collection, stream, events, commits: connection.collection(collection), positions: connection.collection(`${collection}_positions`) };
}

/** Changes one character of an event's text, as someone with write access to the database would. */
const oneByte = (text: string) => `${text.slice(0, -1)}${String.fromCharCode(text.charCodeAt(text.length - 1) + 1)}`;

describe('verifyEventStore (tamper evidence)', () => {
  it('verifies an untouched store, own events chained and inbox copies each on its own', async () => {
    const { collection, events } = await filledStore();
    expect(describeVerification(await verifyEventStore(connection, { collection }))).toBe('verified: 7 events, 0 checkpoints');
    const inbox = new MongoEventStore(connection, { collection: `${collection}_inbox` });
    await inbox.init();
    // out of stream order, as an inbox receives them
    await inbox.importEvents([events[2], events[0]].map(({ position: _p, ...event }) => event));
    expect(await verifyEventStore(connection, { collection: `${collection}_inbox`, chained: false })).toEqual({ events: 2, unhashed: 0, checkpoints: 0, signedUpTo: 0 });
  });

  it('names exactly the event whose data changed by one byte, in both copies', async () => {
    const { collection, stream, events, commits, positions } = await filledStore();
    const target = events[2];
    const text = oneByte('third');
    await commits.updateOne({ _id: `${stream}#3` } as never, { $set: { 'events.0.data.text': text } });
    await positions.updateOne({ _id: String(target.position) } as never, { $set: { 'events.0.data.text': text } });
    const report = await verifyEventStore(connection, { collection });
    expect(report.broken).toEqual({ position: target.position, streamId: stream, streamVersion: 3, problem: expect.stringContaining('both the commit and its position copy') });
    expect(report.events).toBe(4);
  });

  it('names the event and the copy when only the position copy changed', async () => {
    const { collection, stream, events, positions } = await filledStore();
    const target = events[1];
    await positions.updateOne({ _id: String(target.position) } as never, { $set: { 'events.1.data.text': oneByte('again') } });
    const report = await verifyEventStore(connection, { collection });
    expect(report.broken).toEqual({ position: target.position, streamId: stream, streamVersion: 2, problem: expect.stringMatching(/^the position copy:/) });
  });

  it('names the event after a removed one', async () => {
    const { collection, stream, events, commits, positions } = await filledStore();
    // the first event of the two-event commit is taken out of both copies
    const { position } = events[0];
    await commits.updateOne({ _id: `${stream}#1` } as never, { $pop: { events: -1 } });
    await positions.updateOne({ _id: String(position) } as never, { $pop: { events: -1 } });
    const report = await verifyEventStore(connection, { collection });
    expect(report.broken).toEqual({ position, streamId: stream, streamVersion: 2, problem: expect.stringContaining('version 1 of') });
  });

  it('names a removed commit by its position', async () => {
    const { collection, stream, events, commits, positions } = await filledStore();
    await commits.deleteOne({ _id: `${stream}#3` } as never);
    await positions.deleteOne({ _id: String(events[2].position) } as never);
    const report = await verifyEventStore(connection, { collection });
    expect(report.broken).toEqual({ position: events[2].position, problem: expect.stringContaining('is missing below the head') });
  });

  it('names the first of two swapped events, also when their versions were swapped back', async () => {
    const { collection, stream, events, commits, positions } = await filledStore();
    const [third, fourth] = [events[2], events[3]];
    const swap = async (versions: boolean) => {
      const [a, b] = await Promise.all([3, 4].map((v) => commits.findOne({ _id: `${stream}#${v}` } as never)));
      const [ea, eb] = [a, b].map((commit) => (commit as unknown as { events: object[] }).events[0]);
      const [na, nb] = versions ? [{ ...eb, streamVersion: 3 }, { ...ea, streamVersion: 4 }] : [eb, ea];
      await commits.updateOne({ _id: `${stream}#3` } as never, { $set: { events: [na] } });
      await commits.updateOne({ _id: `${stream}#4` } as never, { $set: { events: [nb] } });
      await positions.updateOne({ _id: String(third.position) } as never, { $set: { events: [na] } });
      await positions.updateOne({ _id: String(fourth.position) } as never, { $set: { events: [nb] } });
    };
    await swap(false);
    expect((await verifyEventStore(connection, { collection })).broken).toEqual(
      { position: third.position, streamId: stream, streamVersion: 4, problem: expect.stringContaining('where version 3 of') },
    );
    await swap(false); // back as it was
    await swap(true);
    expect((await verifyEventStore(connection, { collection })).broken).toEqual(
      { position: third.position, streamId: stream, streamVersion: 3, problem: expect.stringContaining('does not match its hash') },
    );
  });

  it('starts a chain at the first hashed event after events stored before hashing, and then misses no hash', async () => {
    const collection = `events_${randomUUID().slice(0, 8)}`;
    const stream = `dialogue-${randomUUID()}`;
    const first = new MongoEventStore(connection, { collection });
    await first.init();
    await first.append(stream, 0, [pendingEvent(), pendingEvent()]);
    // as stored before hashing existed: the stream's first commit, both copies, without hashes
    const unhash = { $unset: { 'events.0.hash': '', 'events.1.hash': '' } };
    await connection.collection(collection).updateOne({ _id: `${stream}#1` } as never, unhash);
    await connection.collection(`${collection}_positions`).updateOne({ _id: '1' } as never, unhash);
    // a new process reads the unhashed head and chains from the genesis value
    await new MongoEventStore(connection, { collection }).append(stream, 2, [pendingEvent()]);
    expect(describeVerification(await verifyEventStore(connection, { collection }))).toBe('verified: 3 events, 0 checkpoints (2 stored before hashing)');
    // once a stream is hashed, an event without a hash is a break
    await connection.collection(collection).updateOne({ _id: `${stream}#3` } as never, { $unset: { 'events.0.hash': '' } });
    expect((await verifyEventStore(connection, { collection })).broken).toEqual(
      { position: 2, streamId: stream, streamVersion: 3, problem: expect.stringMatching(/^the commit:/) },
    );
  });

  it('signs checkpoints with rotating keys, and finds a rewrite that re-chained the hashes by its checkpoint', async () => {
    const { collection, stream, events, commits, positions } = await filledStore();
    const keys = AuditKeyRing.fromFile(path.join(mkdtempSync(path.join(tmpdir(), 'audit-')), 'audit-keys.json'));
    const writer = new AuditCheckpointWriter(connection, { collection, store: new MongoEventStore(connection, { collection }), keys, everyPositions: 3 });
    expect(await writer.signDue(2)).toBeNull(); // fewer positions than a checkpoint takes, too recent
    expect(await writer.signDue(3)).toMatchObject({ _id: '1', from: 1, to: 3, events: 4 });
    const oldKeys = keys.publicKeys().keys;
    keys.rotate();
    const head = events[3].position;
    expect(await writer.signDue(head, Date.now() + 60_000)).toMatchObject({ _id: '2', from: 4, to: head, kid: keys.kid });
    const published = keys.publicKeys().keys;
    expect(published.map((k) => k.kid)).toEqual([oldKeys[0].kid, keys.kid]);
    expect(published[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(await verifyEventStore(connection, { collection, keys: published })).toEqual({ events: 7, unhashed: 0, checkpoints: 2, signedUpTo: head });
    expect((await verifyEventStore(connection, { collection, keys: published.slice(1) })).broken?.problem).toBe(`checkpoint 1 [1, 3]: signed with the unknown key ${oldKeys[0].kid}`);

    // the stream's last event rewritten and its hash recomputed along the chain: only the checkpoint shows it
    const { position: _p, hash: _h, ...last } = events[3];
    const rewritten = { ...last, data: { text: oneByte('fourth') } };
    const change = { $set: { 'events.0.data': rewritten.data, 'events.0.hash': eventHash(events[2].hash, rewritten) } };
    await commits.updateOne({ _id: `${stream}#4` } as never, change);
    await positions.updateOne({ _id: String(events[3].position) } as never, change);
    const report = await verifyEventStore(connection, { collection, keys: published });
    expect(report.events).toBe(7);
    expect(report.broken).toEqual({ position: 4, problem: expect.stringMatching(/^checkpoint 2 \[4, \d+\]: the events of its range do not give its Merkle root/) });
  });
});
