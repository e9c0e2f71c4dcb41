import { IsEmail, IsIn, IsInt, IsNotEmpty, IsString, Max, MaxLength, Min } from 'class-validator';
import { Personal, PersonalSubject } from '../personal';
import { defineEvent } from '../catalog';
import { ROLES, Role } from '../roles';

export class InstitutionCreated {
  @IsString() @IsNotEmpty() institutionId: string;
  @IsString() @IsNotEmpty() @MaxLength(200) name: string;
}

export class SchoolCreated {
  @IsString() @IsNotEmpty() schoolId: string;
  @IsString() @IsNotEmpty() institutionId: string;
  @IsString() @IsNotEmpty() @MaxLength(200) name: string;
}

export class UserRegistered {
  @PersonalSubject() @IsString() @IsNotEmpty() userId: string;
  @Personal() @IsEmail() email: string;
  @Personal() @IsString() @IsNotEmpty() @MaxLength(200) displayName: string;
}

export class RoleGranted {
  @IsString() @IsNotEmpty() userId: string;
  @IsString() @IsNotEmpty() schoolId: string;
  @IsIn(ROLES) role: Role;
}

export class RoleRevoked {
  @IsString() @IsNotEmpty() userId: string;
  @IsString() @IsNotEmpty() schoolId: string;
  @IsIn(ROLES) role: Role;
}

export class UserDeactivated {
  @PersonalSubject() @IsString() @IsNotEmpty() userId: string;
  @Personal() @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

/** A cohort: the learners of one program expected to graduate in one year. */
export class CohortCreated {
  @IsString() @IsNotEmpty() cohortId: string;
  @IsString() @IsNotEmpty() schoolId: string;
  @IsString() @IsNotEmpty() @MaxLength(200) program: string;
  @IsInt() @Min(1950) @Max(2100) graduationYear: number;
}

export class LearnerEnrolled {
  @IsString() @IsNotEmpty() userId: string;
  @IsString() @IsNotEmpty() schoolId: string;
  @IsString() @IsNotEmpty() cohortId: string;
}

export class LearnerWithdrawn {
  @PersonalSubject() @IsString() @IsNotEmpty() userId: string;
  @IsString() @IsNotEmpty() schoolId: string;
  @IsString() @IsNotEmpty() cohortId: string;
  @Personal() @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

export class LearnerGraduated {
  @IsString() @IsNotEmpty() userId: string;
  @IsString() @IsNotEmpty() schoolId: string;
  @IsString() @IsNotEmpty() cohortId: string;
}

/**
 * An institution admin erased a person (on request or at the end of retention): every service destroys its data key
 * for them, so their personal fields read as "[erased]" everywhere, and re-projects its read models. No personal data.
 */
export class SubjectErased {
  @IsString() @IsNotEmpty() userId: string;
}

export const IdentityEvents = {
  InstitutionCreated: defineEvent('identity.institution-created', InstitutionCreated),
  SchoolCreated: defineEvent('identity.school-created', SchoolCreated),
  UserRegistered: defineEvent('identity.user-registered', UserRegistered),
  RoleGranted: defineEvent('identity.role-granted', RoleGranted),
  RoleRevoked: defineEvent('identity.role-revoked', RoleRevoked),
  UserDeactivated: defineEvent('identity.user-deactivated', UserDeactivated),
  CohortCreated: defineEvent('identity.cohort-created', CohortCreated),
  LearnerEnrolled: defineEvent('identity.learner-enrolled', LearnerEnrolled),
  LearnerWithdrawn: defineEvent('identity.learner-withdrawn', LearnerWithdrawn),
  LearnerGraduated: defineEvent('identity.learner-graduated', LearnerGraduated),
  SubjectErased: defineEvent('identity.subject-erased', SubjectErased),
};
