import { InMemoryEventStore } from '@cbme/event-sourcing';
import { DialogueEvent, DialogueSummary, summarizeDialogue } from '@cbme/feedback-domain';
import { randomUUID } from 'node:crypto';
import { CurrentCoaches, GoalView, LearnerDialogues, LearnerGoals } from '../ports/read-model-ports';
import { GetFeedbackDialogueHandler, ListLearnerDialoguesHandler, ListLearnerGoalsHandler, ListLearnerReflectionsHandler, Viewer } from './feedback.queries';
import { FrameworkReadings } from './framework-readings';

/** Who coaches lea now; changed by each test (transfer, end). */
let currentCoach: string | null;
const coaches: CurrentCoaches = { currentCoachOf: async (schoolId, learnerId) => (schoolId === 'med' && learnerId === 'lea' ? currentCoach : null) };
const viewer = (userId: string, role: Viewer['role'] = 'coach'): Viewer => ({ userId, role, schoolId: 'med' });

const goal = (goalId: string, visibility: 'shared' | 'private'): GoalView => ({
  goalId, learnerId: 'lea', description: goalId, measureOfSuccess: null, competencies: [], targetDate: '2027-01-01', status: 'active', visibility, lastRevisedAt: null, links: [], version: 1,
});
const goals: LearnerGoals = { list: async (schoolId, learnerId) => (schoolId === 'med' && learnerId === 'lea' ? [goal('shared goal', 'shared'), goal('private goal', 'private')] : []) };

const pendingEvent = (type: string, data: object) => ({
  eventId: randomUUID(), type, schemaVersion: 1, data, occurredAt: '2026-09-01T10:00:00.000Z',
  tenant: { institutionId: 'inst', schoolId: 'med' }, actor: { userId: 'lea', role: 'learner' as const }, correlationId: 'c1', causationId: null,
});
const store = new InMemoryEventStore();
const dialogueId = 'd1';
beforeAll(async () => {
  const entry = (entryId: string, authorId: string, visibility: string, text: string) =>
    pendingEvent('feedback.dialogue-entry-added', { dialogueId, entryId, authorId, visibility, wordCount: 1, text });
  await store.append(`feedback-dialogue-${dialogueId}`, 0, [
    pendingEvent('feedback.dialogue-opened', { dialogueId, learnerId: 'lea', coachId: 'coa', topic: 'Nights', competencies: [] }),
    entry('e1', 'lea', 'private', 'my worry'),
    entry('e2', 'lea', 'shared', 'for my coach'),
    entry('e3', 'coa', 'shared', 'try SBAR'),
  ]);
});
beforeEach(() => {
  currentCoach = 'coa';
});

const readDialogue = (as: Viewer) => new GetFeedbackDialogueHandler(store, coaches).execute({ viewer: as, dialogueId, now: '2026-09-20T08:00:00.000Z' });
const listGoals = (as: Viewer) => new ListLearnerGoalsHandler(goals, coaches, new FrameworkReadings(store)).execute({ viewer: as, learnerId: 'lea' });
const texts = (dialogue: { entries: { text: string }[] }) => dialogue.entries.map((e) => e.text);

