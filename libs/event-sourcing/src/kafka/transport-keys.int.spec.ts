import { eventsTopic, publicCatalog, transportKeysTopic } from '@cbme/contracts';
import { connectTestDatabase, dropTestDatabase, pendingEvent, testServers, uniqueName, waitFor } from '@cbme/testing';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { Connection } from 'mongoose';
import { randomBytes, randomUUID } from 'node:crypto';
import { InMemoryCheckpointStore } from '../projections/checkpoint-store';
import { InMemoryDeadLetters, MongoDeadLetters } from '../projections/dead-letters';
import { ProjectionRunner } from '../projections/projection-runner';
import { MongoEventStore } from '../store/mongo-event-store';
import { ERASED, InMemoryDataKeys } from '../store/personal-data';
import { KafkaInboxConsumer } from './kafka-inbox-consumer';
import { ensureTopics } from './kafka-topics';
import { OutboxRelay, publishByContract } from './outbox-relay';
import { TransportKeyReader, TransportSealer } from './transport-keys';

const kafka = new Kafka({ clientId: 'transport-test', brokers: testServers().kafkaBrokers, logLevel: logLevel.NOTHING });
const prefix = uniqueName('transport');
const topic = eventsTopic(prefix, 'identity');
const keyTopic = transportKeysTopic(prefix, 'identity');
const otherTopic = eventsTopic(prefix, 'feedback');
const otherKeyTopic = transportKeysTopic(prefix, 'feedback');
const master = randomBytes(32);
const NAME = `Name ${randomBytes(6).toString('hex')}`;
const EMAIL = `u${randomBytes(6).toString('hex')}@school.example`;
let connection: Connection;
let producer: Producer;
const stoppers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  connection = await connectTestDatabase('transport');
  await ensureTopics(kafka, [topic, otherTopic]);
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
});
afterAll(async () => {
  for (const stop of stoppers.reverse()) await stop();
  await producer.disconnect();
  await dropTestDatabase(connection);
});

/** An event as a publisher has it, ready to seal. */
const published = (type: string, streamId: string, data: object) => ({ ...pendingEvent(type, data), streamId, streamVersion: 1, envelopeVersion: 2, recordedAt: '2026-09-01T10:00:00.000Z' });

/** Every message value of a topic from its start, until `count` came. */
async function rawMessages(fromTopic: string, count: number): Promise<string[]> {
  const values: string[] = [];
  const consumer = kafka.consumer({ groupId: uniqueName('transport-raw') });
  await consumer.connect();
  await consumer.subscribe({ topic: fromTopic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value?.toString() ?? '<tombstone>') });
  await waitFor(() => expect(values.length).toBeGreaterThanOrEqual(count), { timeoutMs: 60_000 });
  await consumer.disconnect();
  return values;
}

async function startReader(): Promise<TransportKeyReader> {
  const reader = new TransportKeyReader(kafka, [{ events: topic, keys: keyTopic }, { events: otherTopic, keys: otherKeyTopic }], master, uniqueName('transport-keys'));
  await reader.start();
  stoppers.push(() => reader.stop());
  return reader;
}

/** The first event of `streamId` that a new consumer `name`, reading the topic with its own key reader, stored in its inbox. */
async function receivedBy(name: string, streamId: string) {
  const inbox = new MongoEventStore(connection, { collection: `received-by-${name}` });
  await inbox.init();
  const consumer = new KafkaInboxConsumer(kafka, { consumerName: name, topicPrefix: prefix, topics: [topic, otherTopic], catalog: publicCatalog(), inbox, transportKeys: await startReader() });
  await consumer.start();
  stoppers.push(() => consumer.stop());
  return waitFor(async () => {
    const [event] = await inbox.readStream(streamId);
    expect(event).toBeDefined();
    return event;
  }, { timeoutMs: 60_000 });
}

