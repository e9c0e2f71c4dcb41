import { connectTestDatabase, dropTestDatabase, pendingEvent } from '@cbme/testing';
import { Connection, Schema } from 'mongoose';
import { ReadModelGenerations } from '../read-models/read-model-generations';
import { upsertNewer } from '../read-models/versioned-upsert';
import { StoredEvent } from '../store/event-store';
import { MongoEventStore } from '../store/mongo-event-store';
import { InMemoryCheckpointStore } from './checkpoint-store';
import { InMemoryDeadLetters } from './dead-letters';
import { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('runner');
});
afterAll(() => dropTestDatabase(connection));

describe('a read model kept with upsertNewer, projected from the MongoDB-compatible store', () => {
  it('keeps every change of a stream whose writer died between storing and placing a commit, live and rebuilt', async () => {
    const generations = new ReadModelGenerations(connection, 'dialogues');
    const dialogues = generations.collection('Dialogue', new Schema({ _id: String, status: String, title: String, version: Number }, { versionKey: false }));
    const projection: Projection = {
      name: 'dialogues',
      apply: async (events: StoredEvent[]) => upsertNewer(await dialogues.writer(), events.map((e) => ({ id: e.streamId, version: e.streamVersion, set: e.data as Record<string, unknown> }))),
      generations,
    };
    const store = new MongoEventStore(connection, { collection: 'dialogues' });
    await store.init();
    const dying = new MongoEventStore(connection, { collection: 'dialogues', afterCommit: async () => { throw new Error('writer died'); } });
    await store.append('d', 0, [pendingEvent(undefined, { status: 'open', title: 'first' })]);
    await expect(dying.append('d', 1, [pendingEvent(undefined, { status: 'closed' })])).rejects.toThrow('writer died');
    const version = (await store.readStream('d')).length;
    await store.append('d', version, [pendingEvent(undefined, { title: 'renamed' })]);
    await store.repairUnpositioned(0);

    // one commit per batch: live, each commit is applied soon after it gets its position
    const runner = new ProjectionRunner(store, new InMemoryCheckpointStore(), projection, { deadLetters: new InMemoryDeadLetters(), batchSize: 1 });
    await runner.waitUntilCaughtUp();
    const final = { _id: 'd', status: 'closed', title: 'renamed', version: 3 };
    expect(await (await dialogues.live()).findById('d').lean()).toEqual(final);
    await runner.rebuild();
    expect(await generations.liveGeneration()).toBe(2);
    expect(await (await dialogues.live()).findById('d').lean()).toEqual(final);
  });
});
