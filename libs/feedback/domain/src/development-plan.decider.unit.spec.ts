import { spec } from '@cbme/decider';
import { developmentPlanDecider, mayReadPlan, NO_COACH_PLAN, NO_LEARNER, PlanEvent, PlanOwner, PlanViewerFacts, reviewReminderOwed } from './development-plan.decider';

const given = spec(developmentPlanDecider).given;
const today = '2026-09-01T10:00:00.000Z';
const nobody: PlanViewerFacts = { currentCoachId: null, isCoachingLead: false };

describe('personal development plan (a learner\'s)', () => {
  const learner: PlanOwner = { kind: 'learner', id: 'lea' };
  const focus = { focusId: 'f1', title: 'Handovers', competencies: ['ICS', 'EPA-8'] };
  const revise = (over: Record<string, unknown> = {}) => ({
    type: 'RevisePlan' as const,
    data: {
      owner: learner, planId: 'p1', revisedBy: 'lea', focusAreas: [focus], goalIds: ['g1'], motivatedBy: [{ kind: 'dialogue' as const, targetId: 'd1' }],
      nextReviewDue: '2026-10-01T09:00:00.000Z', today, goalOwners: { g1: 'lea' }, motivationOwners: { 'dialogue:d1': 'lea' }, ...over,
    },
  });
  const v1: PlanEvent = {
    type: 'feedback.plan-revised',
    data: { planId: 'p1', learnerId: 'lea', focusAreas: [focus], goalIds: ['g1'], motivatedBy: [{ kind: 'dialogue', targetId: 'd1' }], nextReviewDue: '2026-10-01T09:00:00.000Z', version: 1, competencies: ['ICS', 'EPA-8'] },
  };
  const review = (by: string, currentCoachId: string | null = 'coa', nextReviewDue = '2026-12-01T09:00:00.000Z') => ({
    type: 'ReviewPlan' as const,
    data: { owner: learner, reviewId: 'r1', reviewedBy: by, viewer: { currentCoachId, isCoachingLead: false }, whatChanged: 'Handovers solid now', nextSteps: ['Lead a family meeting'], nextReviewDue, today },
  });
  const reviewed: PlanEvent = {
    type: 'feedback.plan-reviewed',
    data: { planId: 'p1', learnerId: 'lea', reviewId: 'r1', coachId: 'coa', planVersion: 1, nextReviewDue: '2026-12-01T09:00:00.000Z', whatChanged: 'Handovers solid now', nextSteps: ['Lead a family meeting'] },
  };
  const remind = (dueAt: string, currentCoachId: string | null = 'coa') => ({ type: 'SendReviewReminder' as const, data: { dueAt, currentCoachId, channel: 'log' } });

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

  it('needs no asking for a review: the current coach reviews it', () => {
    const ask = { type: 'RequestPlanReview' as const, data: { owner: learner, requestedBy: 'lea', viewer: nobody, reviewerId: 'coa', reviewerRoles: ['coach' as const] } };
    expect(given([v1]).when(ask).error()).toMatchObject({ kind: 'rule-violated' });
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

    it('a coaching lead is nobody special for a learner\'s plan', () => {
      const byLead = review('lead');
      expect(given([v1]).when({ ...byLead, data: { ...byLead.data, viewer: { currentCoachId: 'coa', isCoachingLead: true } } }).error()).toMatchObject({ kind: 'not-found', message: NO_LEARNER });
    });
  });
});

