import { defineEvent, EventCatalog, IdentityEvents, publicCatalog, UserRegistered } from '@cbme/contracts';
import { connectTestDatabase, dropTestDatabase, publishedEvent, testServers } from '@cbme/testing';
import { IsOptional, IsString } from 'class-validator';
import { Kafka, logLevel } from 'kafkajs';
import { Connection } from 'mongoose';
import { KafkaInboxConsumer } from '../kafka/kafka-inbox-consumer';
import { InMemoryEventStore } from '../store/in-memory-event-store';
import { MongoEventStore } from '../store/mongo-event-store';
import { StoredEvent } from '../store/event-store';
import { InMemoryCheckpointStore } from './checkpoint-store';
import { DeadMessage, MongoDeadLetters } from './dead-letters';
import { PoisonEventError, Projection } from './projection';
import { ProjectionRunner } from './projection-runner';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('dead-letters');
});
afterAll(async () => {
  await dropTestDatabase(connection);
});

const event = (eventId: string): StoredEvent => {
  const now = new Date().toISOString();
  return {
    eventId, type: 'feedback.dialogue-entry-added', schemaVersion: 1, envelopeVersion: 2, streamId: `feedback-dialogue-${eventId}`, streamVersion: 2, occurredAt: now,
    recordedAt: now, position: 7, tenant: { institutionId: 'i', schoolId: 's' }, actor: { userId: 'u', role: 'learner' }, correlationId: 'c', causationId: null,
    data: { text: 'private' },
  };
};

describe('dead letters: lists, counts and resolutions by _id only (real MongoDB-compatible server)', () => {
  it('pages one place newest first, counts what still waits, and lists a letter parked again once, at its new place', async () => {
    const letters = new MongoDeadLetters(connection);
    for (let i = 1; i <= 25; i++) await letters.park('learner-dialogues', event(`e-${i}`), `no dialogue ${i}`);
    await letters.park('learner-timeline', event('other'), 'elsewhere');

    const first = await letters.page('projection', 'learner-dialogues', { limit: 10 });
    expect(first.items.map((l) => l.eventId)).toEqual(Array.from({ length: 10 }, (_, i) => `e-${25 - i}`));
    expect(first.next).toBe(16);
    const second = await letters.page('projection', 'learner-dialogues', { before: first.next!, limit: 10 });
    expect(second.items.map((l) => l.eventId)).toEqual(Array.from({ length: 10 }, (_, i) => `e-${15 - i}`));
    const last = await letters.page('projection', 'learner-dialogues', { before: second.next!, limit: 10 });
    expect(last.items.map((l) => l.eventId)).toEqual(['e-5', 'e-4', 'e-3', 'e-2', 'e-1']);
    expect(last.next).toBeNull();
    expect((await letters.countOf('projection', 'learner-dialogues')).count).toBe(25);

    const replayed = (await letters.get('learner-dialogues:e-3'))!;
    expect(replayed.event?.data).toEqual({ text: 'private' });
    await letters.failedAgain(replayed, 'still no dialogue');
    expect(await letters.get('learner-dialogues:e-3')).toMatchObject({ status: 'parked', reason: 'still no dialogue', failedReplays: 1 });
    await letters.resolve(replayed, 'replayed');
    await letters.resolve((await letters.get('learner-dialogues:e-4'))!, 'discarded');
    expect((await letters.countOf('projection', 'learner-dialogues')).count).toBe(23);
    // resolved: the content goes, what it was stays
    expect(await letters.get('learner-dialogues:e-3')).toMatchObject({ status: 'replayed', type: 'feedback.dialogue-entry-added', eventId: 'e-3', event: null });
    expect(await letters.get('learner-dialogues:e-4')).toMatchObject({ status: 'discarded', event: null });

    // a rebuild meets e-3 again: parked anew, at the head, listed once
    await letters.park('learner-dialogues', event('e-3'), 'no dialogue 3, again');
    expect((await letters.countOf('projection', 'learner-dialogues')).count).toBe(24);
    const all = await letters.page('projection', 'learner-dialogues', { limit: 100 });
    expect(all.items.filter((l) => l.eventId === 'e-3')).toEqual([expect.objectContaining({ status: 'parked', reason: 'no dialogue 3, again' })]);
    expect(all.items[0].eventId).toBe('e-3');
    expect(all.items).toHaveLength(25);
    // parking a waiting letter again keeps its place
    await letters.park('learner-dialogues', event('e-25'), 'no dialogue 25');
    expect((await letters.countOf('projection', 'learner-dialogues')).count).toBe(24);
    expect((await letters.countOf('projection', 'learner-timeline')).latest.map((l) => l.id)).toEqual(['learner-timeline:other']);
  });

  it('letters parked before the lists existed join their lists once, oldest first', async () => {
    const earlier = await connectTestDatabase('dead-letters-earlier');
    try {
      const letters = new MongoDeadLetters(earlier);
      await letters.model.collection.insertMany([
        { _id: 'learner-goals:old-2' as never, projection: 'learner-goals', event: event('old-2'), reason: 'second', parkedAt: new Date('2026-11-02T00:00:00Z') },
        { _id: 'learner-goals:old-1' as never, projection: 'learner-goals', event: event('old-1'), reason: 'first', parkedAt: new Date('2026-11-01T00:00:00Z') },
        { _id: 'cbme.coaching.dlq:t:0:4' as never, consumer: 'cbme.coaching.dlq', type: null, eventId: null, reason: 'message value is not JSON', parkedAt: new Date('2026-11-03T00:00:00Z') },
      ]);
      expect(await letters.listEarlierLetters()).toBe(3);
      expect(await letters.listEarlierLetters()).toBe(0);
      expect(await letters.countOf('projection', 'learner-goals')).toMatchObject({ count: 2, latest: [{ eventId: 'old-2', type: 'feedback.dialogue-entry-added' }, { eventId: 'old-1' }] });
      expect(await letters.countOf('consumer', 'cbme.coaching.dlq')).toMatchObject({ count: 1, latest: [{ id: 'cbme.coaching.dlq:t:0:4', status: 'parked' }] });
    } finally {
      await dropTestDatabase(earlier);
    }
  });

  it('a projection replays a parked event between its batches: the reason while it is still poison, applied after the fix', async () => {
    const applied: string[] = [];
    let fixed = false;
    const projection: Projection = {
      name: 'picky',
      apply: async (events) => {
        for (const e of events) {
          if (!fixed) throw new PoisonEventError(`cannot apply ${e.eventId} yet`);
          applied.push(e.eventId);
        }
      },
    };
    const runner = new ProjectionRunner(new InMemoryEventStore(), new InMemoryCheckpointStore(), projection, { deadLetters: new MongoDeadLetters(connection) });
    expect(await runner.replay(event('p-1'))).toEqual({ reason: 'cannot apply p-1 yet' });
    fixed = true;
    expect(await runner.replay(event('p-1'))).toEqual({ applied: true });
    expect(applied).toEqual(['p-1']);
  });
});

