import { EventMetadata, Role } from '@cbme/contracts';
import { backdated, HistoryLine, InMemoryEventStore, InMemoryHistoryLedger, validateHistory } from '@cbme/event-sourcing';
import { dialogueStreamId, frameworksStreamId } from '@cbme/feedback-domain';
import { randomUUID } from 'node:crypto';
import { AddDialogueEntryCommand, AddDialogueEntryHandler } from '../commands/dialogue.commands';
import { feedbackCatalog } from '../feedback-catalog';
import { CurrentCoaches, SchoolMembers } from '../ports/read-model-ports';
import { FeedbackHistoryImporter } from './feedback-history.importer';

const ROLES = new Map<string, Role[]>([['lea-1', ['learner']], ['lea-2', ['learner']], ['coa-1', ['coach']], ['coa-2', ['coach']]]);
const members: SchoolMembers = { rolesOf: async (_school, userId) => ROLES.get(userId) ?? [] };
/** lea-1 was coached by coa-1 until 2024-01-15, by coa-2 since (now) */
const coaches: CurrentCoaches = {
  currentCoachOf: async (_school, learnerId) => (learnerId === 'lea-1' ? 'coa-2' : null),
  coachAt: async (_school, learnerId, at) => (learnerId !== 'lea-1' ? null : at < '2024-01-15' ? 'coa-1' : 'coa-2'),
};

const metadata: EventMetadata = {
  occurredAt: '2026-11-30T10:00:00.000Z', tenant: { institutionId: 'inst', schoolId: 'medicine' }, actor: { userId: 'sa-1', role: 'school-admin' }, correlationId: 'req-1', causationId: null,
};
async function* linesOf(records: (object | string)[]): AsyncGenerator<HistoryLine> {
  for (const [i, r] of records.entries()) yield { line: i + 1, text: typeof r === 'string' ? r : JSON.stringify(r) };
}

let n = 0;
const at = (date: string) => `${date}T09:00:00.000Z`;
const rec = (kind: string, date: string, fields: object) => ({ kind, sourceId: `src-${++n}`, occurredAt: at(date), ...fields });
const opened = (over: object = {}) => rec('dialogue-opened', '2023-10-01', { dialogueId: 'd-1', learnerId: 'lea-1', coachId: 'coa-1', topic: 'Handover', competencies: ['ICS'], ...over });
const entry = (date: string, authorId: string, over: object = {}) => rec('dialogue-entry-added', date, { dialogueId: 'd-1', entryId: `e-${n}`, authorId, text: 'Went well', visibility: 'shared', ...over });
const goalSet = (over: object = {}) => rec('goal-set', '2023-10-02', { goalId: 'g-1', learnerId: 'lea-1', description: 'Lead a family meeting', competencies: ['ICS'], targetDate: '2024-03-01', ...over });

