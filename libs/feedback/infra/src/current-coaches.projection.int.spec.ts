import { InMemoryDeadLetters, InMemoryEventStore, MongoCheckpointStore, MongoEventStore, ProjectionRunner, StoredEvent } from '@cbme/event-sourcing';
import { connectTestDatabase, dropTestDatabase, pendingEvent } from '@cbme/testing';
import { Connection } from 'mongoose';
import { CoachHistoryProjection, CurrentCoachesProjection } from './current-coaches.projection';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('current-coaches');
});
afterAll(() => dropTestDatabase(connection));

const STREAM = 'coaching-learner-med-lea';

/** A learner's relationship stream: assigned to coa, paused, resumed, transferred to cob, ended. */
async function relationshipHistory(): Promise<StoredEvent[]> {
  const store = new InMemoryEventStore();
  const ids = { relationshipId: 'r1', learnerId: 'lea', coachId: 'coa' };
  const events = [
    pendingEvent('coaching.coach-assigned', ids, '2023-01-10T09:00:00.000Z'),
    pendingEvent('coaching.relationship-paused', { ...ids, reason: 'parental leave' }, '2023-06-01T09:00:00.000Z'),
    pendingEvent('coaching.relationship-resumed', ids, '2023-09-01T09:00:00.000Z'),
    pendingEvent('coaching.learner-transferred', { relationshipId: 'r1', newRelationshipId: 'r2', learnerId: 'lea', fromCoachId: 'coa', toCoachId: 'cob', reason: 'rotation' }, '2024-01-15T09:00:00.000Z'),
    pendingEvent('coaching.relationship-ended', { relationshipId: 'r2', learnerId: 'lea', coachId: 'cob', reason: 'graduated' }, '2025-06-30T09:00:00.000Z'),
  ];
  for (const [i, event] of events.entries()) await store.append(STREAM, i, [event]);
  return store.readStream(STREAM);
}

describe('CurrentCoachesProjection (real MongoDB-compatible server)', () => {
  let history: StoredEvent[];
  beforeAll(async () => {
    history = await relationshipHistory();
  });

  it('follows assignment, pause (still current), resume, transfer (the new coach) and end (nobody)', async () => {
    const projection = new CurrentCoachesProjection(connection);
    await projection.reset();
    const seen: (string | null)[] = [];
    for (const event of history) {
      await projection.apply([event]);
      seen.push(await projection.currentCoachOf('med', 'lea'));
    }
    expect(seen).toEqual(['coa', 'coa', 'coa', 'cob', null]);
    expect(await projection.currentCoachOf('nursing', 'lea')).toBeNull();
  });

  it('is unchanged by redelivery, replays and batches in any order: an older event never brings back a former coach', async () => {
    const projection = new CurrentCoachesProjection(connection);
    await projection.reset();
    await projection.apply([history[3], history[0], history[1]]);
    expect(await projection.currentCoachOf('med', 'lea')).toBe('cob');
    await projection.apply(history.slice(0, 3));
    expect(await projection.currentCoachOf('med', 'lea')).toBe('cob');
    await projection.apply([history[4], history[2]]);
    await projection.apply(history);
    expect(await projection.currentCoachOf('med', 'lea')).toBeNull();
  });
});

describe('CoachHistoryProjection (real MongoDB-compatible server)', () => {
  it('tells who coached the learner at a date, whatever order and however often the events came', async () => {
    const history = await relationshipHistory();
    const projection = new CoachHistoryProjection(connection);
    await projection.reset();
    await projection.apply([history[3], history[0]]);
    await projection.apply(history);
    const coachAt = (at: string) => projection.coachAt('med', 'lea', at);
    expect(await Promise.all(['2023-01-01T00:00:00Z', '2023-01-10T09:00:00Z', '2023-07-01T00:00:00Z', '2024-01-15T08:59:59Z', '2024-01-15T09:00:00Z', '2025-07-01T00:00:00Z'].map(coachAt)))
      .toEqual([null, 'coa', 'coa', 'coa', 'cob', null]);
    expect(await projection.coachAt('nursing', 'lea', '2024-01-01T00:00:00Z')).toBeNull();
  });
});

describe('CoachHistoryProjection on the instance that runs it (real MongoDB-compatible server)', () => {
  it('keeps spells in memory under its hold, drops what its own batches change, and another instance reads the same', async () => {
    const history = await relationshipHistory();
    const holder = new CoachHistoryProjection(connection);
    await holder.reset();
    await holder.generations.hold();
    try {
      await holder.apply(history.slice(0, 3));
      expect(await holder.coachAt('med', 'lea', '2024-06-01T00:00:00Z')).toBe('coa');
      await holder.apply(history.slice(3));
      expect(await holder.coachAt('med', 'lea', '2024-06-01T00:00:00Z')).toBe('cob');
      expect(await holder.coachAt('med', 'lea', '2025-07-01T00:00:00Z')).toBeNull();
      const replica = new CoachHistoryProjection(connection.useDb(connection.name, { useCache: false }));
      expect(await replica.coachAt('med', 'lea', '2024-06-01T00:00:00Z')).toBe('cob');
    } finally {
      holder.generations.release();
    }
  });
});

