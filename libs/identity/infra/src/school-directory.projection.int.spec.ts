import { InMemoryEventStore, StoredEvent } from '@cbme/event-sourcing';
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