describe('who reads a learner\'s dialogues and goals', () => {
  it('the learner reads everything, whoever coaches them, also with no coach', async () => {
    for (const coach of ['coa', 'cob', null]) {
      currentCoach = coach;
      expect(texts(await readDialogue(viewer('lea', 'learner')))).toEqual(['my worry', 'for my coach', 'try SBAR']);
      expect((await listGoals(viewer('lea', 'learner'))).goals.map((g) => g.goalId)).toEqual(['shared goal', 'private goal']);
    }
  });

  it('the current coach reads only what the learner shares', async () => {
    expect(texts(await readDialogue(viewer('coa')))).toEqual(['for my coach', 'try SBAR']);
    expect((await listGoals(viewer('coa'))).goals.map((g) => g.goalId)).toEqual(['shared goal']);
  });

  it('after a transfer, the former coach finds nothing and the new coach reads what is shared', async () => {
    currentCoach = 'cob';
    await expect(readDialogue(viewer('coa'))).rejects.toMatchObject({ kind: 'not-found' });
    await expect(listGoals(viewer('coa'))).rejects.toMatchObject({ kind: 'not-found' });
    expect(texts(await readDialogue(viewer('cob')))).toEqual(['for my coach', 'try SBAR']);
    expect((await listGoals(viewer('cob'))).goals.map((g) => g.goalId)).toEqual(['shared goal']);
  });

  it('after the relationship ended, no coach finds anything', async () => {
    currentCoach = null;
    await expect(readDialogue(viewer('coa'))).rejects.toMatchObject({ kind: 'not-found' });
    await expect(listGoals(viewer('coa'))).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('another learner of the school finds nothing', async () => {
    await expect(readDialogue(viewer('lea-2', 'learner'))).rejects.toMatchObject({ kind: 'not-found' });
    await expect(listGoals(viewer('lea-2', 'learner'))).rejects.toMatchObject({ kind: 'not-found' });
  });
});

describe('who lists a learner\'s dialogues', () => {
  /** d1 from the store above; d2 a dialogue with a named assessor, nothing written yet */
  let summaries: DialogueSummary[];
  beforeAll(async () => {
    const d1 = (await store.readStream(`feedback-dialogue-${dialogueId}`))
      .reduce<DialogueSummary | null>((summary, e) => summarizeDialogue(summary, { event: { type: e.type, data: e.data } as DialogueEvent, at: e.occurredAt, by: e.actor.userId, version: e.streamVersion }), null);
    const d2 = summarizeDialogue(null, {
      event: { type: 'feedback.dialogue-opened', data: { dialogueId: 'd2', learnerId: 'lea', coachId: 'coa', topic: 'Assessed', competencies: [], assessor: { userId: 'pre', name: 'Dr P' } } },
      at: '2026-09-02T10:00:00.000Z', by: 'lea', version: 1,
    });
    if (!d1 || !d2) throw new Error('both dialogues are opened');
    summaries = [d1, d2];
  });
  const dialogues: LearnerDialogues = { summariesOf: async (schoolId, learnerId) => (schoolId === 'med' && learnerId === 'lea' ? summaries : []) };
  const list = (as: Viewer, learnerId = 'lea') => new ListLearnerDialoguesHandler(dialogues, coaches, new FrameworkReadings(store)).execute({ viewer: as, learnerId, now: '2026-09-20T08:00:00.000Z' });
  const entries = async (as: Viewer) => (await list(as)).dialogues.map((d) => [d.dialogueId, d.entries]);
  const refusal = (as: Viewer, learnerId = 'lea') => list(as, learnerId).then(() => null, ({ kind, message }) => ({ kind, message }));

  it('the learner lists every dialogue with every entry counted; the current coach only what is shared', async () => {
    expect(await entries(viewer('lea', 'learner'))).toEqual([['d2', 0], ['d1', 3]]);
    expect(await entries(viewer('coa'))).toEqual([['d2', 0], ['d1', 2]]);
  });

  it('a named assessor lists only the dialogue they assess', async () => {
    expect(await entries(viewer('pre'))).toEqual([['d2', 0]]);
  });

  it('a former coach, another learner and a coaching lead get the answer for a learner who does not exist', async () => {
    currentCoach = 'cob';
    expect(await entries(viewer('cob'))).toEqual([['d2', 0], ['d1', 2]]);
    for (const stranger of [viewer('coa'), viewer('lea-2', 'learner'), viewer('lead', 'coaching-lead')]) {
      expect(await refusal(stranger)).toEqual({ kind: 'not-found', message: 'no learner with that id among the people you may see' });
      expect(await refusal(stranger)).toEqual(await refusal(stranger, 'nobody'));
    }
  });

  it('a learner with no dialogue yet lists none', async () => {
    expect(await list(viewer('lea-3', 'learner'), 'lea-3')).toEqual({ learnerId: 'lea-3', dialogues: [] });
  });
});

describe('a learner\'s reflections across dialogues', () => {
  const reflectionsStore = new InMemoryEventStore();
  let summaries: DialogueSummary[] = [];
  const at = (day: number) => `2026-09-${String(day).padStart(2, '0')}T10:00:00.000Z`;
  beforeAll(async () => {
    const write = async (id: string, entries: [string, string, string, string, number][]) => {
      const opened = { ...pendingEvent('feedback.dialogue-opened', { dialogueId: id, learnerId: 'lea', coachId: 'coa', topic: `Topic ${id}`, competencies: [] }), occurredAt: at(1) };
      const written = entries.map(([entryId, authorId, visibility, kind, day]) => ({
        ...pendingEvent('feedback.dialogue-entry-added', { dialogueId: id, entryId, authorId, visibility, wordCount: 1, kind, text: `text ${entryId}` }), occurredAt: at(day),
      }));
      await reflectionsStore.append(`feedback-dialogue-${id}`, 0, [opened, ...written]);
      const history = await reflectionsStore.readStream(`feedback-dialogue-${id}`);
      const summary = history.reduce<DialogueSummary | null>((s, e) => summarizeDialogue(s, { event: { type: e.type, data: e.data } as DialogueEvent, at: e.occurredAt, by: e.actor.userId, version: e.streamVersion }), null);
      if (summary) summaries.push(summary);
    };
    summaries = [];
    await write('r1', [['a', 'lea', 'shared', 'reflection', 2], ['b', 'coa', 'shared', 'comment', 3], ['c', 'lea', 'private', 'reflection', 6]]);
    await write('r2', [['d', 'lea', 'shared', 'reflection', 4], ['e', 'lea', 'shared', 'comment', 5], ['f', 'lea', 'shared', 'reflection', 7]]);
  });
  const dialogues: LearnerDialogues = { summariesOf: async (schoolId, learnerId) => (schoolId === 'med' && learnerId === 'lea' ? summaries : []) };
  const list = (as: Viewer, page = 1, pageSize = 20) => new ListLearnerReflectionsHandler(reflectionsStore, dialogues, coaches).execute({ viewer: as, learnerId: 'lea', page, pageSize });

  it('lists only reflections, newest first, each with its dialogue; the learner sees the private one', async () => {
    const mine = await list(viewer('lea', 'learner'));
    expect(mine.reflections.map((r) => [r.entryId, r.dialogueId, r.topic])).toEqual([['f', 'r2', 'Topic r2'], ['c', 'r1', 'Topic r1'], ['d', 'r2', 'Topic r2'], ['a', 'r1', 'Topic r1']]);
    expect(mine.total).toBe(4);
  });

  it('pages through them', async () => {
    const second = await list(viewer('lea', 'learner'), 2, 3);
    expect(second).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(second.reflections.map((r) => r.entryId)).toEqual(['a']);
  });

  it('the current coach sees only shared ones; a former coach or another learner finds no such learner', async () => {
    expect((await list(viewer('coa'))).reflections.map((r) => r.entryId)).toEqual(['f', 'd', 'a']);
    currentCoach = 'cob';
    await expect(list(viewer('coa'))).rejects.toMatchObject({ kind: 'not-found' });
    await expect(list(viewer('lea-2', 'learner'))).rejects.toMatchObject({ kind: 'not-found' });
  });
});
