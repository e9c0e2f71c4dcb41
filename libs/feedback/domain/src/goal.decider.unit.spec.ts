import { spec } from '@cbme/decider';
import { GoalEvent, goalDecider } from './goal.decider';

const goalSet: GoalEvent = {
  type: 'feedback.goal-set',
  data: { goalId: 'g1', learnerId: 'lea', description: 'Lead a structured handover', measureOfSuccess: 'SBAR used in 5 handovers', competencies: ['ICS'], targetDate: '2026-12-15' },
};
const given = spec(goalDecider).given;
const today = '2026-09-01T10:00:00.000Z';

describe('goal', () => {
  it('is set by the learner with a future target date', () => {
    expect(given([]).when({ type: 'SetGoal', data: { ...goalSet.data, setBy: 'lea', today } }).events()).toEqual([goalSet]);
  });

  it('refuses a target date that is not after today', () => {
    const error = given([]).when({ type: 'SetGoal', data: { ...goalSet.data, targetDate: '2026-09-01', setBy: 'lea', today } }).error();
    expect(error).toMatchObject({ kind: 'rule-violated', message: 'target date 2026-09-01 must be after today (2026-09-01)' });
  });

  it('is revised with a rationale', () => {
    const events = given([goalSet]).when({ type: 'ReviseGoal', data: { description: 'Lead two handovers a week', targetDate: '2027-01-31', rationale: 'Rotation changed', revisedBy: 'lea', today } }).events();
    expect(events).toEqual([{ type: 'feedback.goal-revised', data: { goalId: 'g1', learnerId: 'lea', description: 'Lead two handovers a week', targetDate: '2027-01-31', rationale: 'Rotation changed' } }]);
  });

  it('moves active -> deferred -> active -> achieved', () => {
    const change = (to: 'deferred' | 'active' | 'achieved', past: GoalEvent[]) =>
      given(past).when({ type: 'ChangeGoalStatus', data: { to, changedBy: 'lea' } }).events();
    const deferred = change('deferred', [goalSet]);
    const resumed = change('active', [goalSet, ...deferred]);
    const achieved = change('achieved', [goalSet, ...deferred, ...resumed]);
    expect([...deferred, ...resumed, ...achieved].map((e) => e.data)).toEqual([
      { goalId: 'g1', learnerId: 'lea', from: 'active', to: 'deferred' },
      { goalId: 'g1', learnerId: 'lea', from: 'deferred', to: 'active' },
      { goalId: 'g1', learnerId: 'lea', from: 'active', to: 'achieved' },
    ]);
  });

  it.each([
    ['achieved', 'active'],
    ['abandoned', 'achieved'],
  ] as const)('refuses %s -> %s', (from, to) => {
    const past: GoalEvent[] = [goalSet, { type: 'feedback.goal-status-changed', data: { goalId: 'g1', learnerId: 'lea', from: 'active', to: from } }];
    expect(given(past).when({ type: 'ChangeGoalStatus', data: { to, changedBy: 'lea' } }).error()).toMatchObject({ kind: 'invalid-state' });
  });

  it('refuses revising an achieved goal and revising someone else\'s goal', () => {
    const achieved: GoalEvent = { type: 'feedback.goal-status-changed', data: { goalId: 'g1', learnerId: 'lea', from: 'active', to: 'achieved' } };
    const revise = (by: string) => ({ type: 'ReviseGoal' as const, data: { description: 'x', targetDate: '2027-01-01', rationale: 'y', revisedBy: by, today } });
    expect(given([goalSet, achieved]).when(revise('lea')).error()).toMatchObject({ kind: 'invalid-state' });
    expect(given([goalSet]).when(revise('coa')).error()).toMatchObject({ kind: 'forbidden' });
  });
});
