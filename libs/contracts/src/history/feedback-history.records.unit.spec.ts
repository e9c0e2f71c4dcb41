import { FEEDBACK_HISTORY_KINDS } from './feedback-history.records';
import { parseHistoryLine } from './history-record';

const parse = (record: object) => parseHistoryLine(JSON.stringify(record), FEEDBACK_HISTORY_KINDS);
const base = { sourceId: 'old-1', occurredAt: '2023-09-01T09:00:00Z' };

describe('feedback history records', () => {
  it('reads one valid record of every kind', () => {
    const records = [
      { kind: 'dialogue-opened', dialogueId: 'dlg-1', learnerId: 'lea-1', coachId: 'coa-1', topic: 'Handover', competencies: ['ICS'], context: { rotation: 'Ward 3' }, assessor: { name: 'Dr. Rivera' } },
      { kind: 'dialogue-entry-added', dialogueId: 'dlg-1', entryId: 'e-1', authorId: 'lea-1', text: 'I rushed it.', visibility: 'shared', entryKind: 'reflection' },
      { kind: 'action-item-agreed', dialogueId: 'dlg-1', actionId: 'a-1', description: 'Use SBAR', ownerId: 'lea-1', dueDate: '2023-10-01', agreedBy: 'coa-1' },
      { kind: 'action-item-completed', dialogueId: 'dlg-1', actionId: 'a-1', outcome: 'Used it twice', completedBy: 'lea-1' },
      { kind: 'action-item-dropped', dialogueId: 'dlg-1', actionId: 'a-2', reason: 'rotation changed', droppedBy: 'lea-1' },
      { kind: 'dialogue-closed', dialogueId: 'dlg-1', closedBy: 'coa-1' },
      { kind: 'dialogue-reopened', dialogueId: 'dlg-1', reopenedBy: 'lea-1' },
      { kind: 'goal-set', goalId: 'g-1', learnerId: 'lea-1', description: 'Lead a family meeting', competencies: ['ICS'], targetDate: '2024-03-01', visibility: 'private' },
      { kind: 'goal-revised', goalId: 'g-1', description: 'Lead two', targetDate: '2024-06-01', rationale: 'rotation extended' },
      { kind: 'goal-status-changed', goalId: 'g-1', to: 'achieved', note: 'met in review' },
      { kind: 'goal-progress-noted', goalId: 'g-1', noteId: 'n-1', note: 'first one done', authorId: 'coa-1' },
      { kind: 'goal-shared', goalId: 'g-1', visibility: 'shared' },
      { kind: 'plan-revised', planId: 'p-1', learnerId: 'lea-1', focusAreas: [{ focusId: 'f-1', title: 'Families', competencies: ['ICS'] }], goalIds: ['g-1'], motivatedBy: [{ kind: 'dialogue', targetId: 'dlg-1' }], nextReviewDue: '2024-01-15T09:00:00Z' },
      { kind: 'plan-reviewed', learnerId: 'lea-1', reviewId: 'r-1', reviewedBy: 'coa-1', whatChanged: 'goal met', nextSteps: ['handovers'], nextReviewDue: '2024-06-15T09:00:00Z' },
      { kind: 'self-assessment-recorded', assessmentId: 's-1', learnerId: 'lea-1', ratings: [{ competency: 'ICS', level: 3 }] },
      { kind: 'assessment-result-recorded', resultId: 'res-1', learnerId: 'lea-1', competencies: ['EPA-1'], assessmentKind: 'wba-rating', instrument: 'Mini-CEX', score: 4, maxScore: 5, assessedOn: '2023-08-30' },
    ];
    expect(records.map((r) => r.kind).sort()).toEqual([...FEEDBACK_HISTORY_KINDS.keys()].sort());
    for (const record of records) expect(parse({ ...base, ...record })).toMatchObject({ ok: true, record: { ...base, ...record } });
  });

  it('gives every reason a record is bad, nested ones with their path', () => {
    const parsed = parse({
      ...base, kind: 'plan-revised', planId: 'p 1', learnerId: 'lea-1', focusAreas: [{ focusId: 'f-1', title: '', competencies: ['not a code!'] }],
      goalIds: ['g/1'], nextReviewDue: 'soon', owner: 'x',
    });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reasons).toEqual(expect.arrayContaining([
      'planId must be 1 to 128 letters, digits or . _ : -',
      'focusAreas.0.title should not be empty',
      'focusAreas.0.competencies: each competency must be a code like ICS or EPA-1',
      'goalIds: each goal id must be 1 to 128 letters, digits or . _ : -',
      expect.stringMatching(/^nextReviewDue must be a valid ISO 8601/),
      'owner: property owner should not exist',
    ]));
  });

  it('refuses a status, visibility, entry kind or score outside the domain', () => {
    const reasons = (record: object) => { const p = parse({ ...base, ...record }); return p.ok ? [] : p.reasons; };
    expect(reasons({ kind: 'goal-status-changed', goalId: 'g-1', to: 'done' })).toEqual([expect.stringMatching(/^to must be one of/)]);
    expect(reasons({ kind: 'dialogue-entry-added', dialogueId: 'd', entryId: 'e', authorId: 'a', text: 't', visibility: 'public', entryKind: 'essay' })).toHaveLength(2);
    expect(reasons({ kind: 'assessment-result-recorded', resultId: 'r', learnerId: 'l', competencies: [], assessmentKind: 'wba-rating', instrument: 'x', score: -1, maxScore: 5, assessedOn: '30/08/2023' }))
      .toEqual(expect.arrayContaining(['competencies must contain at least 1 elements', 'score must not be less than 0', 'assessedOn must be a date YYYY-MM-DD']));
  });
});