/** a release of the contracts that knows user-registered v2 (an optional field more; v1 lifts unchanged) */
class UserRegisteredV2 extends UserRegistered {
  @IsOptional() @IsString() pronouns?: string;
}
const newerCatalog = () => new EventCatalog([
  ...Object.values(IdentityEvents).filter((d) => d.type !== 'identity.user-registered'),
  defineEvent('identity.user-registered', UserRegisteredV2, { schemaVersion: 2, upcasters: { 1: (data) => data } }),
]);

describe('a refused message replayed through validation into the inbox (real MongoDB-compatible server)', () => {
  it('still refused by the same release, with the reason; imported once by a release that knows its version', async () => {
    const inbox = new MongoEventStore(connection, { collection: 'replay_inbox' });
    await inbox.init();
    const kafka = new Kafka({ clientId: 'replay-test', brokers: testServers().kafkaBrokers, logLevel: logLevel.NOTHING });
    const options = { consumerName: 'coaching', topicPrefix: 'replay', topics: [], inbox };
    const newer = publishedEvent('identity.user-registered', 'identity-user-u-9', 1, { userId: 'u-9', email: 'u9@example.org', displayName: 'U Nine', pronouns: 'they' }, { schemaVersion: 2 });
    const message: DeadMessage = { topic: 'replay.identity.events', partition: 0, offset: '3', key: newer.streamId, value: Buffer.from(JSON.stringify(newer)).toString('base64'), headers: {}, timestamp: null };

    const before = new KafkaInboxConsumer(kafka, { ...options, catalog: publicCatalog() });
    expect(await before.replay(message)).toEqual({ reason: 'identity.user-registered v2 is newer than this service knows (v1)' });
    expect(await inbox.readStream('identity-user-u-9')).toEqual([]);

    const after = new KafkaInboxConsumer(kafka, { ...options, catalog: newerCatalog() });
    expect(await after.replay(message)).toEqual({ imported: true });
    expect(await after.replay(message)).toEqual({ imported: false });
    const stored = await inbox.readStream('identity-user-u-9');
    expect(stored.map((e) => [e.eventId, e.schemaVersion, e.data])).toEqual([[newer.eventId, 2, newer.data]]);
  });
});
