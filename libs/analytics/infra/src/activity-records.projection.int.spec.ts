import { summarizeSchool } from '@cbme/analytics-domain';
import { EventEnvelope } from '@cbme/contracts';
import { StoredEvent } from '@cbme/event-sourcing';
import { connectTestDatabase, dropTestDatabase } from '@cbme/testing';
import { Connection } from 'mongoose';
import { ActivityRecordsProjection } from './activity-records.projection';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('activity');
});
afterAll(() => dropTestDatabase(connection));

let position = 0;
const event = (type: string, streamId: string, streamVersion: number, data: object): StoredEvent => ({
  eventId: `e-${++position}`, type, schemaVersion: 1, streamId, streamVersion, position, occurredAt: '2026-09-01T00:00:00.000Z',
  tenant: { institutionId: 'inst', schoolId: 'med' }, actor: { userId: 'u', role: 'learner' }, correlationId: 'c', causationId: null, data,
} satisfies EventEnvelope & { position: number });

const history = [
  event('coaching.coach-assigned', 'coaching-learner-med-l1', 1, { relationshipId: 'r1', learnerId: 'l1', coachId: 'c1' }),
  event('feedback.dialogue-opened', 'd1', 1, { dialogueId: 'd1', learnerId: 'l1', coachId: 'c1' }),
  event('feedback.dialogue-closed', 'd1', 3, { dialogueId: 'd1', learnerId: 'l1' }),
  event('feedback.goal-set', 'g1', 1, { goalId: 'g1', learnerId: 'l1' }),
  event('feedback.goal-status-changed', 'g1', 2, { goalId: 'g1', learnerId: 'l1', from: 'active', to: 'deferred' }),
];

describe('ActivityRecordsProjection (real MongoDB-compatible server)', () => {
  it('stores records whose totals match the pure projection, whatever the duplicates and batch order', async () => {
    const projection = new ActivityRecordsProjection(connection);
    await projection.apply(history);
    await projection.apply([history[2], history[1], history[4], history[3], history[0]]);
    const totals = summarizeSchool('med', await projection.ofSchool('med'));
    expect(totals).toEqual({
      schoolId: 'med',
      dialogues: { opened: 1, closed: 1, open: 0 },
      goals: { active: 0, achieved: 0, abandoned: 0, deferred: 1, total: 1 },
      coaching: { learnersWithCoach: 1, coaches: 1, learnersPerCoach: [{ coachId: 'c1', learners: 1 }] },
    });
    const dialogue = (await projection.ofSchool('med')).find((r) => r.kind === 'dialogue');
    expect(dialogue?.fields).toEqual({ status: 'closed', learnerId: 'l1', coachId: 'c1' });
  });
});
