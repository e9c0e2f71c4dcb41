import { spec } from '@cbme/decider';
import { rolesBySchool, UserEvent, userDecider } from './user.decider';

const given = spec(userDecider).given;
const registered: UserEvent = { type: 'identity.user-registered', data: { userId: 'u1', email: 'ada@med.example', displayName: 'Ada' } };
const learnerInMed: UserEvent = { type: 'identity.role-granted', data: { userId: 'u1', schoolId: 'med', role: 'learner' } };

describe('user', () => {
  it('registers with a first role in an existing school, email lower-cased', () => {
    const events = given([]).when({ type: 'RegisterUser', data: { userId: 'u1', email: 'Ada@Med.example', displayName: 'Ada', schoolId: 'med', role: 'learner', schoolExists: true } }).events();
    expect(events).toEqual([registered, learnerInMed]);
  });

  it('refuses an unknown school, a second registration and an institution-wide role', () => {
    const register = (over: object) => ({ type: 'RegisterUser' as const, data: { userId: 'u1', email: 'a@b.c', displayName: 'A', schoolId: 'med', role: 'learner' as const, schoolExists: true, ...over } });
    expect(given([]).when(register({ schoolExists: false })).error()).toMatchObject({ kind: 'not-found', message: 'unknown school med' });
    expect(given([registered]).when(register({})).error()).toMatchObject({ kind: 'invalid-state' });
    expect(given([]).when(register({ role: 'institution-admin' })).error()).toMatchObject({ kind: 'rule-violated' });
    expect(given([]).when(register({ role: 'institution-admin', schoolId: '*', schoolExists: false })).events()).toHaveLength(2);
    expect(given([]).when(register({ role: 'coach', schoolId: '*', schoolExists: false })).error()).toMatchObject({ kind: 'not-found' });
  });

  it('grants a role in another school once', () => {
    const grant = { type: 'GrantRole' as const, data: { userId: 'u1', schoolId: 'nursing', role: 'coach' as const, schoolExists: true } };
    const events = given([registered, learnerInMed]).when(grant).events();
    expect(events).toEqual([{ type: 'identity.role-granted', data: { userId: 'u1', schoolId: 'nursing', role: 'coach' } }]);
    expect(given([registered, learnerInMed, ...events]).when(grant).error()).toMatchObject({ kind: 'invalid-state' });
  });

  it('revokes a held role and deactivates once, after which no role is granted', () => {
    const revoke = { type: 'RevokeRole' as const, data: { userId: 'u1', schoolId: 'med', role: 'learner' as const } };
    const revoked = given([registered, learnerInMed]).when(revoke).events();
    expect(revoked).toEqual([{ type: 'identity.role-revoked', data: { userId: 'u1', schoolId: 'med', role: 'learner' } }]);
    expect(given([registered, learnerInMed, ...revoked]).when(revoke).error()).toMatchObject({ kind: 'invalid-state' });
    const deactivate = { type: 'DeactivateUser' as const, data: { userId: 'u1', reason: 'left the school' } };
    const deactivated = given([registered, learnerInMed]).when(deactivate).events();
    expect(given([registered, ...deactivated]).when(deactivate).error()).toMatchObject({ kind: 'invalid-state' });
    const grant = { type: 'GrantRole' as const, data: { userId: 'u1', schoolId: 'med', role: 'coach' as const, schoolExists: true } };
    expect(given([registered, ...deactivated]).when(grant).error()).toMatchObject({ kind: 'invalid-state', message: 'u1 is deactivated' });
  });

  it('erases a registered person once, after which they hold no role and no role is granted', () => {
    const erase = { type: 'EraseSubject' as const, data: { userId: 'u1' } };
    expect(given([]).when(erase).error()).toMatchObject({ kind: 'not-found' });
    const erased = given([registered, learnerInMed]).when(erase).events();
    expect(erased).toEqual([{ type: 'identity.subject-erased', data: { userId: 'u1' } }]);
    expect(given([registered, learnerInMed, ...erased]).when(erase).error()).toMatchObject({ kind: 'invalid-state', message: 'u1 is already erased' });
    const grant = { type: 'GrantRole' as const, data: { userId: 'u1', schoolId: 'med', role: 'coach' as const, schoolExists: true } };
    expect(given([registered, learnerInMed, ...erased]).when(grant).error()).toMatchObject({ kind: 'invalid-state' });
  });

  it('enrolls a learner in an existing cohort, then graduates them once', () => {
    const enroll = (over: object = {}) => ({ type: 'EnrollLearner' as const, data: { userId: 'u1', schoolId: 'med', cohortId: 'md-2030', cohortExists: true, ...over } });
    const enrolled = given([registered, learnerInMed]).when(enroll()).events();
    expect(enrolled).toEqual([{ type: 'identity.learner-enrolled', data: { userId: 'u1', schoolId: 'med', cohortId: 'md-2030' } }]);
    expect(given([registered, learnerInMed]).when(enroll({ cohortExists: false })).error()).toMatchObject({ kind: 'not-found' });
    expect(given([registered]).when(enroll()).error()).toMatchObject({ kind: 'rule-violated', message: 'u1 is not a learner in med' });
    expect(given([registered, learnerInMed, ...enrolled]).when(enroll()).error()).toMatchObject({ kind: 'invalid-state' });
    const graduate = { type: 'GraduateLearner' as const, data: { userId: 'u1', schoolId: 'med' } };
    const graduated = given([registered, learnerInMed, ...enrolled]).when(graduate).events();
    expect(graduated).toEqual([{ type: 'identity.learner-graduated', data: { userId: 'u1', schoolId: 'med', cohortId: 'md-2030' } }]);
    expect(given([registered, learnerInMed, ...enrolled, ...graduated]).when(graduate).error()).toMatchObject({ kind: 'invalid-state' });
    const withdraw = { type: 'WithdrawLearner' as const, data: { userId: 'u1', schoolId: 'med', reason: 'personal' } };
    expect(given([registered, learnerInMed, ...enrolled]).when(withdraw).events()[0]).toMatchObject({ type: 'identity.learner-withdrawn', data: { cohortId: 'md-2030' } });
  });

  it.each(['constructor', '__proto__', 'toString'])('keeps enrollments and token roles of a school called %s as its own', (schoolId) => {
    const learner: UserEvent = { type: 'identity.role-granted', data: { userId: 'u1', schoolId, role: 'learner' } };
    const withdraw = { type: 'WithdrawLearner' as const, data: { userId: 'u1', schoolId, reason: 'personal' } };
    expect(given([registered, learner]).when(withdraw).error()).toMatchObject({ kind: 'invalid-state', message: `u1 is not enrolled in ${schoolId}` });
    const enrolled: UserEvent = { type: 'identity.learner-enrolled', data: { userId: 'u1', schoolId, cohortId: 'c-2030' } };
    expect(given([registered, learner, enrolled]).when(withdraw).events()).toEqual([{ type: 'identity.learner-withdrawn', data: { ...withdraw.data, cohortId: 'c-2030' } }]);

    const coach: UserEvent = { type: 'identity.role-granted', data: { userId: 'u1', schoolId, role: 'coach' } };
    const state = [registered, learnerInMed, learner, coach].reduce(userDecider.evolve, userDecider.initialState);
    expect(Object.entries(rolesBySchool(state))).toEqual([['med', ['learner']], [schoolId, ['learner', 'coach']]]);
  });
});
