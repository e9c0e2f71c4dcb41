import { InMemoryDeadLetters, InMemoryEventStore, MongoCheckpointStore, MongoEventStore, ProjectionRunner, StoredEvent } from '@cbme/event-sourcing';
import { connectTestDatabase, dropTestDatabase, pendingEvent } from '@cbme/testing';
import { Connection } from 'mongoose';
import { RetentionProjection } from './retention.projection';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('retention-view');
});
afterAll(() => dropTestDatabase(connection));

const med = { schoolId: 'medicine', cohortId: 'md-2019' };

/** Medicine keeps 7 years; Lea graduated in 2019 (proposed, then erased), Max withdrew (proposed, dismissed), Ida enrolled again. */
async function history(): Promise<StoredEvent[]> {
  const store = new InMemoryEventStore();
  await store.append('identity-retention-policy-medicine', 0, [pendingEvent('identity.retention-policy-set', { schoolId: 'medicine', yearsAfterLeaving: 7, reason: 'Records act' }, '2026-01-05T09:00:00.000Z')]);
  await store.append('identity-user-lea', 0, [
    pendingEvent('identity.user-registered', { userId: 'lea', email: 'lea@med.example', displayName: 'Lea Novak' }, '2015-09-01T09:00:00.000Z'),
    pendingEvent('identity.learner-enrolled', { userId: 'lea', ...med }, '2015-09-01T09:00:00.000Z'),
    pendingEvent('identity.learner-graduated', { userId: 'lea', ...med }, '2019-06-30T12:00:00.000Z'),
  ]);
  await store.append('identity-user-max', 0, [
    pendingEvent('identity.user-registered', { userId: 'max', email: 'max@med.example', displayName: 'Max Roe' }, '2015-09-01T09:00:00.000Z'),
    pendingEvent('identity.learner-enrolled', { userId: 'max', ...med }, '2015-09-01T09:00:00.000Z'),
    pendingEvent('identity.learner-withdrawn', { userId: 'max', ...med, reason: 'moved' }, '2018-03-01T12:00:00.000Z'),
  ]);
  await store.append('identity-user-ida', 0, [
    pendingEvent('identity.user-registered', { userId: 'ida', email: 'ida@med.example', displayName: 'Ida' }, '2015-09-01T09:00:00.000Z'),
    pendingEvent('identity.learner-enrolled', { userId: 'ida', ...med }, '2015-09-01T09:00:00.000Z'),
    pendingEvent('identity.learner-withdrawn', { userId: 'ida', ...med, reason: 'a year off' }, '2016-09-01T12:00:00.000Z'),
    pendingEvent('identity.learner-enrolled', { userId: 'ida', schoolId: 'medicine', cohortId: 'md-2020' }, '2017-09-01T12:00:00.000Z'),
  ]);
  await store.append('identity-retention-medicine:max', 0, [
    pendingEvent('identity.erasure-proposed', { userId: 'max', schoolId: 'medicine', leftAt: '2018-03-01T12:00:00.000Z', dueOn: '2025-03-01', policyYears: 7 }, '2026-01-06T02:00:00.000Z'),
    pendingEvent('identity.erasure-proposal-dismissed', { userId: 'max', schoolId: 'medicine', reason: 'pending claim', keepUntil: '2027-01-01' }, '2026-01-07T10:00:00.000Z'),
  ]);
  await store.append('identity-retention-medicine:lea', 0, [
    pendingEvent('identity.erasure-proposed', { userId: 'lea', schoolId: 'medicine', leftAt: '2019-06-30T12:00:00.000Z', dueOn: '2026-06-30', policyYears: 7 }, '2026-07-01T02:00:00.000Z'),
  ]);
  await store.append('identity-user-lea', 3, [pendingEvent('identity.subject-erased', { userId: 'lea' }, '2026-07-02T10:00:00.000Z')]);
  return (await store.readCommitsAfter(0, 100)).flatMap((c) => c.events);
}

const expected = {
  schoolId: 'medicine',
  policy: { yearsAfterLeaving: 7, reason: 'Records act', setAt: '2026-01-05T09:00:00.000Z' },
  proposals: [
    {
      userId: 'max', name: 'Max Roe', leftAt: '2018-03-01T12:00:00.000Z', dueOn: '2025-03-01', policyYears: 7, status: 'dismissed', proposedAt: '2026-01-06T02:00:00.000Z',
      dismissal: { reason: 'pending claim', keepUntil: '2027-01-01', at: '2026-01-07T10:00:00.000Z' },
    },
    { userId: 'lea', name: null, leftAt: '2019-06-30T12:00:00.000Z', dueOn: '2026-06-30', policyYears: 7, status: 'erased', proposedAt: '2026-07-01T02:00:00.000Z' },
  ],
  leavers: [{ userId: 'lea', leftAt: '2019-06-30T12:00:00.000Z' }, { userId: 'max', leftAt: '2018-03-01T12:00:00.000Z' }],
};
const byUser = <V extends { leavers: { userId: string }[] }>(view: V) => ({ ...view, leavers: [...view.leavers].sort((a, b) => a.userId.localeCompare(b.userId)) });

describe('RetentionProjection (real MongoDB-compatible server)', () => {
  it("holds a school's policy, its leavers and its proposals, an erased learner's as erased and nameless", async () => {
    const events = await history();
    const projection = new RetentionProjection(connection);
    await projection.reset();
    await projection.apply(events);
    expect(byUser(await projection.retention('medicine'))).toEqual(expected);
    expect(await projection.retention('nursing')).toEqual({ schoolId: 'nursing', policy: null, proposals: [], leavers: [] });

    // redelivered and out of order, one event at a time: an older change never brings back an earlier standing
    for (const event of [...events].reverse()) await projection.apply([event]);
    await projection.apply(events);
    expect(byUser(await projection.retention('medicine'))).toEqual(expected);
  });

  it('rebuilds from the store to the same view', async () => {
    const db = connection.useDb(`${connection.name}_rebuild`, { useCache: false });
    const store = new MongoEventStore(db, { collection: 'events' });
    await store.init();
    for (const event of await history()) await store.append(event.streamId, event.streamVersion - 1, [pendingEvent(event.type, event.data as object, event.occurredAt)]);
    const projection = new RetentionProjection(db);
    const runner = new ProjectionRunner(store, new MongoCheckpointStore(db), projection, { deadLetters: new InMemoryDeadLetters(), batchSize: 3 });
    await runner.waitUntilCaughtUp();
    expect(byUser(await projection.retention('medicine'))).toEqual(expected);
    await runner.rebuild();
    expect(byUser(await projection.retention('medicine'))).toEqual(expected);
    await db.dropDatabase();
  }, 120_000);
});
