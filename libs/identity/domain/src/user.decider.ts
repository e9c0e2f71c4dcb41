import { LearnerEnrolled, LearnerGraduated, LearnerWithdrawn, Role, RoleGranted, RoleRevoked, SubjectErased, UserDeactivated, UserRegistered } from '@cbme/contracts';
import { assertNever, Decider, invalidState, notFound, ruleViolated } from '@cbme/decider';

export type UserEvent =
  | { type: 'identity.user-registered'; data: UserRegistered }
  | { type: 'identity.role-granted'; data: RoleGranted }
  | { type: 'identity.role-revoked'; data: RoleRevoked }
  | { type: 'identity.user-deactivated'; data: UserDeactivated }
  | { type: 'identity.learner-enrolled'; data: LearnerEnrolled }
  | { type: 'identity.learner-withdrawn'; data: LearnerWithdrawn }
  | { type: 'identity.learner-graduated'; data: LearnerGraduated }
  | { type: 'identity.subject-erased'; data: SubjectErased };

/** `schoolExists` is looked up by the handler in this service's own store. */
export type UserCommand =
  | { type: 'RegisterUser'; data: UserRegistered & { schoolId: string; role: Role; schoolExists: boolean } }
  | { type: 'GrantRole'; data: RoleGranted & { schoolExists: boolean } }
  | { type: 'RevokeRole'; data: RoleRevoked }
  | { type: 'DeactivateUser'; data: UserDeactivated }
  | { type: 'EnrollLearner'; data: LearnerEnrolled & { cohortExists: boolean } }
  | { type: 'WithdrawLearner'; data: Omit<LearnerWithdrawn, 'cohortId'> }
  | { type: 'GraduateLearner'; data: Omit<LearnerGraduated, 'cohortId'> }
  | { type: 'EraseSubject'; data: SubjectErased };

/** A learner's place in one school: enrolled in a cohort, then withdrawn or graduated. */
export interface Enrollment {
  cohortId: string;
  status: 'enrolled' | 'withdrawn' | 'graduated';
}

export type UserState =
  | { registered: false }
  | { registered: true; userId: string; email: string; roles: { schoolId: string; role: Role }[]; deactivated: boolean; erased?: boolean; enrollments: ReadonlyMap<string, Enrollment> };

const GRANTABLE: Role[] = ['learner', 'coach', 'coaching-lead', 'committee-member', 'school-admin'];

/** School roles are held in a school; the institution admin role only institution-wide ("*"). */
function checkGrant(role: Role, schoolExists: boolean, schoolId: string) {
  if (role === 'institution-admin') {
    if (schoolId !== INSTITUTION_WIDE) throw ruleViolated('institution-admin is granted institution-wide (school "*")');
    return;
  }
  if (!schoolExists) throw notFound(`unknown school ${schoolId}`);
  if (!GRANTABLE.includes(role)) throw ruleViolated(`role ${role} cannot be granted within a school`);
}

export const INSTITUTION_WIDE = '*';

