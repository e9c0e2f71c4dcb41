import { spec } from '@cbme/decider';
import { dueOn, ErasureProposalEvent, erasureProposalDecider, proposalStatus, retentionPolicyDecider, standingIn } from './retention.decider';

describe('retention policy', () => {
  const given = spec(retentionPolicyDecider).given;
  const set = (over: object = {}) => ({ type: 'SetRetentionPolicy' as const, data: { schoolId: 'med', yearsAfterLeaving: 7, reason: ' Records act §4 ', byRole: 'institution-admin' as const, schoolExists: true, ...over } });

  it('is set by an institution admin for an existing school, the reason trimmed; the same policy again changes nothing', () => {
    const events = given([]).when(set()).events();
    expect(events).toEqual([{ type: 'identity.retention-policy-set', data: { schoolId: 'med', yearsAfterLeaving: 7, reason: 'Records act §4' } }]);
    expect(given(events).when(set()).events()).toEqual([]);
    expect(given(events).when(set({ yearsAfterLeaving: 10 })).events()).toHaveLength(1);
  });

  it('refuses anyone but an institution admin before anything else, an unknown school, years out of 1..50 and an empty reason', () => {
    expect(given([]).when(set({ byRole: 'school-admin', schoolExists: false })).error()).toMatchObject({ kind: 'forbidden' });
    expect(given([]).when(set({ schoolExists: false })).error()).toMatchObject({ kind: 'not-found', message: 'unknown school med' });
    for (const years of [0, 51, 2.5]) expect(given([]).when(set({ yearsAfterLeaving: years })).error()).toMatchObject({ kind: 'rule-violated', field: 'yearsAfterLeaving' });
    expect(given([]).when(set({ yearsAfterLeaving: 1 })).events()).toHaveLength(1);
    expect(given([]).when(set({ yearsAfterLeaving: 50 })).events()).toHaveLength(1);
    expect(given([]).when(set({ reason: '  ' })).error()).toMatchObject({ kind: 'rule-violated', field: 'reason' });
  });
});

describe('due dates and a learner\'s standing', () => {
  it('falls the given years after leaving, on the same calendar date (29 February on the 28th)', () => {
    expect(dueOn('2019-06-30T15:00:00.000Z', 7)).toBe('2026-06-30');
    expect(dueOn('2020-02-29T10:00:00.000Z', 1)).toBe('2021-02-28');
    expect(dueOn('2020-02-29T10:00:00.000Z', 4)).toBe('2024-02-29');
  });

  it('reads when a learner last left a school from their user stream; enrolling again means they have not left', () => {
    const at = (occurredAt: string, type: string, data: object = {}) => ({ type, occurredAt, data: { userId: 'u1', ...data } });
    const med = { schoolId: 'med', cohortId: 'c' };
    const history = [
      at('2018-01-01T00:00:00Z', 'identity.user-registered'),
      at('2018-02-01T00:00:00Z', 'identity.learner-enrolled', med),
      at('2019-06-30T00:00:00Z', 'identity.learner-withdrawn', { ...med, reason: 'r' }),
      at('2019-07-01T00:00:00Z', 'identity.learner-graduated', { schoolId: 'nursing', cohortId: 'n' }),
    ];
    expect(standingIn('med', history)).toEqual({ registered: true, erased: false, leftAt: '2019-06-30T00:00:00Z' });
    expect(standingIn('nursing', history)).toMatchObject({ leftAt: '2019-07-01T00:00:00Z' });
    expect(standingIn('med', [...history, at('2020-01-01T00:00:00Z', 'identity.learner-enrolled', med)]).leftAt).toBeNull();
    expect(standingIn('med', [...history, at('2021-01-01T00:00:00Z', 'identity.subject-erased')]).erased).toBe(true);
    expect(standingIn('med', [])).toEqual({ registered: false, erased: false, leftAt: null });
  });
});

