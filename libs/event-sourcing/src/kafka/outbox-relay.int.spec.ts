import { eventsTopic } from '@cbme/contracts';
import { connectTestDatabase, dropTestDatabase, pendingEvent, testServers, uniqueName, waitFor } from '@cbme/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Connection } from 'mongoose';
import { InMemoryCheckpointStore, MongoCheckpointStore } from '../projections/checkpoint-store';
import { InMemoryDeadLetters } from '../projections/dead-letters';
import { ProjectionRunner } from '../projections/projection-runner';
import { MongoEventStore } from '../store/mongo-event-store';
import { ensureTopics } from './kafka-topics';
import { OutboxRelay } from './outbox-relay';

const kafka = new Kafka({ clientId: 'relay-test', brokers: testServers().kafkaBrokers, logLevel: logLevel.NOTHING });
const prefix = uniqueName('relay');
const topic = eventsTopic(prefix, 'feedback');
const crashPrefix = uniqueName('relay-crash');
let connection: Connection;

beforeAll(async () => {
  connection = await connectTestDatabase('relay');
  await ensureTopics(kafka, [topic, eventsTopic(crashPrefix, 'feedback')]);
});

/** Reads a topic from its start until `count` messages came, as `streamId:version`. */
async function receive(fromTopic: string, count: number): Promise<string[]> {
  const received: string[] = [];
  const consumer = kafka.consumer({ groupId: uniqueName('relay-reader') });
  await consumer.connect();
  await consumer.subscribe({ topic: fromTopic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = JSON.parse(String(message.value));
      received.push(`${event.streamId}:${event.streamVersion}`);
    },
  });
  await waitFor(() => expect(received.length).toBeGreaterThanOrEqual(count));
  await consumer.disconnect();
  return received;
}
afterAll(() => dropTestDatabase(connection));

describe('outbox relay (real Kafka and MongoDB-compatible server)', () => {
  it('publishes every stored event at least once, in stream order, across a crash between publishing and checkpointing', async () => {
    const store = new MongoEventStore(connection);
    await store.init();
    const streams = ['a', 'b', 'c'];
    for (let version = 0; version < 5; version++) {
      for (const stream of streams) await store.append(`feedback-${stream}`, version, [pendingEvent('feedback.dialogue-closed', { v: version + 1 })]);
    }

    const checkpoints = new MongoCheckpointStore(connection);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const relay = new OutboxRelay(producer, prefix);

    // first relay: publishes a batch, then "crashes" before its checkpoint is saved
    const crashing = { load: (name: string) => checkpoints.load(name), save: async () => { throw new Error('process died'); }, rewind: () => Promise.resolve() };
    const first = new ProjectionRunner(store, crashing, relay, { deadLetters: new InMemoryDeadLetters(), batchSize: 4 });
    await expect(first.runOnce()).rejects.toThrow('process died');

    // the restarted relay resumes from the durable checkpoint (still 0) and catches up
    const second = new ProjectionRunner(store, checkpoints, relay, { deadLetters: new InMemoryDeadLetters(), batchSize: 4 });
    await second.waitUntilCaughtUp();
    expect(await checkpoints.load('outbox-relay')).toBe(15);
    await producer.disconnect();

    const received: { stream: string; version: number; partition: number }[] = [];
    const consumer = kafka.consumer({ groupId: uniqueName('relay-reader') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        const event = JSON.parse(message.value!.toString());
        expect(message.key!.toString()).toBe(event.streamId);
        received.push({ stream: event.streamId, version: event.streamVersion, partition });
      },
    });
    await waitFor(() => expect(received.length).toBe(15 + 4));
    await consumer.disconnect();

    for (const stream of streams) {
      const versions = received.filter((r) => r.stream === `feedback-${stream}`).map((r) => r.version);
      expect(new Set(versions)).toEqual(new Set([1, 2, 3, 4, 5]));
      // the duplicates of the crashed batch come again later, never before an event they preceded
      const firstSeen = versions.filter((v, i) => versions.indexOf(v) === i);
      expect(firstSeen).toEqual([1, 2, 3, 4, 5]);
      expect(new Set(received.filter((r) => r.stream === `feedback-${stream}`).map((r) => r.partition)).size).toBe(1);
    }
  });

  it('publishes a stream in stream order after a writer died between storing a commit and placing it', async () => {
    const store = new MongoEventStore(connection, { collection: 'crashed' });
    await store.init();
    const dying = new MongoEventStore(connection, { collection: 'crashed', afterCommit: async () => { throw new Error('writer died'); } });
    await store.append('feedback-d', 0, [pendingEvent('feedback.dialogue-closed', { v: 1 })]);
    await expect(dying.append('feedback-d', 1, [pendingEvent('feedback.dialogue-closed', { v: 2 })])).rejects.toThrow('writer died');
    // the next command reads the stream, the dead writer's commit included, and appends after it
    const version = (await store.readStream('feedback-d')).length;
    await store.append('feedback-d', version, [pendingEvent('feedback.dialogue-closed', { v: 3 })]);
    await store.repairUnpositioned(0);

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const relay = new ProjectionRunner(store, new InMemoryCheckpointStore(), new OutboxRelay(producer, crashPrefix), { deadLetters: new InMemoryDeadLetters() });
    await relay.waitUntilCaughtUp();
    await producer.disconnect();
    expect(await receive(eventsTopic(crashPrefix, 'feedback'), 3)).toEqual(['feedback-d:1', 'feedback-d:2', 'feedback-d:3']);
  });
});
