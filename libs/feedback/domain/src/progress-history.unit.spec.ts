import { spec } from '@cbme/decider';
import { categoryOf, diffProgress, historyAccess, historyAccessDecider, ProgressSnapshot, toCsv } from './progress-history';

const goal = (goalId: string, over: Partial<ProgressSnapshot['goals'][number]> = {}): ProgressSnapshot['goals'][number] => ({
  status: 'active', goalId, learnerId: 'lea', description: goalId, measureOfSuccess: null, competencies: ['ICS'], targetDate: '2027-01-01', revisions: 0, visibility: 'shared', links: [], ...over,
});
const area = (focusId: string) => ({ focusId, title: focusId, competencies: [] });

describe('progress history', () => {
  it('files events under categories across services', () => {
    expect(['feedback.dialogue-entry-added', 'feedback.goal-linked', 'feedback.plan-reviewed', 'feedback.assessment-result-recorded', 'feedback.self-assessment-recorded',
      'coaching.learner-transferred', 'coaching.meeting-held', 'identity.learner-graduated'].map(categoryOf))
      .toEqual(['dialogue', 'goal', 'plan', 'assessment', 'assessment', 'relationship', 'meeting', 'enrollment']);
    expect(['feedback.history-viewed', 'feedback.framework-version-published', 'coaching.program-configured', 'identity.role-granted'].map(categoryOf)).toEqual([null, null, null, null]);
  });

  it('is read in full by the learner, shared items by the current coach, without private text by leads and admins, by nobody else', () => {
    expect(historyAccess({ userId: 'lea', role: 'learner' }, 'lea', null)).toBe('everything');
    expect(historyAccess({ userId: 'coa', role: 'coach' }, 'lea', 'coa')).toBe('shared');
    expect(historyAccess({ userId: 'coa', role: 'coach' }, 'lea', 'cob')).toBeNull();
    expect(historyAccess({ userId: 'led', role: 'coaching-lead' }, 'lea', null)).toBe('without-private-text');
    expect(historyAccess({ userId: 'adm', role: 'school-admin' }, 'lea', null)).toBe('without-private-text');
    expect(historyAccess({ userId: 'com', role: 'committee-member' }, 'lea', null)).toBeNull();
    expect(historyAccess({ userId: 'leb', role: 'learner' }, 'lea', null)).toBeNull();
  });

  it('records every read by someone else, never the learner\'s own', () => {
    const data = { learnerId: 'lea', viewerId: 'led', viewerRole: 'coaching-lead', view: 'timeline' as const };
    expect(spec(historyAccessDecider).given([]).when({ type: 'RecordHistoryView', data }).events()).toEqual([{ type: 'feedback.history-viewed', data }]);
    expect(spec(historyAccessDecider).given([]).when({ type: 'RecordHistoryView', data: { ...data, viewerId: 'lea' } }).error()).toBeDefined();
  });

  it('tells what changed between two dates', () => {
    const march: ProgressSnapshot = { asOf: '2026-03-01', goals: [goal('g1'), goal('g2')], plan: { planId: 'p', version: 1, focusAreas: [area('f1')], goalIds: ['g1'], nextReviewDue: 'x', reviews: 0 } };
    const june: ProgressSnapshot = {
      asOf: '2026-06-01', goals: [goal('g1', { status: 'achieved', description: 'g1 revised' }), goal('g3')],
      plan: { planId: 'p', version: 2, focusAreas: [area('f2')], goalIds: ['g1', 'g3'], nextReviewDue: 'y', reviews: 1 },
    };
    const diff = diffProgress(march, june);
    expect(diff.goals.added.map((g) => g.goalId)).toEqual(['g3']);
    expect(diff.goals.removed.map((g) => g.goalId)).toEqual(['g2']);
    expect(diff.goals.changed).toEqual([{ goalId: 'g1', changes: { status: { from: 'active', to: 'achieved' }, description: { from: 'g1', to: 'g1 revised' } } }]);
    expect(diff.plan).toEqual({
      version: { from: 1, to: 2 }, focusAreasAdded: [area('f2')], focusAreasRemoved: [area('f1')], goalsAdded: ['g3'], goalsRemoved: [], reviews: { from: 0, to: 1 },
    });
    expect(diffProgress({ asOf: 'a', goals: [], plan: null }, march).plan.version).toEqual({ from: null, to: 1 });
  });

  it('exports CSV with quoting', () => {
    expect(toCsv(['a', 'b'], [{ a: 'x, "y"', b: { k: 1 } }, { a: null }])).toBe('a,b\r\n"x, ""y""","{""k"":1}"\r\n,\r\n');
  });
});