describe('erasure proposal', () => {
  const given = spec(erasureProposalDecider).given;
  const left = { registered: true, erased: false, leftAt: '2019-06-30T15:00:00.000Z' };
  const propose = (over: object = {}, learner: object = {}) => ({
    type: 'ProposeErasure' as const,
    data: { userId: 'u1', schoolId: 'med', asOf: '2026-06-30', byRole: 'system' as const, policyYears: 7, learner: { ...left, ...learner }, ...over },
  });
  const proposed: ErasureProposalEvent = { type: 'identity.erasure-proposed', data: { userId: 'u1', schoolId: 'med', leftAt: left.leftAt, dueOn: '2026-06-30', policyYears: 7 } };
  const dismiss = (over: object = {}) => ({
    type: 'DismissErasureProposal' as const,
    data: { userId: 'u1', schoolId: 'med', reason: ' legal hold ', asOf: '2026-07-01', byRole: 'institution-admin' as const, erased: false, ...over },
  });
  const dismissed = (keepUntil?: string): ErasureProposalEvent => ({ type: 'identity.erasure-proposal-dismissed', data: { userId: 'u1', schoolId: 'med', reason: 'legal hold', ...(keepUntil ? { keepUntil } : {}) } });

  it('is proposed on the day the policy\'s years since leaving are over, as of the given date, and not the day before', () => {
    expect(given([]).when(propose()).events()).toEqual([proposed]);
    expect(given([]).when(propose({ asOf: '2030-01-01' })).events()).toEqual([proposed]);
    expect(given([]).when(propose({ asOf: '2026-06-29' })).error()).toMatchObject({ kind: 'invalid-state', message: "u1's erasure is not due before 2026-06-30" });
    expect(given([]).when(propose({ asOf: '2026-06-30', policyYears: 8 })).error()).toMatchObject({ kind: 'invalid-state' });
  });

  it('is not proposed without a policy, for a learner who has not left, is unknown or is erased, or by a school admin', () => {
    expect(given([]).when(propose({ policyYears: null })).error()).toMatchObject({ kind: 'invalid-state', message: 'school med has no retention policy' });
    expect(given([]).when(propose({}, { leftAt: null })).error()).toMatchObject({ kind: 'invalid-state', message: 'u1 has not left med' });
    expect(given([]).when(propose({}, { registered: false, leftAt: null })).error()).toMatchObject({ kind: 'not-found' });
    expect(given([]).when(propose({}, { erased: true })).error()).toMatchObject({ kind: 'invalid-state', message: 'u1 is already erased' });
    expect(given([]).when(propose({ byRole: 'school-admin' })).error()).toMatchObject({ kind: 'forbidden' });
    expect(given([]).when(propose({ asOf: '30.06.2026' })).error()).toMatchObject({ kind: 'rule-violated', field: 'asOf' });
  });

  it('is proposed once while pending: a second sweep proposes nothing', () => {
    expect(given([proposed]).when(propose({ asOf: '2027-01-01' })).error()).toMatchObject({ kind: 'invalid-state', message: "u1's erasure is already proposed" });
  });

  it('is not proposed again before a dismissal\'s keep-until date, and is on it; a dismissal without one holds a year', () => {
    expect(given([proposed, dismissed('2028-01-01')]).when(propose({ asOf: '2027-12-31' })).error()).toMatchObject({ kind: 'invalid-state', message: 'u1 is kept until 2028-01-01' });
    expect(given([proposed, dismissed('2028-01-01')]).when(propose({ asOf: '2028-01-01' })).events()).toEqual([proposed]);
    // a dismissal recorded without a keep-until (before this default) holds nothing back
    expect(given([proposed, dismissed()]).when(propose({ asOf: '2026-07-02' })).events()).toEqual([proposed]);
    const [withoutDate] = given([proposed]).when(dismiss()).events();
    expect(given([proposed, withoutDate]).when(propose({ asOf: '2027-06-30' })).error()).toMatchObject({ kind: 'invalid-state', message: 'u1 is kept until 2027-07-01' });
    expect(given([proposed, withoutDate]).when(propose({ asOf: '2027-07-01' })).events()).toEqual([proposed]);
  });

  it('is dismissed by an institution admin, once, while pending, with a reason and a keep-until date after today', () => {
    expect(given([proposed]).when(dismiss()).events()).toEqual([dismissed('2027-07-01')]);
    expect(given([proposed]).when(dismiss({ keepUntil: '2030-01-01' })).events()).toEqual([dismissed('2030-01-01')]);
    expect(given([proposed, dismissed()]).when(dismiss()).error()).toMatchObject({ kind: 'invalid-state', message: 'the erasure proposal for u1 is already dismissed' });
    expect(given([]).when(dismiss()).error()).toMatchObject({ kind: 'not-found' });
    expect(given([]).when(dismiss({ byRole: 'school-admin' })).error()).toMatchObject({ kind: 'forbidden' });
    expect(given([proposed]).when(dismiss({ reason: ' ' })).error()).toMatchObject({ kind: 'rule-violated', field: 'reason' });
    for (const keepUntil of ['2026-07-01', '2026-06-01', 'soon']) expect(given([proposed]).when(dismiss({ keepUntil })).error()).toMatchObject({ kind: 'rule-violated', field: 'keepUntil' });
    expect(given([proposed]).when(dismiss({ erased: true })).error()).toMatchObject({ kind: 'invalid-state', message: 'u1 is already erased' });
  });

  it('reads as erased once the learner is, whatever it was', () => {
    expect(proposalStatus('pending', true)).toBe('erased');
    expect(proposalStatus('dismissed', true)).toBe('erased');
    expect(proposalStatus('pending', false)).toBe('pending');
  });
});