describe('transport encryption of personal fields (real Kafka and MongoDB-compatible server)', () => {
  it('publishes a person\'s name and e-mail sealed, a consumer opens them with the announced key, and after the tombstone they read as erased', async () => {
    const store = new MongoEventStore(connection, { collection: 'published' });
    await store.init();
    const userId = uniqueName('user');
    await store.append(`identity-user-${userId}`, 0, [pendingEvent('identity.user-registered', { userId, email: EMAIL, displayName: NAME })]);

    const dataKeys = new InMemoryDataKeys();
    const sealer = new TransportSealer(publicCatalog(), dataKeys, producer, 'identity', keyTopic, master);
    await sealer.ensureTopic(kafka);
    const relay = new OutboxRelay(producer, prefix, publishByContract(publicCatalog()), (events) => sealer.seal(events));
    await new ProjectionRunner(store, new InMemoryCheckpointStore(), relay, { deadLetters: new InMemoryDeadLetters() }).waitUntilCaughtUp();

    // on the topic: only ciphertext, and the key is announced wrapped (never the key itself)
    const [published] = await rawMessages(topic, 1);
    expect(published).not.toContain(NAME);
    expect(published).not.toContain(EMAIL);
    expect(JSON.parse(published).data).toEqual({ userId, email: expect.stringMatching(/^tpt1:/), displayName: expect.stringMatching(/^tpt1:/) });
    const [announced] = await rawMessages(keyTopic, 1);
    expect(announced).toMatch(/^pii1:/);

    // a consumer opens them before validation (a sealed e-mail address is no e-mail address) and stores them
    expect((await receivedBy('coaching', `identity-user-${userId}`)).data).toEqual({ userId, email: EMAIL, displayName: NAME });

    // erased: the tombstone on the key topic; a consumer that reads the topic again gets "[erased]"
    await sealer.tombstone(userId);
    expect((await receivedBy('feedback', `identity-user-${userId}`)).data).toEqual({ userId, email: ERASED, displayName: ERASED });
  }, 180_000);

  it('opens the fields of two publishers that each have their own key for the same person', async () => {
    const userId = uniqueName('both');
    const identity = new TransportSealer(publicCatalog(), new InMemoryDataKeys(), producer, 'identity', keyTopic, master);
    const feedback = new TransportSealer(publicCatalog(), new InMemoryDataKeys(), producer, 'feedback', otherKeyTopic, master);
    await feedback.ensureTopic(kafka);
    const [registered] = await identity.seal([published('identity.user-registered', `identity-user-${userId}`, { userId, email: EMAIL, displayName: NAME })]);
    // feedback announces its key last: a consumer keeping one key per person would open identity's field with it
    const goal = { goalId: `g-${userId}`, learnerId: userId, description: NAME, measureOfSuccess: null, competencies: ['ICS'], targetDate: '2027-06-30', visibility: 'shared' };
    const [goalSet] = await feedback.seal([{ ...published('feedback.goal-set', `feedback-goal-${userId}`, goal), schemaVersion: 3 }]);
    await producer.send({ topic, messages: [{ key: registered.streamId, value: JSON.stringify(registered) }] });
    await producer.send({ topic: otherTopic, messages: [{ key: goalSet.streamId, value: JSON.stringify(goalSet) }] });
    const [user, goalEvent] = await Promise.all([receivedBy('both', `identity-user-${userId}`), receivedBy('both-goal', `feedback-goal-${userId}`)]);
    expect(user.data).toEqual({ userId, email: EMAIL, displayName: NAME });
    expect(goalEvent.data).toEqual(goal);
  }, 120_000);

  it('dead-letters a sealed message whose key was never announced, naming the subject, and keeps consuming', async () => {
    const stray = eventsTopic(prefix, 'coaching');
    await ensureTopics(kafka, [stray]);
    const unknownKeys = new TransportSealer(publicCatalog(), new InMemoryDataKeys(), producer, 'identity', transportKeysTopic(prefix, 'coaching'), master);
    await unknownKeys.ensureTopic(kafka);
    const userId = uniqueName('stray');
    const [sealed] = await unknownKeys.seal([published('identity.user-registered', `identity-user-${userId}`, { userId, email: EMAIL, displayName: NAME })]);
    const deadLetters = new MongoDeadLetters(connection);
    const inbox = new MongoEventStore(connection, { collection: 'stray' });
    await inbox.init();
    const consumer = new KafkaInboxConsumer(kafka, {
      consumerName: 'analytics', topicPrefix: prefix, topics: [stray], catalog: publicCatalog(), inbox, deadLetters, transportKeys: await startReader(),
    });
    await consumer.start();
    stoppers.push(() => consumer.stop());
    await producer.send({ topic: stray, messages: [{ key: sealed.streamId, value: JSON.stringify(sealed) }] });
    const letters = await waitFor(async () => {
      const counted = await deadLetters.countOf('consumer', consumer.deadLetterTopic);
      expect(counted.count).toBe(1);
      return counted;
    }, { timeoutMs: 60_000 });
    expect(letters.latest[0]).toMatchObject({ type: 'identity.user-registered', reason: `no transport key is known for ${userId}` });
    expect(JSON.stringify(letters)).not.toContain(NAME);
    // the next message (one published before transport encryption, in the clear) is taken as any other
    const next = { ...sealed, eventId: randomUUID(), streamId: `identity-user-${userId}-next`, data: { userId: `${userId}-next`, email: EMAIL, displayName: NAME } };
    await producer.send({ topic: stray, messages: [{ key: next.streamId, value: JSON.stringify(next) }] });
    await waitFor(async () => expect(await inbox.readStream(next.streamId)).toMatchObject([{ data: next.data }]), { timeoutMs: 60_000 });
  }, 120_000);
});
