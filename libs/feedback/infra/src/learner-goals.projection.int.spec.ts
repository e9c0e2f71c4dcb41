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
      targetDate: '2027-01-15', status: 'achieved', visibility: 'shared', lastRevisedAt: '2026-09-01T10:00:00.000Z', links: [], version: 3,
    }]);
    expect(await projection.list('nursing', 'lea')).toEqual([]);
  });

  it('keeps each goal\'s visibility as the learner changes it', async () => {
    const projection = new LearnerGoalsProjection(connection);
    const store = new InMemoryEventStore();
    const goal = { goalId: 'g2', learnerId: 'lea-2', description: 'Private worry', measureOfSuccess: null, competencies: [], targetDate: '2027-03-01', visibility: 'private' };
    await store.append('feedback-goal-g2', 0, [{ ...pendingEvent('feedback.goal-set', goal), schemaVersion: 3 }]);
    await projection.apply(await store.readStream('feedback-goal-g2'));
    expect(await projection.list('med', 'lea-2')).toMatchObject([{ goalId: 'g2', visibility: 'private', version: 1 }]);
    await store.append('feedback-goal-g2', 1, [pendingEvent('feedback.goal-sharing-changed', { goalId: 'g2', learnerId: 'lea-2', visibility: 'shared' })]);
    const history = await store.readStream('feedback-goal-g2');
    await projection.apply(history);
    await projection.apply(history.slice(0, 1));
    expect(await projection.list('med', 'lea-2')).toMatchObject([{ goalId: 'g2', description: 'Private worry', visibility: 'shared', version: 2 }]);
  });

  it('keeps the links a goal has now, whatever the batch shape and redelivery', async () => {
    const projection = new LearnerGoalsProjection(connection);
    const store = new InMemoryEventStore();
    const goal = { goalId: 'g3', learnerId: 'lea-3', description: 'Handover', measureOfSuccess: null, competencies: [], targetDate: '2027-03-01', visibility: 'shared' };
    const link = (type: string, targetId: string) => pendingEvent(type, { goalId: 'g3', learnerId: 'lea-3', kind: 'dialogue', targetId, visibility: 'shared' });
    await store.append('feedback-goal-g3', 0, [{ ...pendingEvent('feedback.goal-set', goal), schemaVersion: 3 }, link('feedback.goal-linked', 'd1'), link('feedback.goal-linked', 'd2')]);
    await store.append('feedback-goal-g3', 3, [link('feedback.goal-unlinked', 'd1'), link('feedback.goal-linked', 'd1'), link('feedback.goal-unlinked', 'd2')]);
    const history = await store.readStream('feedback-goal-g3');
    await projection.apply(history.slice(0, 3));
    expect((await projection.list('med', 'lea-3'))[0]).toMatchObject({ links: [{ kind: 'dialogue', targetId: 'd1' }, { kind: 'dialogue', targetId: 'd2' }], version: 3 });
    // redelivery of the first batch with the rest: the unlinks count once, the relink stays
    await projection.apply(history);
    await projection.apply(history.slice(1, 4));
    expect((await projection.list('med', 'lea-3'))[0]).toMatchObject({ links: [{ kind: 'dialogue', targetId: 'd1' }], version: 6 });
    // a rebuild in one batch gives the same
    await projection.reset();
    await projection.apply(history);
    expect((await projection.list('med', 'lea-3'))[0]).toMatchObject({ links: [{ kind: 'dialogue', targetId: 'd1' }], version: 6 });
  });
});