/** every kind once, in an order the deciders accept */
const everyKind = () => [
  opened(),
  entry('2023-10-01', 'coa-1'),
  entry('2023-10-02', 'lea-1', { visibility: 'private', entryKind: 'reflection' }),
  rec('action-item-agreed', '2023-10-03', { dialogueId: 'd-1', actionId: 'a-1', description: 'Use SBAR', ownerId: 'lea-1', dueDate: '2023-11-01', agreedBy: 'coa-1' }),
  rec('action-item-agreed', '2023-10-03', { dialogueId: 'd-1', actionId: 'a-2', description: 'Shadow nights', ownerId: 'lea-1', agreedBy: 'lea-1' }),
  rec('action-item-completed', '2023-10-20', { dialogueId: 'd-1', actionId: 'a-1', outcome: 'Used it on four handovers', completedBy: 'lea-1' }),
  rec('action-item-dropped', '2023-10-21', { dialogueId: 'd-1', actionId: 'a-2', reason: 'rotation changed', droppedBy: 'lea-1' }),
  rec('dialogue-closed', '2023-10-22', { dialogueId: 'd-1', closedBy: 'coa-1' }),
  rec('dialogue-reopened', '2023-10-23', { dialogueId: 'd-1', reopenedBy: 'lea-1' }),
  goalSet(),
  rec('goal-revised', '2023-11-01', { goalId: 'g-1', description: 'Lead two family meetings', targetDate: '2024-06-01', rationale: 'rotation extended' }),
  rec('goal-progress-noted', '2023-11-02', { goalId: 'g-1', noteId: 'n-1', note: 'first one done', authorId: 'coa-1' }),
  rec('goal-shared', '2023-11-03', { goalId: 'g-1', visibility: 'private' }),
  rec('goal-status-changed', '2024-02-01', { goalId: 'g-1', to: 'achieved', note: 'met' }),
  rec('assessment-result-recorded', '2023-10-05', { resultId: 'res-1', learnerId: 'lea-1', competencies: ['EPA-1'], assessmentKind: 'wba-rating', instrument: 'Mini-CEX', score: 4, maxScore: 5 }),
  rec('plan-revised', '2023-10-10', {
    planId: 'p-1', learnerId: 'lea-1', focusAreas: [{ focusId: 'f-1', title: 'Families', competencies: ['ICS'] }], goalIds: ['g-1'],
    motivatedBy: [{ kind: 'dialogue', targetId: 'd-1' }, { kind: 'assessment-result', targetId: 'res-1' }], nextReviewDue: '2024-01-10T09:00:00Z',
  }),
  rec('plan-reviewed', '2024-01-10', { learnerId: 'lea-1', reviewId: 'r-1', reviewedBy: 'coa-1', whatChanged: 'goal revised', nextSteps: ['handovers'], nextReviewDue: '2024-06-10T09:00:00Z' }),
  rec('self-assessment-recorded', '2023-10-04', { assessmentId: 's-1', learnerId: 'lea-1', ratings: [{ competency: 'ICS', level: 3 }] }),
];

