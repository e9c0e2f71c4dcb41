import { InMemoryEventStore, MongoCheckpointStore, MongoDeadLetters, ProjectionRunner, StoredEvent } from '@cbme/event-sourcing';
import { SEED_FRAMEWORKS, selfVsOthers } from '@cbme/feedback-domain';
import { connectTestDatabase, dropTestDatabase, pendingEvent } from '@cbme/testing';
import { Connection } from 'mongoose';
import { SelfVsOthersProjection } from './self-vs-others.projection';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('self-vs-others');
});
afterAll(() => dropTestDatabase(connection));

const at = (minute: number) => `2026-09-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
const by = (userId: string, role: 'learner' | 'coach' | 'school-admin', schoolId = 'med') => ({ actor: { userId, role }, tenant: { institutionId: 'inst', schoolId } });

/** lea rates herself twice (once privately), her coach and an assessor rate her in two dialogues, a result comes in; and one dialogue elsewhere. */
async function history(): Promise<InMemoryEventStore> {
  const store = new InMemoryEventStore();
  const opened = (dialogueId: string, assessor?: string) => ({ dialogueId, learnerId: 'lea', coachId: 'coa', topic: 'Handover', competencies: ['ICS', 'PC'], ...(assessor ? { assessor: { userId: assessor, name: 'Dr A' } } : {}) });
  const entry = (dialogueId: string, entryId: string, authorId: string, ratings: { competency: string; level: number }[]) =>
    ({ dialogueId, entryId, authorId, visibility: 'shared', wordCount: 2, text: 'text stays here', ...(ratings.length ? { ratings } : {}) });
  await store.append('feedback-self-assessments-med-lea', 0, [{ ...pendingEvent('feedback.self-assessment-recorded', { assessmentId: 's1', learnerId: 'lea', ratings: [{ competency: 'ICS', level: 4 }, { competency: 'PC', level: 2 }] }, at(0)), ...by('lea', 'learner') }]);
  await store.append('feedback-dialogue-d1', 0, [{ ...pendingEvent('feedback.dialogue-opened', opened('d1'), at(1)), ...by('lea', 'learner') }]);
  await store.append('feedback-dialogue-d2', 0, [{ ...pendingEvent('feedback.dialogue-opened', opened('d2', 'ass'), at(2)), ...by('lea', 'learner') }]);
  await store.append('feedback-dialogue-d1', 1, [
    { ...pendingEvent('feedback.dialogue-entry-added', entry('d1', 'e1', 'coa', [{ competency: 'ICS', level: 2 }]), at(3)), ...by('coa', 'coach') },
    { ...pendingEvent('feedback.dialogue-entry-added', entry('d1', 'e2', 'lea', []), at(4)), ...by('lea', 'learner') },
  ]);
  await store.append('feedback-dialogue-d2', 1, [{ ...pendingEvent('feedback.dialogue-entry-added', entry('d2', 'e3', 'ass', [{ competency: 'ICS', level: 3 }, { competency: 'PC', level: 4 }]), at(5)), ...by('ass', 'coach') }]);
  await store.append('feedback-assessment-import-i1', 0, [{
    ...pendingEvent('feedback.assessment-result-recorded', { resultId: 'i1.2', importId: 'i1', learnerId: 'lea', competencies: ['ICS', 'PC'], kind: 'exam', instrument: 'OSCE', score: 7, maxScore: 10, assessedOn: '2026-08-30' }, at(6)),
    ...by('adm', 'school-admin'),
  }]);
  await store.append('feedback-self-assessments-med-lea', 1, [{ ...pendingEvent('feedback.self-assessment-recorded', { assessmentId: 's2', learnerId: 'lea', ratings: [{ competency: 'ICS', level: 5 }], visibility: 'private' }, at(7)), ...by('lea', 'learner') }]);
  await store.append('feedback-dialogue-d9', 0, [{ ...pendingEvent('feedback.dialogue-opened', { ...opened('d9'), learnerId: 'lea' }, at(8)), ...by('lea', 'learner', 'nursing') }]);
  await store.append('feedback-dialogue-d9', 1, [{ ...pendingEvent('feedback.dialogue-entry-added', entry('d9', 'e9', 'coa', [{ competency: 'ICS', level: 1 }]), at(9)), ...by('coa', 'coach', 'nursing') }]);
  return store;
}
const eventsOf = async (store: InMemoryEventStore): Promise<StoredEvent[]> => (await store.readCommitsAfter(0, 100)).flatMap((c) => c.events);

describe('SelfVsOthersProjection (real MongoDB-compatible server)', () => {
  it('keeps every rating of a learner in one document, the same whatever the batches, redelivery or order', async () => {
    const projection = new SelfVsOthersProjection(connection);
    const events = await eventsOf(await history());
    await projection.apply(events.slice(0, 2));
    await projection.apply(events.slice(2));
    const once = await projection.inputsOf('med', 'lea');
    expect(once.self.map((s) => [s.assessmentId, s.competency, s.level, s.visibility])).toEqual([['s1', 'ICS', 4, 'shared'], ['s1', 'PC', 2, 'shared'], ['s2', 'ICS', 5, 'private']]);
    expect(once.others.map((o) => [o.source, o.raterId, o.competency, o.level])).toEqual([['coach', 'coa', 'ICS', 2], ['assessor', 'ass', 'ICS', 3], ['assessor', 'ass', 'PC', 4]]);
    expect(once.results).toEqual([
      { resultId: 'i1.2', competency: 'ICS', instrument: 'OSCE', score: 7, maxScore: 10, assessedOn: '2026-08-30' },
      { resultId: 'i1.2', competency: 'PC', instrument: 'OSCE', score: 7, maxScore: 10, assessedOn: '2026-08-30' },
    ]);
    expect(JSON.stringify(once)).not.toContain('text stays here');

    await projection.apply(events);
    await projection.apply([...events].reverse());
    await projection.apply([events[4]]); // an entry on its own: its dialogue's people come from the stored index
    expect(await projection.inputsOf('med', 'lea')).toEqual(once);
    expect((await projection.inputsOf('nursing', 'lea')).others).toMatchObject([{ dialogueId: 'd9', level: 1 }]);
    expect(await projection.inputsOf('med', 'nobody')).toEqual({ self: [], others: [], results: [] });

    // the coach's view leaves the private self-rating out: ICS 4 against coach 2, assessor 3, result 3.8
    const coachView = selfVsOthers(once, [...SEED_FRAMEWORKS], { access: 'shared', threshold: 1 });
    expect(coachView.competencies.find((r) => r.competency === 'ICS')).toMatchObject({ self: { level: 4 }, othersLevel: 2.9, gap: 1.1, flagged: true });
  });

  it('is checkpointed by its runner and rebuilt to the same document; a rated entry of a dialogue never opened is parked', async () => {
    const store = await history();
    await store.append('feedback-dialogue-orphan', 0, [pendingEvent('feedback.dialogue-entry-added', { dialogueId: 'orphan', entryId: 'e', authorId: 'coa', visibility: 'shared', wordCount: 1, text: 't', ratings: [{ competency: 'ICS', level: 2 }] })]);
    const database = await connectTestDatabase('self-vs-others-runner');
    try {
      const projection = new SelfVsOthersProjection(database);
      const deadLetters = new MongoDeadLetters(database);
      const runner = new ProjectionRunner(store, new MongoCheckpointStore(database), projection, { deadLetters, batchSize: 2 });
      await runner.waitUntilCaughtUp();
      const live = await projection.inputsOf('med', 'lea');
      expect([live.self.length, live.others.length, live.results.length]).toEqual([3, 3, 2]);
      expect(await runner.position()).toBe(await store.headPosition());
      expect((await deadLetters.model.find({ projection: 'self-vs-others' }).lean()).map((d) => d.reason)).toEqual(['dialogue med:orphan was never opened']);
      const progress = await runner.rebuild();
      expect(progress.done).toBe(progress.total);
      expect(await projection.inputsOf('med', 'lea')).toEqual(live);
    } finally {
      await dropTestDatabase(database);
    }
  });
});
