import { InMemoryEventStore, StoredEvent } from '@cbme/event-sourcing';
import { connectTestDatabase, dropTestDatabase, pendingEvent } from '@cbme/testing';
import { Connection } from 'mongoose';
import { CoachPlansProjection } from './coach-plans.projection';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('coach-plans');
});
afterAll(() => dropTestDatabase(connection));

const stream = 'feedback-coach-plan-med-coa';
const plan = { planId: 'cp1', coachId: 'coa' };

/** A coach's plan: created, a peer and the lead asked, the peer reviews, the coach revises and asks the peer again. */
async function coachPlanHistory(): Promise<StoredEvent[]> {
  const store = new InMemoryEventStore();
  const revised = (version: number, areas: string[], at: string) => pendingEvent('feedback.coach-plan-revised', {
    ...plan, version, focusAreas: areas.map((area, i) => ({ focusId: `f${i}`, area, title: `words on ${area}` })), nextReviewDue: '2026-12-01T09:00:00.000Z', ...(version > 1 ? { rationale: 'new term' } : {}),
  }, at);
  const asked = (reviewerId: string, reviewerRole: string, at: string) => pendingEvent('feedback.coach-plan-review-requested', { ...plan, reviewerId, reviewerRole, planVersion: 1 }, at);
  await store.append(stream, 0, [revised(1, ['coaching-skills'], '2026-09-01T10:00:00.000Z')]);
  await store.append(stream, 1, [asked('cob', 'coach', '2026-09-02T10:00:00.000Z'), asked('lead', 'coaching-lead', '2026-09-02T10:00:00.000Z')]);
  await store.append(stream, 3, [pendingEvent('feedback.coach-plan-reviewed', {
    ...plan, reviewId: 'r1', reviewerId: 'cob', reviewerRole: 'coach', planVersion: 1, nextReviewDue: '2027-01-10T09:00:00.000Z', whatChanged: 'Asks first', nextSteps: [],
  }, '2026-09-03T10:00:00.000Z')]);
  await store.append(stream, 4, [revised(2, ['coaching-skills', 'inclusive-language'], '2026-09-04T10:00:00.000Z'), asked('cob', 'coach', '2026-09-05T10:00:00.000Z')]);
  return store.readStream(stream);
}

describe('CoachPlansProjection (real MongoDB-compatible server)', () => {
  it('keeps each school\'s coach plans and each reviewer\'s requests, the same whatever the batch shape and redelivery', async () => {
    const projection = new CoachPlansProjection(connection);
    const history = await coachPlanHistory();
    const read = async () => ({ school: await projection.ofSchool('med'), cob: await projection.askedOf('med', 'cob'), lead: await projection.askedOf('med', 'lead') });

    await projection.apply(history.slice(0, 4));
    expect(await read()).toEqual({
      school: [{ coachId: 'coa', planId: 'cp1', planVersion: 1, areas: ['coaching-skills'], nextReviewDue: '2027-01-10T09:00:00.000Z', revisedAt: '2026-09-01T10:00:00.000Z', lastReviewedAt: '2026-09-03T10:00:00.000Z' }],
      cob: [{ coachId: 'coa', planId: 'cp1', reviewerRole: 'coach', askedAt: '2026-09-02T10:00:00.000Z', awaiting: false, reviewedAt: '2026-09-03T10:00:00.000Z' }],
      lead: [{ coachId: 'coa', planId: 'cp1', reviewerRole: 'coaching-lead', askedAt: '2026-09-02T10:00:00.000Z', awaiting: true, reviewedAt: null }],
    });

    await projection.apply(history);
    const once = await read();
    expect(once.school).toEqual([expect.objectContaining({ planVersion: 2, areas: ['coaching-skills', 'inclusive-language'], revisedAt: '2026-09-04T10:00:00.000Z', lastReviewedAt: '2026-09-03T10:00:00.000Z' })]);
    expect(once.cob).toEqual([expect.objectContaining({ awaiting: true, askedAt: '2026-09-05T10:00:00.000Z', reviewedAt: null })]);

    // redelivered, out of order, or rebuilt in one batch: the same
    await projection.apply([history[5], history[2], history[0]]);
    await projection.apply(history.slice(1, 4));
    expect(await read()).toEqual(once);
    await projection.reset();
    await projection.apply(history);
    expect(await read()).toEqual(once);

    // nothing of another school, nor for someone nobody asked; no text is kept
    expect(await projection.ofSchool('nursing')).toEqual([]);
    expect(await projection.askedOf('med', 'cox')).toEqual([]);
    expect(JSON.stringify(await connection.collection('coach_plans_view').find({}).toArray())).not.toMatch(/words on|new term|Asks first/);
  });
});
