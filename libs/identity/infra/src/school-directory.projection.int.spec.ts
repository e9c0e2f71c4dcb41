import { InMemoryDeadLetters, InMemoryEventStore, MongoCheckpointStore, MongoEventStore, ProjectionRunner, StoredEvent } from '@cbme/event-sourcing';
import { connectTestDatabase, dropTestDatabase, pendingEvent } from '@cbme/testing';
import { Connection } from 'mongoose';
import { SchoolDirectoryProjection } from './school-directory.projection';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('school-directory');
});
afterAll(() => dropTestDatabase(connection));

/** Two schools, two cohorts of medicine; Lea enrolled, withdrawn, enrolled into the later cohort, graduated; Max enrolled. */
async function history(): Promise<StoredEvent[]> {
  const store = new InMemoryEventStore();
  await store.append('identity-school-medicine', 0, [pendingEvent('identity.school-created', { schoolId: 'medicine', institutionId: 'inst', name: 'School of Medicine' })]);
  await store.append('identity-school-nursing', 0, [pendingEvent('identity.school-created', { schoolId: 'nursing', institutionId: 'inst', name: 'School of Nursing' })]);
  await store.append('identity-cohort-medicine-md-2030', 0, [pendingEvent('identity.cohort-created', { schoolId: 'medicine', cohortId: 'md-2030', program: 'MD', graduationYear: 2030 })]);
  await store.append('identity-cohort-medicine-md-2029', 0, [pendingEvent('identity.cohort-created', { schoolId: 'medicine', cohortId: 'md-2029', program: 'MD', graduationYear: 2029 })]);
  const lea = { userId: 'lea', schoolId: 'medicine' };
  await store.append('identity-user-lea', 0, [
    pendingEvent('identity.learner-enrolled', { ...lea, cohortId: 'md-2029' }),
    pendingEvent('identity.learner-withdrawn', { ...lea, cohortId: 'md-2029', reason: 'a year abroad' }),
    pendingEvent('identity.learner-enrolled', { ...lea, cohortId: 'md-2030' }),
    pendingEvent('identity.learner-graduated', { ...lea, cohortId: 'md-2030' }),
  ]);
  await store.append('identity-user-max', 0, [pendingEvent('identity.learner-enrolled', { userId: 'max', schoolId: 'medicine', cohortId: 'md-2030' })]);
  return (await store.readCommitsAfter(0, 100)).flatMap((c) => c.events);
}

describe('SchoolDirectoryProjection (real MongoDB-compatible server)', () => {
  it('lists the schools, and a school\'s cohorts with each learner where they stand now', async () => {
    const events = await history();
    const projection = new SchoolDirectoryProjection(connection);
    await projection.reset();
    await projection.apply(events);
    expect(await projection.schools()).toEqual([{ schoolId: 'medicine', name: 'School of Medicine' }, { schoolId: 'nursing', name: 'School of Nursing' }]);
    const expected = [
      { cohortId: 'md-2029', program: 'MD', graduationYear: 2029, learners: [] },
      { cohortId: 'md-2030', program: 'MD', graduationYear: 2030, learners: [{ userId: 'lea', status: 'graduated' }, { userId: 'max', status: 'enrolled' }] },
    ];
    expect(await projection.cohorts('medicine')).toEqual(expected);
    expect(await projection.cohorts('nursing')).toEqual([]);

    // redelivered and out of order, one event at a time: an older change never brings back an earlier standing
    for (const event of [...events].reverse()) await projection.apply([event]);
    await projection.apply(events);
    expect(await projection.cohorts('medicine')).toEqual(expected);
  });
});

describe('SchoolDirectoryProjection rebuilt blue/green (real MongoDB-compatible server)', () => {
  it('answers from the complete live generation during a rebuild and from the rebuilt one, on every instance, after the switch', async () => {
    const db = connection.useDb(`${connection.name}_bluegreen`, { useCache: false });
    const store = new MongoEventStore(db, { collection: 'events' });
    await store.init();
    for (const event of await history()) await store.append(`${event.streamId}`, event.streamVersion - 1, [pendingEvent(event.type, event.data as object, event.occurredAt)]);
    const checkpoints = new MongoCheckpointStore(db);
    const projection = new SchoolDirectoryProjection(db);
    const otherInstance = new SchoolDirectoryProjection(db.useDb(db.name, { useCache: false }));
    const runner = new ProjectionRunner(store, checkpoints, projection, { deadLetters: new InMemoryDeadLetters(), batchSize: 1 });
    await runner.waitUntilCaughtUp();
    const head = await store.headPosition();
    const before = { schools: await otherInstance.schools(), cohorts: await otherInstance.cohorts('medicine') };
    expect(before.schools).toHaveLength(2);

    const seen: unknown[] = [];
    const liveCheckpoints = new Set<number>();
    await runner.rebuild(async ({ done }) => {
      seen.push({ schools: await otherInstance.schools(), cohorts: await projection.cohorts('medicine') });
      liveCheckpoints.add(await checkpoints.load('school-directory'));
      if (done === 1) await store.append('identity-school-dentistry', 0, [pendingEvent('identity.school-created', { schoolId: 'dentistry', institutionId: 'inst', name: 'School of Dentistry' })]);
    });
    // the replay had one school after its first batch; every query during the rebuild saw the whole live generation
    expect(seen).toEqual(Array(head + 1).fill(before));
    expect([...liveCheckpoints]).toEqual([head]);
    expect((await otherInstance.schools()).map((s) => s.schoolId)).toEqual(['dentistry', 'medicine', 'nursing']);
    expect(await otherInstance.cohorts('medicine')).toEqual(before.cohorts);
    expect(await checkpoints.load('school-directory@g2')).toBe(head + 1);
    expect(await checkpoints.load('school-directory')).toBe(head);
    await db.dropDatabase();
  }, 120_000);
});
