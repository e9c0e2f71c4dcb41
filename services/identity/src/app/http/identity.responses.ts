import { schema as s } from '@cbme/service-runtime';
import { SCHOOL_ROLES } from './identity.dto';

/** The bodies identity answers with (documented in /docs). */
const userId = s.string('lea-1');
const schoolId = s.string('medicine');
const role = s.enum(SCHOOL_ROLES);
const version = s.integer(3);

export const TokenPairResult = s.object({
  accessToken: s.string('eyJhbGciOiJFZERTQSIsImtpZCI6IjEifQ.eyJzdWIiOiJsZWEtMSJ9.c2lnbmF0dXJl', { description: 'an EdDSA JWT' }),
  refreshToken: s.string('9f2c7c1e0b7d4a4e8f1a2b3c4d5e6f70', { description: 'single use' }),
  tokenType: s.enum(['Bearer']),
  expiresIn: s.integer(900),
});
export const SsoTokenPairResult = s.object({ ...TokenPairResult.properties, returnTo: s.string('/learner/goals') }, ['returnTo']);
export const JwksResult = s.object({ keys: s.array(s.object({ kty: s.string('OKP'), crv: s.string('Ed25519'), x: s.string('11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo'), kid: s.string('2026-12-01-1'), alg: s.string('EdDSA') }, ['crv', 'x', 'alg'])) });
export const KeyRotatedResult = s.object({ kid: s.string('2026-12-01-2') });
export const InstitutionResult = s.object({ institutionId: s.string('demo-university'), version });
export const SchoolResult = s.object({ schoolId, institutionId: s.string('demo-university') });
export const RegisteredResult = s.object({ userId, schoolId, role });
export const RoleResult = s.object({ userId, schoolId, role });
export const RevokedResult = s.object({ userId, schoolId, role, revoked: s.boolean() });
export const DeactivatedResult = s.object({ userId, deactivated: s.boolean() });
export const ErasedResult = s.object({ userId, erased: s.boolean() });
export const CohortResult = s.object({ cohortId: s.string('md-2030'), program: s.string('MD'), graduationYear: s.integer(2030), schoolId });
const rowErrors = s.array(s.object({ line: s.integer(3), reasons: s.array(s.string('role must be one of learner, coach')) }));
export const RosterResult = s.object({ imported: s.integer(40), skipped: s.integer(0), errors: rowErrors });
export const EnrolledResult = s.object({ userId, schoolId, cohortId: s.string('md-2030'), status: s.enum(['enrolled']) });
export const WithdrawnResult = s.object({ userId, schoolId, status: s.enum(['withdrawn']) });
export const GraduatedResult = s.object({ userId, schoolId, status: s.enum(['graduated']) });
export const MembersResult = s.object({
  schoolId,
  members: s.array(s.object({ userId, email: s.string('lea-1@demo-university.edu', { format: 'email' }), displayName: s.string('Lea Novak'), deactivated: s.boolean(false), roles: s.array(role) })),
});
export const SchoolsResult = s.object({ schools: s.array(s.object({ schoolId, name: s.string('School of Medicine') })) });
export const CohortsResult = s.object({
  schoolId,
  cohorts: s.array(s.object({
    cohortId: s.string('md-2030'), program: s.string('MD'), graduationYear: s.integer(2030),
    learners: s.array(s.object({ userId, status: s.enum(['enrolled', 'withdrawn', 'graduated']) })),
  })),
});
const policy = s.object({ yearsAfterLeaving: s.integer(7), reason: s.string('Student records act, section 4'), setAt: s.instant() });
export const RetentionPolicyResult = s.object({ schoolId, yearsAfterLeaving: s.integer(7), reason: s.string('Student records act, section 4'), version });
export const RetentionResult = s.object({
  schoolId,
  policy: s.nullable(policy),
  proposals: s.array(s.object({
    userId, name: s.nullable(s.string('Lea Novak')), leftAt: s.instant(), dueOn: s.date('2033-06-30'), policyYears: s.integer(7),
    status: s.enum(['pending', 'dismissed', 'erased']), proposedAt: s.instant(),
    dismissal: s.object({ reason: s.string('a pending legal claim'), keepUntil: s.date('2030-01-01'), at: s.instant() }, ['keepUntil']),
  }, ['dismissal'])),
});
export const SweepResult = s.object({ asOf: s.date('2033-07-01'), proposed: s.array(s.object({ schoolId, userId, dueOn: s.date('2033-06-30') })) });
export const DismissedResult = s.object({ schoolId, userId, status: s.enum(['dismissed']), keepUntil: s.date('2030-01-01') }, ['keepUntil']);
