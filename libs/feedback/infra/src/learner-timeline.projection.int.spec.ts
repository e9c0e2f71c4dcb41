import { InMemoryEventStore, StoredEvent } from '@cbme/event-sourcing';
import { connectTestDatabase, dropTestDatabase, pendingEvent } from '@cbme/testing';
import { Connection } from 'mongoose';
import { LearnerTimelineInboxProjection, LearnerTimelineProjection } from './learner-timeline.projection';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('learner-timeline');
});
afterAll(() => dropTestDatabase(connection));

/** Ada's dialogue over three months (entries name no learner: the dialogue's subject does), a goal, and a meeting from coaching's inbox. */
async function adasYear(): Promise<{ own: StoredEvent[]; inbox: StoredEvent[] }> {
  const own = new InMemoryEventStore();
  await own.append('feedback-dialogue-d1', 0, [pendingEvent('feedback.dialogue-opened', { dialogueId: 'd1', learnerId: 'ada', coachId: 'coa', topic: 'Handover', competencies: ['ICS'] }, '2026-01-10T10:00:00.000Z')]);
  await own.append('feedback-dialogue-d1', 1, [pendingEvent('feedback.dialogue-entry-added', { dialogueId: 'd1', entryId: 'e1', authorId: 'coa', visibility: 'shared', wordCount: 2, text: 'Well done' }, '2026-02-03T10:00:00.000Z')]);
  await own.append('feedback-dialogue-d1', 2, [pendingEvent('feedback.dialogue-closed', { dialogueId: 'd1', learnerId: 'ada' }, '2026-03-20T10:00:00.000Z')]);
  await own.append('feedback-goal-g1', 0, [{ ...pendingEvent('feedback.goal-set', {
    goalId: 'g1', learnerId: 'ada', description: 'Concise handover', measureOfSuccess: null, competencies: ['ICS', 'PC'], targetDate: '2026-06-01', visibility: 'shared',
  }, '2026-02-01T09:00:00.000Z'), schemaVersion: 3 }]);
  await own.append('feedback-goal-g2', 0, [{ ...pendingEvent('feedback.goal-set', {
    goalId: 'g2', learnerId: 'bo', description: 'Bo\'s goal', measureOfSuccess: null, competencies: ['PC'], targetDate: '2026-06-01', visibility: 'shared',
  }, '2026-02-01T09:00:00.000Z'), schemaVersion: 3 }]);
  const inbox = new InMemoryEventStore();
  await inbox.append('coaching-meeting-m1', 0, [pendingEvent('coaching.meeting-held', { meetingId: 'm1', learnerId: 'ada', coachId: 'coa', agenda: ['goals'], notes: [] }, '2026-02-15T10:00:00.000Z')]);
  const all = async (store: InMemoryEventStore) => (await store.readCommitsAfter(0, 100)).flatMap((c) => c.events);
  return { own: await all(own), inbox: await all(inbox) };
}

describe('LearnerTimelineProjection, paged by month (real MongoDB-compatible server)', () => {
  it('gives a learner\'s items from both readers in the order they occurred, the same after redelivery, any batch shape and a rebuild of one reader', async () => {
    const own = new LearnerTimelineProjection(connection);
    const inbox = new LearnerTimelineInboxProjection(connection);
    const events = await adasYear();
    const read = async () => (await own.itemsOf('med', 'ada')).map((i) => [i.type, i.at.slice(0, 10), i.competencies]);

    await own.apply(events.own.slice(0, 1));
    await own.apply(events.own.slice(1));
    await inbox.apply(events.inbox);
    const once = await read();
    expect(once).toEqual([
      ['feedback.dialogue-opened', '2026-01-10', ['ICS']],
      ['feedback.goal-set', '2026-02-01', ['ICS', 'PC']],
      ['feedback.dialogue-entry-added', '2026-02-03', ['ICS']],
      ['coaching.meeting-held', '2026-02-15', []],
      ['feedback.dialogue-closed', '2026-03-20', ['ICS']],
    ]);
    expect((await own.itemsOf('med', 'bo')).map((i) => i.subjectId)).toEqual(['g2']);
    expect(await own.itemsOf('nursing', 'ada')).toEqual([]);

    // redelivered and reversed: nothing doubles
    await own.apply([...events.own].reverse());
    await inbox.apply(events.inbox);
    expect(await read()).toEqual(once);

    // rebuilding the inbox reader leaves the own reader's items; replaying it brings the meeting back
    await inbox.reset();
    expect((await read()).map(([type]) => type)).not.toContain('coaching.meeting-held');
    expect(await read()).toHaveLength(4);
    await inbox.apply(events.inbox);
    expect(await read()).toEqual(once);

    // the admin's report counts each dialogue or goal once per code, and the learners naming it
    expect(await own.evidenceFor('med', ['ICS', 'PC', 'XX'])).toEqual([
      { code: 'ICS', items: { dialogue: 1, goal: 1 }, learners: 1 },
      { code: 'PC', items: { goal: 2 }, learners: 2 },
      { code: 'XX', items: {}, learners: 0 },
    ]);
  });
});
