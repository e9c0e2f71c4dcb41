import { InMemoryEventStore, MongoCheckpointStore, MongoDeadLetters, ProjectionRunner, StoredEvent } from '@cbme/event-sourcing';
import { connectTestDatabase, dropTestDatabase, pendingEvent } from '@cbme/testing';
import { Connection } from 'mongoose';
import { LearnerDialoguesProjection } from './learner-dialogues.projection';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('learner-dialogues');
});
afterAll(() => dropTestDatabase(connection));

const at = (minute: number) => `2026-09-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
const by = (userId: string, role: 'learner' | 'coach', schoolId = 'med') => ({ actor: { userId, role }, tenant: { institutionId: 'inst', schoolId } });

/** Two dialogues of lea in med, written in turns (so their commits interleave), and one of lea in another school. */
async function history(): Promise<{ store: InMemoryEventStore; events: StoredEvent[] }> {
  const store = new InMemoryEventStore();
  const opened = (dialogueId: string, topic: string) => ({ dialogueId, learnerId: 'lea', coachId: 'coa', topic, competencies: ['ICS'] });
  const entry = (dialogueId: string, authorId: string, visibility: string) => ({ dialogueId, entryId: `${dialogueId}-${authorId}-${visibility}`, authorId, visibility, wordCount: 3, text: 'words never kept here' });
  await store.append('feedback-dialogue-d1', 0, [{ ...pendingEvent('feedback.dialogue-opened', opened('d1', 'Handover on nights'), at(0)), ...by('lea', 'learner') }]);
  await store.append('feedback-dialogue-d2', 0, [{ ...pendingEvent('feedback.dialogue-opened', opened('d2', 'Breaking bad news'), at(1)), ...by('lea', 'learner') }]);
  await store.append('feedback-dialogue-d1', 1, [
    { ...pendingEvent('feedback.dialogue-entry-added', entry('d1', 'lea', 'shared'), at(2)), ...by('lea', 'learner') },
    { ...pendingEvent('feedback.dialogue-entry-added', entry('d1', 'coa', 'shared'), at(3)), ...by('coa', 'coach') },
  ]);
  await store.append('feedback-dialogue-d2', 1, [{ ...pendingEvent('feedback.dialogue-entry-added', entry('d2', 'lea', 'private'), at(4)), ...by('lea', 'learner') }]);
  await store.append('feedback-dialogue-d1', 3, [
    { ...pendingEvent('feedback.dialogue-action-agreed', { dialogueId: 'd1', learnerId: 'lea', actionId: 'a1', ownerId: 'lea', description: 'SBAR' }, at(5)), ...by('coa', 'coach') },
    { ...pendingEvent('feedback.dialogue-closed', { dialogueId: 'd1', learnerId: 'lea' }, at(6)), ...by('coa', 'coach') },
  ]);
  await store.append('feedback-dialogue-d3', 0, [{ ...pendingEvent('feedback.dialogue-opened', opened('d3', 'Elsewhere'), at(7)), ...by('lea', 'learner', 'nursing') }]);
  await store.append('feedback-goal-g1', 0, [pendingEvent('feedback.goal-set', { goalId: 'g1', learnerId: 'lea', description: 'x', measureOfSuccess: null, competencies: [], targetDate: '2027-01-01' })]);
  return { store, events: (await store.readCommitsAfter(0, 100)).flatMap((c) => c.events) };
}

const byId = <T extends { dialogueId: string }>(summaries: T[]) => [...summaries].sort((a, b) => a.dialogueId.localeCompare(b.dialogueId));

describe('LearnerDialoguesProjection (real MongoDB-compatible server)', () => {
  it('keeps one document per learner and school with each dialogue summarized per visibility, unchanged by redelivery in any batch shape', async () => {
    const projection = new LearnerDialoguesProjection(connection);
    const { events } = await history();
    await projection.apply(events.slice(0, 3));
    await projection.apply(events.slice(3));
    const once = byId(await projection.summariesOf('med', 'lea'));
    expect(once).toEqual([
      {
        dialogueId: 'd1', learnerId: 'lea', coachId: 'coa', assessorId: null, topic: 'Handover on nights', competencies: ['ICS'], status: 'closed', openedAt: at(0), closedAt: at(6),
        sharedEntries: 2, privateEntries: 0, actionItems: 1, openActions: [{ actionId: 'a1', description: 'SBAR', ownerId: 'lea', dueDate: null, agreedAt: at(5) }],
        lastShared: { at: at(6), by: 'coa' }, lastPrivate: null, lastSharedEntryBy: 'coa', version: 5,
      },
      {
        dialogueId: 'd2', learnerId: 'lea', coachId: 'coa', assessorId: null, topic: 'Breaking bad news', competencies: ['ICS'], status: 'open', openedAt: at(1), closedAt: null,
        sharedEntries: 0, privateEntries: 1, actionItems: 0, openActions: [], lastShared: { at: at(1), by: 'lea' }, lastPrivate: { at: at(4), by: 'lea' }, lastSharedEntryBy: null, version: 2,
      },
    ]);
    expect(JSON.stringify(once)).not.toContain('words never kept here');

    await projection.apply(events);
    await projection.apply(events.slice(2, 5));
    await projection.apply([...events].reverse());
    // an entry redelivered on its own: its dialogue's owner comes from the stored index, not from the batch
    await projection.apply([events[3]]);
    expect(byId(await projection.summariesOf('med', 'lea'))).toEqual(once);
    expect(await projection.summariesOf('nursing', 'lea')).toMatchObject([{ dialogueId: 'd3', topic: 'Elsewhere' }]);
    expect(await projection.summariesOf('med', 'nobody')).toEqual([]);
  });

  it('takes done and dropped items out of the open ones and keeps their counts, stored without outcome or reason texts', async () => {
    const projection = new LearnerDialoguesProjection(connection);
    const store = new InMemoryEventStore();
    const agreed = (actionId: string, dueDate: string) =>
      ({ ...pendingEvent('feedback.dialogue-action-agreed', { dialogueId: 'd9', learnerId: 'ria', actionId, ownerId: 'ria', dueDate, description: `Item ${actionId}` }, at(1)), ...by('coa', 'coach') });
    await store.append('feedback-dialogue-d9', 0, [
      { ...pendingEvent('feedback.dialogue-opened', { dialogueId: 'd9', learnerId: 'ria', coachId: 'coa', topic: 'Consent', competencies: ['P'] }, at(0)), ...by('ria', 'learner') },
      agreed('a1', '2026-09-05'), agreed('a2', '2026-09-06'), agreed('a3', '2026-09-07'),
    ]);
    await store.append('feedback-dialogue-d9', 4, [
      { ...pendingEvent('feedback.dialogue-action-completed', { dialogueId: 'd9', learnerId: 'ria', actionId: 'a1', outcomeWords: 3, outcome: 'the outcome text' }, at(2)), ...by('ria', 'learner') },
      { ...pendingEvent('feedback.dialogue-action-dropped', { dialogueId: 'd9', learnerId: 'ria', actionId: 'a2', reason: 'the reason text' }, at(3)), ...by('ria', 'learner') },
    ]);
    const events = (await store.readCommitsAfter(0, 100)).flatMap((c) => c.events);
    await projection.apply(events);
    await projection.apply([...events].reverse());
    const [d9] = await projection.summariesOf('med', 'ria');
    expect(d9).toMatchObject({ actionItems: 3, actionsDone: 1, actionsDropped: 1, lastShared: { at: at(3), by: 'ria' }, version: 6 });
    expect(d9.openActions).toEqual([{ actionId: 'a3', description: 'Item a3', ownerId: 'ria', dueDate: '2026-09-07', agreedAt: at(1) }]);
    expect(JSON.stringify(d9)).not.toMatch(/outcome text|reason text/);
  });

  it('is checkpointed by its runner and rebuilt to the same summaries; an entry of a dialogue never opened is parked', async () => {
    const { store } = await history();
    await store.append('feedback-dialogue-orphan', 0, [pendingEvent('feedback.dialogue-entry-added', { dialogueId: 'orphan', entryId: 'e', authorId: 'lea', visibility: 'shared', wordCount: 1, text: 't' })]);
    const database = await connectTestDatabase('learner-dialogues-runner');
    try {
      const projection = new LearnerDialoguesProjection(database);
      const deadLetters = new MongoDeadLetters(database);
      const runner = new ProjectionRunner(store, new MongoCheckpointStore(database), projection, { deadLetters, batchSize: 2 });
      await runner.waitUntilCaughtUp();
      const live = byId(await projection.summariesOf('med', 'lea'));
      expect(live.map((s) => [s.dialogueId, s.version])).toEqual([['d1', 5], ['d2', 2]]);
      expect(await runner.position()).toBe(await store.headPosition());
      expect((await deadLetters.model.find({ projection: 'learner-dialogues' }).lean()).map((d) => d.reason)).toEqual(['dialogue med:orphan was never opened']);
      const progress = await runner.rebuild();
      expect(progress.done).toBe(progress.total);
      expect(byId(await projection.summariesOf('med', 'lea'))).toEqual(live);
    } finally {
      await dropTestDatabase(database);
    }
  });
});