function decide(command: UserCommand, state: UserState): UserEvent[] {
  switch (command.type) {
    case 'RegisterUser': {
      const { schoolId, role, schoolExists, ...user } = command.data;
      if (state.registered) throw invalidState(`user ${user.userId} is already registered`);
      checkGrant(role, schoolExists, schoolId);
      return [
        { type: 'identity.user-registered', data: { ...user, email: user.email.toLowerCase() } },
        { type: 'identity.role-granted', data: { userId: user.userId, schoolId, role } },
      ];
    }
    case 'GrantRole': {
      const { schoolExists, ...grant } = command.data;
      if (!state.registered) throw notFound(`no user ${grant.userId}`);
      if (state.deactivated) throw invalidState(`${grant.userId} is deactivated`);
      checkGrant(grant.role, schoolExists, grant.schoolId);
      if (state.roles.some((r) => r.schoolId === grant.schoolId && r.role === grant.role)) {
        throw invalidState(`${grant.userId} already is ${grant.role} in ${grant.schoolId}`);
      }
      return [{ type: 'identity.role-granted', data: grant }];
    }
    case 'RevokeRole': {
      const revoke = command.data;
      if (!state.registered) throw notFound(`no user ${revoke.userId}`);
      if (!state.roles.some((r) => r.schoolId === revoke.schoolId && r.role === revoke.role)) {
        throw invalidState(`${revoke.userId} is not ${revoke.role} in ${revoke.schoolId}`);
      }
      return [{ type: 'identity.role-revoked', data: revoke }];
    }
    case 'EnrollLearner': {
      const { cohortExists, ...enrolment } = command.data;
      if (!state.registered) throw notFound(`no user ${enrolment.userId}`);
      if (!cohortExists) throw notFound(`unknown cohort ${enrolment.cohortId} in ${enrolment.schoolId}`);
      if (!state.roles.some((r) => r.schoolId === enrolment.schoolId && r.role === 'learner')) throw ruleViolated(`${enrolment.userId} is not a learner in ${enrolment.schoolId}`);
      if (state.enrollments.get(enrolment.schoolId)?.status === 'enrolled') throw invalidState(`${enrolment.userId} is already enrolled in ${enrolment.schoolId}`);
      return [{ type: 'identity.learner-enrolled', data: enrolment }];
    }
    case 'WithdrawLearner':
    case 'GraduateLearner': {
      const { userId, schoolId } = command.data;
      if (!state.registered) throw notFound(`no user ${userId}`);
      const enrollment = state.enrollments.get(schoolId);
      if (enrollment?.status !== 'enrolled') throw invalidState(`${userId} is not enrolled in ${schoolId}`);
      return command.type === 'WithdrawLearner'
        ? [{ type: 'identity.learner-withdrawn', data: { ...command.data, cohortId: enrollment.cohortId } }]
        : [{ type: 'identity.learner-graduated', data: { ...command.data, cohortId: enrollment.cohortId } }];
    }
    case 'DeactivateUser': {
      if (!state.registered) throw notFound(`no user ${command.data.userId}`);
      if (state.deactivated) throw invalidState(`${command.data.userId} is already deactivated`);
      return [{ type: 'identity.user-deactivated', data: command.data }];
    }
    case 'EraseSubject': {
      if (!state.registered) throw notFound(`no user ${command.data.userId}`);
      if (state.erased) throw invalidState(`${command.data.userId} is already erased`);
      return [{ type: 'identity.subject-erased', data: command.data }];
    }
    default:
      return assertNever(command);
  }
}

function evolve(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'identity.user-registered':
      return { registered: true, userId: event.data.userId, email: event.data.email, roles: [], deactivated: false, enrollments: new Map() };
    case 'identity.role-granted':
      return state.registered ? { ...state, roles: [...state.roles, { schoolId: event.data.schoolId, role: event.data.role }] } : state;
    case 'identity.role-revoked': {
      const { schoolId, role } = event.data;
      return state.registered ? { ...state, roles: state.roles.filter((r) => !(r.schoolId === schoolId && r.role === role)) } : state;
    }
    case 'identity.user-deactivated':
      return state.registered ? { ...state, deactivated: true } : state;
    // an erased person can no longer sign in: their address and name are gone
    case 'identity.subject-erased':
      return state.registered ? { ...state, deactivated: true, erased: true } : state;
    case 'identity.learner-enrolled':
    case 'identity.learner-withdrawn':
    case 'identity.learner-graduated': {
      if (!state.registered) return state;
      const status = event.type === 'identity.learner-enrolled' ? 'enrolled' : event.type === 'identity.learner-withdrawn' ? 'withdrawn' : 'graduated';
      return { ...state, enrollments: new Map(state.enrollments).set(event.data.schoolId, { cohortId: event.data.cohortId, status }) };
    }
    default:
      return assertNever(event);
  }
}

export const userDecider: Decider<UserCommand, UserEvent, UserState> = { decide, evolve, initialState: { registered: false } };

export const userStreamId = (userId: string) => `identity-user-${userId}`;

/** The roles an access token carries, per school ("*": institution-wide); none for an unknown or deactivated account. */
export function rolesBySchool(state: UserState): Record<string, Role[]> {
  if (!state.registered || state.deactivated) return {};
  // a Map, not `schools[schoolId] ??= []`: a school may be called "constructor"
  const schools = new Map<string, Role[]>();
  for (const { schoolId, role } of state.roles) schools.set(schoolId, [...(schools.get(schoolId) ?? []), role]);
  return Object.fromEntries(schools);
}
