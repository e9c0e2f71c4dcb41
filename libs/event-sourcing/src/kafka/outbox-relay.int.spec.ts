import { eventsTopic } from '@cbme/contracts';
import { connectTestDatabase, dropTestDatabase, pendingEvent, testServers, uniqueName, waitFor } from '@cbme/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Connection } from 'mongoose';
import { MongoCheckpointStore } from '../projections/checkpoint-store';
import { InMemoryDeadLetters } from '../projections/dead-letters';
import { ProjectionRunner } from '../projections/projection-runner';
import { MongoEventStore } from '../store/mongo-event-store';
import { ensureTopics } from './kafka-topics';
import { OutboxRelay } from './outbox-relay';

const kafka = new Kafka({ clientId: 'relay-test', brokers: testServers().kafkaBrokers, logLevel: logLevel.NOTHING });
const prefix = uniqueName('relay');
const topic = eventsTopic(prefix, 'feedback');
let connection: Connection;

beforeAll(async () => {
  connection = await connectTestDatabase('relay');
  await ensureTopics(kafka, [topic]);
});
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
    const crashing = { load: (name: string) => checkpoints.load(name), save: async () => { throw new Error('process died'); } };
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
});