describe('a coach\'s own development plan', () => {
  const coach: PlanOwner = { kind: 'coach', id: 'coa' };
  const area = { focusId: 'f1', area: 'inclusive-language' as const, title: 'Notice my own assumptions in feedback' };
  const revise = (over: Record<string, unknown> = {}) => ({
    type: 'RevisePlan' as const,
    data: { owner: coach, planId: 'cp1', revisedBy: 'coa', focusAreas: [{ ...area, competencies: [] }], goalIds: [], motivatedBy: [], nextReviewDue: '2026-10-01T09:00:00.000Z', today, goalOwners: {}, motivationOwners: {}, ...over },
  });
  const v1: PlanEvent = { type: 'feedback.coach-plan-revised', data: { planId: 'cp1', coachId: 'coa', version: 1, focusAreas: [area], nextReviewDue: '2026-10-01T09:00:00.000Z' } };
  const viewer = (isCoachingLead = false): PlanViewerFacts => ({ currentCoachId: null, isCoachingLead });
  const ask = (reviewerId: string, reviewerRoles: string[] = ['coach'], requestedBy = 'coa', isLead = false) => ({
    type: 'RequestPlanReview' as const, data: { owner: coach, requestedBy, viewer: viewer(isLead), reviewerId, reviewerRoles: reviewerRoles as ('coach' | 'coaching-lead')[] },
  });
  const asked = (reviewerId: string, reviewerRole: 'coach' | 'coaching-lead' = 'coach'): PlanEvent => ({
    type: 'feedback.coach-plan-review-requested', data: { planId: 'cp1', coachId: 'coa', reviewerId, reviewerRole, planVersion: 1 },
  });
  const review = (by: string, isLead = false, nextReviewDue = '2027-01-10T09:00:00.000Z') => ({
    type: 'ReviewPlan' as const,
    data: { owner: coach, reviewId: 'r1', reviewedBy: by, viewer: viewer(isLead), whatChanged: 'Asks open questions first now', nextSteps: ['Observe a peer'], nextReviewDue, today },
  });
  const reviewedBy = (reviewerId: string, reviewerRole: 'coach' | 'coaching-lead' = 'coach'): PlanEvent => ({
    type: 'feedback.coach-plan-reviewed',
    data: { planId: 'cp1', coachId: 'coa', reviewId: 'r1', reviewerId, reviewerRole, planVersion: 1, nextReviewDue: '2027-01-10T09:00:00.000Z', whatChanged: 'Asks open questions first now', nextSteps: ['Observe a peer'] },
  });

  it('is created by the coach as version 1 of focus areas from the coaching list with their own words', () => {
    expect(given([]).when(revise()).events()).toEqual([v1]);
  });

  it('gets versioned revisions, each with a rationale, by the same rule as a learner\'s', () => {
    const [v2] = given([v1]).when(revise({ planId: 'ignored', rationale: 'QI project this term', focusAreas: [{ focusId: 'f2', area: 'quality-improvement', title: 'Run a PDSA cycle', competencies: [] }] })).events();
    expect(v2).toEqual({
      type: 'feedback.coach-plan-revised',
      data: { planId: 'cp1', coachId: 'coa', version: 2, rationale: 'QI project this term', focusAreas: [{ focusId: 'f2', area: 'quality-improvement', title: 'Run a PDSA cycle' }], nextReviewDue: '2026-10-01T09:00:00.000Z' },
    });
    expect(given([v1]).when(revise()).error()).toMatchObject({ kind: 'rule-violated', message: 'a revision of the plan says why (rationale)' });
  });

  it.each([
    ['by someone else', revise({ revisedBy: 'cob' }), 'forbidden'],
    ['without focus areas', revise({ focusAreas: [] }), 'rule-violated'],
    ['with a review date in the past', revise({ nextReviewDue: '2026-08-01T00:00:00.000Z' }), 'rule-violated'],
    ['with a focus area outside the coaching list', revise({ focusAreas: [{ focusId: 'f1', title: 'x', competencies: [] }] }), 'rule-violated'],
    ['holding a learner\'s goal', revise({ goalIds: ['g1'], goalOwners: { g1: 'coa' } }), 'rule-violated'],
  ] as const)('is refused %s', (_label, command, kind) => {
    expect(given([]).when(command).error()).toMatchObject({ kind });
  });

  it('the coach asks a peer coach or the coaching lead of the school to review it; asking again while they have not is no change', () => {
    expect(given([v1]).when(ask('cob')).events()).toEqual([asked('cob')]);
    expect(given([v1]).when(ask('lead', ['coach', 'coaching-lead'])).events()).toEqual([asked('lead', 'coaching-lead')]);
    expect(given([v1, asked('cob')]).when(ask('cob')).events()).toEqual([]);
    expect(given([v1]).when(ask('lex', ['learner'])).error()).toMatchObject({ kind: 'rule-violated', field: 'reviewerId' });
    expect(given([v1]).when(ask('nobody', [])).error()).toMatchObject({ kind: 'rule-violated', field: 'reviewerId' });
    expect(given([v1]).when(ask('coa')).error()).toMatchObject({ kind: 'rule-violated', field: 'reviewerId' });
    expect(given([]).when(ask('cob')).error()).toMatchObject({ kind: 'not-found', message: 'no development plan for coa yet' });
    // the lead may see the plan but does not ask on the coach's behalf
    expect(given([v1]).when(ask('cob', ['coach'], 'lead', true)).error()).toMatchObject({ kind: 'forbidden' });
  });

  it('is reviewed by the reviewer the coach asked, who records it; then they are no longer awaited', () => {
    expect(given([v1, asked('cob')]).when(review('cob')).events()).toEqual([reviewedBy('cob')]);
    expect(given([v1, asked('lead', 'coaching-lead')]).when(review('lead', true)).events()).toEqual([reviewedBy('lead', 'coaching-lead')]);
    expect(given([v1, asked('cob'), reviewedBy('cob')]).when(review('cob')).error()).toMatchObject({ kind: 'forbidden' });
    // those who may see it but were not asked: the coach themselves, a lead nobody asked
    expect(given([v1, asked('cob')]).when(review('coa')).error()).toMatchObject({ kind: 'forbidden' });
    expect(given([v1]).when(review('lead', true)).error()).toMatchObject({ kind: 'forbidden' });
    expect(given([v1, asked('cob')]).when(review('cob', false, '2026-08-31T00:00:00.000Z')).error()).toMatchObject({ kind: 'rule-violated', field: 'nextReviewDue' });
  });

  describe('someone who may not see it (a learner, a coach not asked) is told what a coach without a plan gets', () => {
    it.each([
      ['no plan', []],
      ['a plan', [v1]],
      ['a plan reviewed by a peer', [v1, asked('cob'), reviewedBy('cob')]],
    ] as const)('given %s', (_label, past) => {
      const unknown = given([]).when(review('cox')).error();
      expect(unknown).toMatchObject({ kind: 'not-found', message: NO_COACH_PLAN });
      for (const by of ['cox', 'lex']) {
        expect(given([...past]).when(review(by)).error()).toEqual(unknown);
        expect(given([...past]).when(ask('cob', ['coach'], by)).error()).toEqual(unknown);
      }
    });

    it('a peer once asked may still read it after reviewing (they were chosen); the lead reads every coach\'s plan', () => {
      const state = [v1, asked('cob'), reviewedBy('cob')].reduce(developmentPlanDecider.evolve, developmentPlanDecider.initialState);
      expect(mayReadPlan({ kind: 'coach', id: 'coa' }, 'cob', viewer(), state)).toBe(true);
      expect(mayReadPlan({ kind: 'coach', id: 'coa' }, 'lead', viewer(true), developmentPlanDecider.initialState)).toBe(true);
      expect(mayReadPlan({ kind: 'coach', id: 'coa' }, 'cox', viewer(), state)).toBe(false);
    });

    it('judges a read before the plan is loaded: the owner, the lead, or someone the reviewers\' read model says was asked', () => {
      const owner = { kind: 'coach' as const, id: 'coa' };
      expect(mayReadPlan(owner, 'coa', viewer())).toBe(true);
      expect(mayReadPlan(owner, 'cob', { ...viewer(), askedToReview: true })).toBe(true);
      expect(mayReadPlan(owner, 'cob', { ...viewer(), askedToReview: false })).toBe(false);
      // asking is a coach's plan's fact: a learner's plan reads only by its learner and current coach
      expect(mayReadPlan({ kind: 'learner', id: 'lea' }, 'cob', { currentCoachId: 'coa', isCoachingLead: false, askedToReview: true })).toBe(false);
    });
  });
});
