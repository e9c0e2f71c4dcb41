import { eventsTopic, publicCatalog } from '@cbme/contracts';
import { connectTestDatabase, dropTestDatabase, testServers, uniqueName, waitFor } from '@cbme/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { MongoDeadLetters } from '../projections/dead-letters';
import { StoredEvent } from '../store/event-store';
import { MongoEventStore } from '../store/mongo-event-store';
import { KafkaInboxConsumer } from './kafka-inbox-consumer';

const kafka = new Kafka({ clientId: 'inbox-test', brokers: testServers().kafkaBrokers, logLevel: logLevel.NOTHING });
const prefix = uniqueName('inbox');
const topic = eventsTopic(prefix, 'feedback');
const SECRET = 'a learner wrote this and it must not be reported';
let connection: Connection;
let consumer: KafkaInboxConsumer;

beforeAll(async () => {
  connection = await connectTestDatabase('inbox');
});
afterAll(async () => {
  await consumer?.stop();
  await dropTestDatabase(connection);
});

describe('inbox consumer dead letters (real Kafka and MongoDB-compatible server)', () => {
  it('notes each poison message it sends to the dead-letter topic: the count goes up, with type, event id and reason but no content', async () => {
    const inbox = new MongoEventStore(connection, { collection: 'inbox' });
    await inbox.init();
    const deadLetters = new MongoDeadLetters(connection);
    consumer = new KafkaInboxConsumer(kafka, { consumerName: 'analytics', topicPrefix: prefix, topics: [topic], catalog: publicCatalog(), inbox, deadLetters });
    await consumer.start();
    expect(await deadLetters.countOf('consumer', consumer.deadLetterTopic)).toEqual({ kind: 'consumer', name: `${prefix}.analytics.dlq`, count: 0, latest: [] });

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'x', value: `not json: ${SECRET}` }] });
    const first = await waitFor(async () => {
      const counted = await deadLetters.countOf('consumer', consumer.deadLetterTopic);
      expect(counted.count).toBe(1);
      return counted;
    }, { timeoutMs: 60_000 });
    expect(first.latest).toEqual([{
      id: expect.stringMatching(new RegExp(`^${prefix}\\.analytics\\.dlq:${topic}:\\d+:\\d+$`)), kind: 'consumer', name: `${prefix}.analytics.dlq`,
      type: null, eventId: null, reason: 'message value is not JSON', at: expect.any(String), status: 'parked', failedReplays: 0,
    }]);
    // the message itself is kept beside the note, for a replay
    const kept = await deadLetters.get(first.latest[0].id);
    expect(Buffer.from(kept!.message!.value!, 'base64').toString('utf8')).toBe(`not json: ${SECRET}`);
    expect(kept!.message).toMatchObject({ topic, key: 'x' });

    const eventId = randomUUID();
    await producer.send({ topic, messages: [{ key: 'y', value: JSON.stringify({ type: 'feedback.dialogue-opened', eventId, data: { topic: SECRET } }) }] });
    await producer.disconnect();
    const second = await waitFor(async () => {
      const counted = await deadLetters.countOf('consumer', consumer.deadLetterTopic);
      expect(counted.count).toBe(2);
      return counted;
    }, { timeoutMs: 60_000 });
    expect(second.latest[0]).toMatchObject({ type: 'feedback.dialogue-opened', eventId, reason: expect.stringMatching(/^invalid envelope/), status: 'parked' });
    expect(JSON.stringify(second)).not.toContain(SECRET);
    // the lag of the partitions it read from, known from its batches: none left once both are handled
    await waitFor(() => {
      const lags = consumer.partitionLags();
      expect(lags.length).toBeGreaterThan(0);
      expect(lags).toEqual(lags.map(({ partition }) => ({ topic, partition, lag: 0 })));
    });
  }, 120_000);
});

describe('parked events (real MongoDB-compatible server)', () => {
  it('counts a projection\'s parked events, latest first, without their data', async () => {
    const deadLetters = new MongoDeadLetters(connection);
    const now = new Date().toISOString();
    const event = (eventId: string): StoredEvent => ({
      eventId, type: 'feedback.entry-added', schemaVersion: 1, envelopeVersion: 2, streamId: 'feedback-dialogue-1', streamVersion: 2, occurredAt: now, recordedAt: now, position: 7,
      tenant: { institutionId: 'i', schoolId: 's' }, actor: { userId: 'u', role: 'learner' }, correlationId: 'c', causationId: 'c', data: { text: SECRET },
    });
    await deadLetters.park('learner-dialogues', event('e-1'), 'no dialogue d-1');
    await deadLetters.park('learner-dialogues', event('e-2'), 'no dialogue d-2');
    await deadLetters.park('learner-dialogues', event('e-2'), 'no dialogue d-2');
    const counted = await deadLetters.countOf('projection', 'learner-dialogues', 1);
    expect(counted).toEqual({
      kind: 'projection', name: 'learner-dialogues', count: 2,
      latest: [{ id: 'learner-dialogues:e-2', kind: 'projection', name: 'learner-dialogues', type: 'feedback.entry-added', eventId: 'e-2', reason: 'no dialogue d-2', at: expect.any(String), status: 'parked', failedReplays: 0 }],
    });
    expect(JSON.stringify(counted)).not.toContain(SECRET);
    expect((await deadLetters.countOf('projection', 'goals-by-status')).count).toBe(0);
  });
});