describe('CurrentCoachesProjection rebuilt blue/green (real MongoDB-compatible server)', () => {
  it('keeps answering from the complete live generation during a rebuild, switches on every instance once caught up, and never moves a checkpoint back', async () => {
    const db = connection.useDb(`${connection.name}_bluegreen`, { useCache: false });
    const store = new MongoEventStore(db, { collection: 'inbox' });
    await store.init();
    const checkpoints = new MongoCheckpointStore(db);
    for (const [i, event] of (await relationshipHistory()).entries()) await store.append(STREAM, i, [pendingEvent(event.type, event.data as object, event.occurredAt)]);
    const assigned = { relationshipId: 'r9', learnerId: 'max', coachId: 'coc' };
    await store.append('coaching-learner-med-max', 0, [pendingEvent('coaching.coach-assigned', assigned)]);

    // a deployment from before generations: its collection and checkpoint are generation 1 and keep serving
    await db.collection('current_coaches').insertOne({ _id: 'med:max' as never, schoolId: 'med', learnerId: 'max', coachId: 'coc', status: 'active', version: 1 });
    await db.collection('current_coaches').insertOne({ _id: 'med:lea' as never, schoolId: 'med', learnerId: 'lea', coachId: null, status: 'ended', version: 5 });
    const head = await store.headPosition();
    await checkpoints.save('current-coaches', head);
    const projection = new CurrentCoachesProjection(db);
    // another instance of the service: its own models and memory, the same database
    const otherInstance = new CurrentCoachesProjection(db.useDb(db.name, { useCache: false }));
    const runner = new ProjectionRunner(store, checkpoints, projection, { deadLetters: new InMemoryDeadLetters(), batchSize: 1 });
    await runner.waitUntilCaughtUp();
    expect(await projection.currentCoachOf('med', 'max')).toBe('coc');
    expect(await runner.position()).toBe(head);

    const answers: (string | null)[] = [];
    const liveCheckpoints: number[] = [];
    let appended = false;
    const rebuilt = await runner.rebuild(async () => {
      answers.push(await projection.currentCoachOf('med', 'lea'), await otherInstance.currentCoachOf('med', 'max'), await otherInstance.currentCoachOf('med', 'ida'));
      liveCheckpoints.push(await checkpoints.load('current-coaches'));
      if (!appended) {
        appended = true; // committed during the rebuild: the fresh generation takes it before the switch
        await store.append('coaching-learner-med-ida', 0, [pendingEvent('coaching.coach-assigned', { relationshipId: 'r10', learnerId: 'ida', coachId: 'cod' })]);
      }
    });
    // a batch per commit: the head at the start, and the one committed meanwhile (done counts to the first)
    expect(rebuilt.done).toBe(head);
    const batches = head + 1;
    // the replay had lea assigned to coa after its first batch; queries saw the complete live generation throughout
    expect(new Set(answers)).toEqual(new Set([null, 'coc']));
    expect(answers.filter((a, i) => i % 3 === 0)).toEqual(Array(batches).fill(null));
    expect(liveCheckpoints).toEqual(Array(batches).fill(head));
    expect(await projection.generations.liveGeneration()).toBe(2);
    expect(await otherInstance.currentCoachOf('med', 'ida')).toBe('cod');
    expect(await checkpoints.load('current-coaches')).toBe(head);
    expect(await checkpoints.load('current-coaches@g2')).toBe(head + 1);

    // after the switch the runner goes on from the fresh generation's checkpoint
    await store.append('coaching-learner-med-max', 1, [pendingEvent('coaching.relationship-ended', { ...assigned, reason: 'graduated' })]);
    await runner.waitUntilCaughtUp();
    expect(await otherInstance.currentCoachOf('med', 'max')).toBeNull();
    expect(await checkpoints.load('current-coaches@g2')).toBe(head + 2);

    // a failed rebuild drops its generation: the live one answers and goes on from its own checkpoint
    await expect(runner.rebuild(() => { throw new Error('disk full'); })).rejects.toThrow('disk full');
    expect(await projection.generations.liveGeneration()).toBe(2);
    const collections = (await db.listCollections()).map((c) => c.name);
    expect(collections).not.toContain('current_coaches_g3');
    expect(await checkpoints.load('current-coaches@g2')).toBe(head + 2);
    expect(await otherInstance.currentCoachOf('med', 'ida')).toBe('cod');

    // a process that died during a rebuild switched nothing; the next rebuild drops what it half built
    const dying = new CurrentCoachesProjection(db.useDb(db.name, { useCache: false }));
    await dying.generations.begin();
    await dying.apply((await store.readCommitsAfter(0, 1)).flatMap((c) => c.events));
    expect(await otherInstance.currentCoachOf('med', 'lea')).toBeNull();
    await runner.rebuild();
    expect(await projection.generations.liveGeneration()).toBe(5);
    expect(await otherInstance.currentCoachOf('med', 'lea')).toBeNull();
    expect(await otherInstance.currentCoachOf('med', 'ida')).toBe('cod');
    const after = (await db.listCollections()).map((c) => c.name).filter((n) => n.startsWith('current_coaches')).sort();
    expect(after).toEqual(['current_coaches_g2', 'current_coaches_g5']);
    await db.dropDatabase();
  }, 120_000);
});
