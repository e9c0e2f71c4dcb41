import { connectTestDatabase, dropTestDatabase } from '@cbme/testing';
import { Connection } from 'mongoose';
import { describeEventStoreContract, pendingEvent } from './event-store.contract';
import { MongoEventStore } from './mongo-event-store';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('event-store');
});
afterAll(() => dropTestDatabase(connection));

describeEventStoreContract('mongodb wire protocol (FerretDB or MongoDB)', async () => {
  const store = new MongoEventStore(connection);
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
