import { GoalEvent } from './goal.decider';
import { PlanEvent } from './development-plan.decider';
import { categoryOf, diffProgress, historyAccess, inPeriod, inViewAsOf, progressAsOf, ProgressSnapshot, timeOf, toCsv } from './progress-history';

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

  it('tells what changed between two dates', () => {
    const march: ProgressSnapshot = { asOf: '2026-03-01', basis: 'occurred', goals: [goal('g1'), goal('g2')], plan: { planId: 'p', version: 1, focusAreas: [area('f1')], goalIds: ['g1'], nextReviewDue: 'x', reviews: 0 } };
    const june: ProgressSnapshot = {
      asOf: '2026-06-01', basis: 'occurred', goals: [goal('g1', { status: 'achieved', description: 'g1 revised' }), goal('g3')],
      plan: { planId: 'p', version: 2, focusAreas: [area('f2')], goalIds: ['g1', 'g3'], nextReviewDue: 'y', reviews: 1 },
    };
    const diff = diffProgress(march, june);
    expect(diff.goals.added.map((g) => g.goalId)).toEqual(['g3']);
    expect(diff.goals.removed.map((g) => g.goalId)).toEqual(['g2']);
    expect(diff.goals.changed).toEqual([{ goalId: 'g1', changes: { status: { from: 'active', to: 'achieved' }, description: { from: 'g1', to: 'g1 revised' } } }]);
    expect(diff.plan).toEqual({
      version: { from: 1, to: 2 }, focusAreasAdded: [area('f2')], focusAreasRemoved: [area('f1')], goalsAdded: ['g3'], goalsRemoved: [], reviews: { from: 0, to: 1 },
    });
    expect(diffProgress({ asOf: 'a', basis: 'occurred', goals: [], plan: null }, march).plan.version).toEqual({ from: null, to: 1 });
  });

  it('exports CSV with quoting', () => {
    expect(toCsv(['a', 'b'], [{ a: 'x, "y"', b: { k: 1 } }, { a: null }])).toBe('a,b\r\n"x, ""y""","{""k"":1}"\r\n,\r\n');
  });
});

