import { spec } from '@cbme/decider';
import { developmentPlanDecider, NO_LEARNER, PlanEvent, reviewReminderOwed } from './development-plan.decider';

const given = spec(developmentPlanDecider).given;
const today = '2026-09-01T10:00:00.000Z';
const focus = { focusId: 'f1', title: 'Handovers', competencies: ['ICS', 'EPA-8'] };
const revise = (over: Record<string, unknown> = {}) => ({
  type: 'RevisePlan' as const,
  data: {
    planId: 'p1', learnerId: 'lea', revisedBy: 'lea', focusAreas: [focus], goalIds: ['g1'], motivatedBy: [{ kind: 'dialogue' as const, targetId: 'd1' }],
    nextReviewDue: '2026-10-01T09:00:00.000Z', today, goalOwners: { g1: 'lea' }, motivationOwners: { 'dialogue:d1': 'lea' }, ...over,
  },
});
const v1: PlanEvent = {
  type: 'feedback.plan-revised',
  data: { planId: 'p1', learnerId: 'lea', focusAreas: [focus], goalIds: ['g1'], motivatedBy: [{ kind: 'dialogue', targetId: 'd1' }], nextReviewDue: '2026-10-01T09:00:00.000Z', version: 1, competencies: ['ICS', 'EPA-8'] },
};
const review = (by: string, currentCoachId: string | null = 'coa', nextReviewDue = '2026-12-01T09:00:00.000Z') => ({
  type: 'ReviewPlan' as const, data: { learnerId: 'lea', reviewId: 'r1', reviewedBy: by, currentCoachId, whatChanged: 'Handovers solid now', nextSteps: ['Lead a family meeting'], nextReviewDue, today },
});
const reviewed: PlanEvent = {
  type: 'feedback.plan-reviewed',
  data: { planId: 'p1', learnerId: 'lea', reviewId: 'r1', coachId: 'coa', planVersion: 1, nextReviewDue: '2026-12-01T09:00:00.000Z', whatChanged: 'Handovers solid now', nextSteps: ['Lead a family meeting'] },
};
const remind = (dueAt: string, currentCoachId: string | null = 'coa') => ({ type: 'SendReviewReminder' as const, data: { dueAt, currentCoachId, channel: 'log' } });

describe('personal development plan', () => {
  it('is created by the learner as version 1 with its competencies gathered from the focus areas', () => {
    expect(given([]).when(revise()).events()).toEqual([v1]);
  });

  it('gets versioned revisions, each with a rationale', () => {
    const [v2] = given([v1]).when(revise({ planId: 'ignored', rationale: 'New rotation', goalIds: [], focusAreas: [{ focusId: 'f2', title: 'Consent', competencies: ['EPA-11'] }] })).events();
    expect(v2.data).toMatchObject({ planId: 'p1', version: 2, rationale: 'New rotation', competencies: ['EPA-11'] });
    expect(given([v1]).when(revise()).error()).toMatchObject({ kind: 'rule-violated', message: 'a revision of the plan says why (rationale)' });
  });

  it.each([
    ['by someone else', revise({ revisedBy: 'coa' }), 'forbidden'],
    ['without focus areas', revise({ focusAreas: [] }), 'rule-violated'],
    ['with a review date in the past', revise({ nextReviewDue: '2026-08-01T00:00:00.000Z' }), 'rule-violated'],
    ['with another learner\'s goal', revise({ goalOwners: { g1: 'lea-2' } }), 'rule-violated'],
    ['with a goal that does not exist', revise({ goalOwners: { g1: null } }), 'rule-violated'],
    ['motivated by another learner\'s dialogue', revise({ motivationOwners: { 'dialogue:d1': 'lea-2' } }), 'rule-violated'],
  ] as const)('is refused %s', (_label, command, kind) => {
    expect(given([]).when(command).error()).toMatchObject({ kind });
  });

  it('is reviewed with the current coach: what changed, next steps, the next review date', () => {
    expect(given([v1]).when(review('coa')).events()).toEqual([reviewed]);
    expect(given([v1]).when(review('lea')).events()).toEqual([reviewed]);
    expect(given([v1]).when(review('cob')).error()).toMatchObject({ kind: 'not-found', message: NO_LEARNER });
    expect(given([v1]).when(review('lea', null)).error()).toMatchObject({ kind: 'rule-violated' });
    expect(given([v1]).when(review('coa', 'coa', '2026-08-31T00:00:00.000Z')).error()).toMatchObject({ kind: 'rule-violated' });
    expect(given([]).when(review('coa')).error()).toMatchObject({ kind: 'not-found' });
  });

  it('reminds the learner and the coach once when the current review comes due; stale or repeated jobs send nothing', () => {
    const sent: PlanEvent = { type: 'feedback.plan-review-reminder-sent', data: { planId: 'p1', learnerId: 'lea', dueAt: '2026-10-01T09:00:00.000Z', recipientIds: ['lea', 'coa'], channel: 'log' } };
    expect(given([v1]).when(remind('2026-10-01T09:00:00.000Z')).events()).toEqual([sent]);
    expect(given([v1, sent]).when(remind('2026-10-01T09:00:00.000Z')).events()).toEqual([]);
    expect(given([v1, reviewed]).when(remind('2026-10-01T09:00:00.000Z')).events()).toEqual([]);
    expect(given([v1]).when(remind('2026-10-01T09:00:00.000Z', null)).events()[0].data).toMatchObject({ recipientIds: ['lea'] });
  });

  it('owes a reminder (what the handler asks before it notifies anyone) only for the current due date, until one is recorded', () => {
    const sent: PlanEvent = { type: 'feedback.plan-review-reminder-sent', data: { planId: 'p1', learnerId: 'lea', dueAt: '2026-10-01T09:00:00.000Z', recipientIds: ['lea', 'coa'], channel: 'email' } };
    const state = (events: PlanEvent[]) => events.reduce(developmentPlanDecider.evolve, developmentPlanDecider.initialState);
    expect(reviewReminderOwed(state([v1]), '2026-10-01T09:00:00.000Z')).toBe(true);
    expect(reviewReminderOwed(state([v1, sent]), '2026-10-01T09:00:00.000Z')).toBe(false);
    expect(reviewReminderOwed(state([v1, reviewed]), '2026-10-01T09:00:00.000Z')).toBe(false);
    expect(reviewReminderOwed(state([v1, reviewed]), '2026-12-01T09:00:00.000Z')).toBe(true);
    expect(reviewReminderOwed(state([]), '2026-10-01T09:00:00.000Z')).toBe(false);
  });

  describe('someone who may not see the plan is told what a learner id that does not exist gets', () => {
    it.each([
      ['a learner with a plan and a coach', [v1], 'coa'],
      ['a learner with a plan and no coach', [v1], null],
      ['a learner with a reviewed plan', [v1, reviewed], 'coa'],
      ['a learner without a plan', [], 'coa'],
    ] as const)('given %s, when a former coach or another coach reviews it, then not-found as for an unknown learner', (_label, past, currentCoachId) => {
      for (const by of ['cof', 'cox', 'lex']) {
        const unknown = given([]).when(review(by, null)).error();
        expect(given([...past]).when(review(by, currentCoachId)).error()).toEqual(unknown);
        expect(unknown).toMatchObject({ kind: 'not-found', message: NO_LEARNER });
      }
    });

    it('given a plan without a coach, when the learner reviews it, then 422 (they may see it)', () => {
      expect(given([v1]).when(review('lea', null)).error()).toMatchObject({ kind: 'rule-violated', message: 'lea has no coach now to review the plan with' });
    });
  });
});
