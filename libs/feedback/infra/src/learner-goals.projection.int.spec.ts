import { InMemoryEventStore, StoredEvent } from '@cbme/event-sourcing';
import { connectTestDatabase, dropTestDatabase, pendingEvent } from '@cbme/testing';
import { Connection } from 'mongoose';
import { LearnerGoalsProjection } from './learner-goals.projection';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('learner-goals');
});
afterAll(() => dropTestDatabase(connection));

async function goalHistory(): Promise<StoredEvent[]> {
  const store = new InMemoryEventStore();
  const goal = { goalId: 'g1', learnerId: 'lea', description: 'Lead a handover', measureOfSuccess: null, competencies: ['ICS'], targetDate: '2026-12-01' };
  await store.append('feedback-goal-g1', 0, [{ ...pendingEvent('feedback.goal-set', goal) }]);
  await store.append('feedback-goal-g1', 1, [pendingEvent('feedback.goal-revised', { goalId: 'g1', learnerId: 'lea', description: 'Lead two handovers', targetDate: '2027-01-15', rationale: 'new rotation' })]);
  await store.append('feedback-goal-g1', 2, [pendingEvent('feedback.goal-status-changed', { goalId: 'g1', learnerId: 'lea', from: 'active', to: 'achieved' })]);
  return store.readStream('feedback-goal-g1');
}

describe('LearnerGoalsProjection (real MongoDB-compatible server)', () => {
  it('projects a goal\'s history and is unchanged by redelivery in any batch shape', async () => {
    const projection = new LearnerGoalsProjection(connection);
    const history = await goalHistory();
    await projection.apply(history);
    const once = await projection.list('med', 'lea');
    await projection.apply(history.slice(0, 1));
    await projection.apply([history[2], history[1]]);
    expect(await projection.list('med', 'lea')).toEqual(once);
    expect(once).toEqual([{
      goalId: 'g1', learnerId: 'lea', description: 'Lead two handovers', measureOfSuccess: null, competencies: ['ICS'],
      targetDate: '2027-01-15', status: 'achieved', lastRevisedAt: '2026-09-01T10:00:00.000Z', version: 3,
    }]);
    expect(await projection.list('nursing', 'lea')).toEqual([]);
  });
});