describe('progress as of a date, as it was and as the platform knew it', () => {
  // Ada set g1 live on 10 January 2027. On 3 March 2027 the school imported her older record: g0, set on 1 November 2026
  // and achieved on 1 February 2027, and a plan review held on 20 February 2027 (the plan itself was made live in January).
  const at = (occurredAt: string, recordedAt = occurredAt) => ({ occurredAt: `${occurredAt}T10:00:00.000Z`, recordedAt: `${recordedAt}T10:00:00.000Z` });
  const IMPORTED = '2027-03-03';
  const goalSet = (goalId: string, when: ReturnType<typeof at>) => ({
    type: 'feedback.goal-set' as const, ...when,
    data: { goalId, learnerId: 'ada', description: `goal ${goalId}`, measureOfSuccess: null, competencies: ['ICS'], targetDate: '2027-06-30', visibility: 'shared' as const },
  });
  const g0: (GoalEvent & ReturnType<typeof at>)[] = [
    goalSet('g0', at('2026-11-01', IMPORTED)),
    { type: 'feedback.goal-status-changed', ...at('2027-02-01', IMPORTED), data: { goalId: 'g0', learnerId: 'ada', from: 'active', to: 'achieved', visibility: 'shared' } },
  ];
  const g1 = [goalSet('g1', at('2027-01-10'))];
  const plan: (PlanEvent & ReturnType<typeof at>)[] = [
    {
      type: 'feedback.plan-revised', ...at('2027-01-15'),
      data: { planId: 'p', learnerId: 'ada', version: 1, focusAreas: [{ focusId: 'f', title: 'Handover', competencies: ['ICS'] }], goalIds: ['g1'], motivatedBy: [], competencies: ['ICS'], nextReviewDue: '2027-02-15', rationale: 'start' },
    },
    { type: 'feedback.plan-reviewed', ...at('2027-02-20', IMPORTED), data: { planId: 'p', learnerId: 'ada', reviewId: 'r', coachId: 'coa', planVersion: 1, whatChanged: 'w', nextSteps: [], nextReviewDue: '2027-05-20' } },
  ];
  const streams = { goals: [g0, g1], plan };
  const view = (date: string, basis: 'occurred' | 'recorded') => {
    const snapshot = progressAsOf(streams, `${date}T23:59:59.999Z`, basis, 'everything');
    return { goals: snapshot.goals.map((g) => `${g.goalId}:${g.status}`), reviews: snapshot.plan?.reviews ?? null, basis: snapshot.basis };
  };

  it.each([
    ['2026-12-01', { goals: ['g0:active'], reviews: null }, { goals: [], reviews: null }],
    ['2027-02-10', { goals: ['g0:achieved', 'g1:active'], reviews: 0 }, { goals: ['g1:active'], reviews: 0 }],
    ['2027-02-25', { goals: ['g0:achieved', 'g1:active'], reviews: 1 }, { goals: ['g1:active'], reviews: 0 }],
  ])('on %s, before the import, the imported record is part of "as it was" but not of "as known"', (date, asItWas, asKnown) => {
    expect(view(date, 'occurred')).toEqual({ ...asItWas, basis: 'occurred' });
    expect(view(date, 'recorded')).toEqual({ ...asKnown, basis: 'recorded' });
  });

  it.each([['2027-03-03'], ['2027-06-01']])('from the import on (%s) both views agree', (date) => {
    expect(view(date, 'recorded')).toEqual({ ...view(date, 'occurred'), basis: 'recorded' });
    expect(view(date, 'occurred')).toEqual({ goals: ['g0:achieved', 'g1:active'], reviews: 1, basis: 'occurred' });
  });

  it('before anything happened, both are empty; a live event is in both views from the instant it occurred', () => {
    expect(view('2026-10-01', 'occurred')).toEqual({ goals: [], reviews: null, basis: 'occurred' });
    expect(view('2026-10-01', 'recorded')).toEqual({ goals: [], reviews: null, basis: 'recorded' });
    for (const basis of ['occurred', 'recorded'] as const) {
      expect(inViewAsOf(at('2027-01-10'), '2027-01-10T10:00:00.000Z', basis)).toBe(true);
      expect(inViewAsOf(at('2027-01-10'), '2027-01-10T09:59:59.999Z', basis)).toBe(false);
    }
    // instants in other offsets compare as instants
    expect(inViewAsOf(at('2027-01-10'), '2027-01-10T11:30:00+01:00', 'recorded')).toBe(true);
  });

  it('filters a period by when a record happened or by when the platform recorded it', () => {
    const achieved = g0[1];
    const march = ['2027-03-01T00:00:00.000Z', '2027-03-31T23:59:59.999Z'] as const;
    expect(inPeriod(timeOf(achieved, 'occurred'), ...march)).toBe(false);
    expect(inPeriod(timeOf(achieved, 'recorded'), ...march)).toBe(true);
    expect(inPeriod(timeOf(achieved, 'occurred'), '2027-02-01T00:00:00.000Z')).toBe(true);
    expect(inPeriod(timeOf(achieved, 'occurred'))).toBe(true);
  });

  it('the diff between two dates on the recorded basis shows the import as a change the platform learnt of', () => {
    const snapshot = (date: string, basis: 'occurred' | 'recorded') => progressAsOf(streams, `${date}T23:59:59.999Z`, basis, 'everything');
    expect(diffProgress(snapshot('2027-03-01', 'recorded'), snapshot('2027-03-05', 'recorded')).goals.added.map((g) => g.goalId)).toEqual(['g0']);
    expect(diffProgress(snapshot('2027-03-01', 'occurred'), snapshot('2027-03-05', 'occurred')).goals.added).toEqual([]);
  });
});