describe('validateHistory over feedback records: the real handlers and deciders on a dry-run store, judged at each record\'s date', () => {
  let store: InMemoryEventStore;
  const validate = (records: (object | string)[]) =>
    validateHistory(linesOf(records), new FeedbackHistoryImporter(feedbackCatalog(), coaches, members), { store, ledger: new InMemoryHistoryLedger() }, { importId: 'imp-1', fileSha256: 'f'.repeat(64), metadata });
  const publishFramework = (occurredAt: string, version: number, codes: string[], retired: string[]) =>
    store.append(frameworksStreamId('medicine'), version - 1, [{
      ...metadata, occurredAt, eventId: randomUUID(), type: 'feedback.framework-version-published', schemaVersion: 1,
      data: { frameworkId: 'ours', name: 'Ours', version, competencies: codes.map((code) => ({ code, name: code })), retired: retired.map((code) => ({ code, name: code })), source: 'defined' },
    }]);

  beforeEach(() => {
    store = new InMemoryEventStore();
  });

  it('accepts a history of every kind, with its authors from the records and the coach of the time, and writes nothing', async () => {
    const result = await validate(everyKind());
    expect(result).toMatchObject({ lines: 18, valid: 18, alreadyImported: 0, errors: [] });
    expect(await store.headPosition()).toBe(0);
  });

  it('judges the coach at the record\'s date: the former coach wrote then, not after the transfer', async () => {
    const result = await validate([opened(), entry('2023-12-01', 'coa-1'), entry('2024-02-01', 'coa-1'), entry('2024-02-02', 'coa-2'), opened({ dialogueId: 'd-2', coachId: 'coa-2' })]);
    expect(result.errors).toEqual([
      // after the transfer the former coach no longer sees the dialogue; the new one sees it but did not hold it
      { line: 3, sourceId: expect.any(String), reasons: ['no feedback dialogue with that id in this school'] },
      { line: 4, sourceId: expect.any(String), reasons: ['only the learner and the coach of a dialogue write in it'] },
      { line: 5, sourceId: expect.any(String), reasons: ['coa-2 is not the current coach of lea-1'] },
    ]);
  });

  it('refuses a goal achieved before it was set, dates out of order, a competency unknown or retired at the record\'s date', async () => {
    await publishFramework(at('2023-01-01'), 1, ['M1', 'M2'], []);
    await publishFramework(at('2024-01-01'), 2, ['M1'], ['M2']);
    const result = await validate([
      goalSet({ competencies: ['M2'] }),
      rec('goal-status-changed', '2023-09-01', { goalId: 'g-1', to: 'achieved' }),
      goalSet({ goalId: 'g-2', occurredAt: at('2024-02-01'), competencies: ['M2', 'NOPE'], targetDate: '2025-01-01' }),
      rec('self-assessment-recorded', '2024-02-01', { assessmentId: 's-1', learnerId: 'lea-1', ratings: [{ competency: 'M2', level: 2 }] }),
      rec('goal-status-changed', '2024-02-01', { goalId: 'g-1', to: 'achieved' }),
    ]);
    expect(result.errors).toEqual([
      { line: 2, sourceId: expect.any(String), reasons: [expect.stringMatching(/^dates out of order: 2023-09-01T09:00:00.000Z is before 2023-10-02T09:00:00.000Z/)] },
      { line: 3, sourceId: expect.any(String), reasons: ['unknown competency: M2 was retired in version 2 of ours; NOPE is not in any framework of this school'] },
      { line: 4, sourceId: expect.any(String), reasons: ['unknown competency: M2 was retired in version 2 of ours'] },
    ]);
    expect(result.valid).toBe(2);
  });

  it('reports unknown people, a reflection not by the learner, a due date before the record\'s day, a bad assessment row', async () => {
    const result = await validate([
      opened({ learnerId: 'lea-9' }),
      opened(),
      entry('2023-10-02', 'coa-1', { entryKind: 'reflection' }),
      rec('action-item-agreed', '2023-10-03', { dialogueId: 'd-1', actionId: 'a-1', description: 'x', ownerId: 'lea-1', dueDate: '2023-10-01', agreedBy: 'coa-1' }),
      rec('assessment-result-recorded', '2023-10-05', { resultId: 'res-1', learnerId: 'lea-1', competencies: ['EPA-1'], assessmentKind: 'wba-rating', instrument: 'Mini-CEX', score: 6, maxScore: 5, assessedOn: '2023-10-06' }),
    ]);
    expect(result.errors).toEqual([
      { line: 1, sourceId: expect.any(String), reasons: ['unknown learner lea-9 (no learner with that id in this school)'] },
      { line: 3, sourceId: expect.any(String), reasons: ['a reflection is the learner\'s own'] },
      { line: 4, sourceId: expect.any(String), reasons: ['due date 2023-10-01 is in the past (today is 2023-10-03)'] },
      { line: 5, sourceId: expect.any(String), reasons: ['score 6 is above maxScore 5; assessedOn 2023-10-06 is in the future'] },
    ]);
  });
});

describe('the author a record names', () => {
  it('is taken only from a backdated (trusted) command; a live one is always its caller\'s', async () => {
    const store = new InMemoryEventStore();
    const handler = new AddDialogueEntryHandler(store, feedbackCatalog(), coaches);
    await store.append(dialogueStreamId('d-1'), 0, [{
      ...metadata, eventId: randomUUID(), type: 'feedback.dialogue-opened', schemaVersion: 1, occurredAt: at('2023-10-01'),
      data: { dialogueId: 'd-1', learnerId: 'lea-1', coachId: 'coa-1', topic: 'x', competencies: [] },
    }]);
    const live = { ...metadata, actor: { userId: 'lea-1', role: 'learner' as const } };
    await handler.execute(new AddDialogueEntryCommand(backdated(metadata, at('2023-10-02')), 'd-1', { entryId: 'e-1', text: 'by the coach then', visibility: 'shared' }, undefined, 'coa-1'));
    await handler.execute(new AddDialogueEntryCommand(live, 'd-1', { entryId: 'e-2', text: 'mine', visibility: 'shared' }, undefined, 'coa-2'));
    const entries = (await store.readStream(dialogueStreamId('d-1'))).slice(1);
    expect(entries.map((e) => [(e.data as { authorId: string }).authorId, e.actor.userId])).toEqual([['coa-1', 'sa-1'], ['lea-1', 'lea-1']]);
  });
});
