import { ApiExample } from '@cbme/service-runtime';
import { CALENDAR_DATE, Role } from '@cbme/contracts';
import { IsBoolean, IsEmail, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;
const USER_ID = /^[\w.@:-]{1,128}$/;
export const SCHOOL_ROLES: Role[] = ['learner', 'coach', 'coaching-lead', 'committee-member', 'school-admin'];

export class CreateInstitutionDto {
  @ApiExample('Demo University')
  @IsString() @IsNotEmpty() @MaxLength(200) name: string;
}

export class CreateSchoolDto {
  @ApiExample('medicine')
  @Matches(SLUG, { message: 'schoolId must be a lower-case slug like "medicine"' }) schoolId: string;
  @ApiExample('School of Medicine')
  @IsString() @IsNotEmpty() @MaxLength(200) name: string;
}

export class RegisterUserDto {
  @ApiExample('lea-1')
  @IsOptional() @Matches(USER_ID, { message: 'userId may hold letters, digits and . _ @ : - (at most 128)' }) userId?: string;
  @ApiExample('lea-1@demo-university.edu')
  @IsEmail() email: string;
  @ApiExample('Lea Novak')
  @IsString() @IsNotEmpty() @MaxLength(200) displayName: string;
  @ApiExample('learner')
  @IsIn(SCHOOL_ROLES) role: Role;
  @ApiExample('correct horse battery', { description: 'an initial password for local sign-in (optional: single sign-on needs none)' })
  @IsOptional() @IsString() @MinLength(12) @MaxLength(200) password?: string;
}

export class GrantRoleDto {
  @ApiExample('medicine')
  @Matches(SLUG, { message: 'schoolId must be a lower-case slug like "medicine"' }) schoolId: string;
  @ApiExample('coach')
  @IsIn(SCHOOL_ROLES) role: Role;
}

export class ListMembersQueryDto {
  @IsOptional() @IsIn(SCHOOL_ROLES) role?: Role;
}

export class LoginDto {
  @ApiExample('admin@demo-university.edu')
  @IsEmail() email: string;
  @ApiExample('coaching-demo-2026')
  @IsString() @IsNotEmpty() @MaxLength(200) password: string;
}

export class RefreshDto {
  @ApiExample('9f2c7c1e0b7d4a4e8f1a2b3c4d5e6f70')
  @IsString() @IsNotEmpty() @MaxLength(200) refreshToken: string;
}

export class DeactivateUserDto {
  @ApiExample('left the institution')
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

export class EraseSubjectDto {
  /** the id of the person to erase, once more */
  @ApiExample('lea-1')
  @IsString() @IsNotEmpty() @MaxLength(200) confirm: string;
}

export class CreateCohortDto {
  @ApiExample('md-2030')
  @Matches(SLUG, { message: 'cohortId must be a lower-case slug like "md-2030"' }) cohortId: string;
  @ApiExample('MD')
  @IsString() @IsNotEmpty() @MaxLength(200) program: string;
  @ApiExample(2030)
  @IsInt() @Min(1950) @Max(2100) graduationYear: number;
}

export class EnrollDto {
  @ApiExample('medicine')
  @Matches(SLUG, { message: 'schoolId must be a lower-case slug like "medicine"' }) schoolId: string;
  @ApiExample('md-2030')
  @Matches(SLUG, { message: 'cohortId must be a lower-case slug like "md-2030"' }) cohortId: string;
}

export class WithdrawDto {
  @ApiExample('medicine')
  @Matches(SLUG, { message: 'schoolId must be a lower-case slug like "medicine"' }) schoolId: string;
  @ApiExample('personal reasons')
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

export class GraduateDto {
  @ApiExample('medicine')
  @Matches(SLUG, { message: 'schoolId must be a lower-case slug like "medicine"' }) schoolId: string;
}

/** A roster file: CSV with the header email,displayName,role[,cohortId]. */
export class ImportRosterDto {
  @ApiExample('email,displayName,role,cohortId\nlea-2@demo-university.edu,Lea Two,learner,md-2030\n')
  @IsString() @IsNotEmpty() @MaxLength(2_000_000) csv: string;
  @ApiExample(false, { description: 'import the valid rows even when others are bad (default: nothing unless every row is valid)' })
  @IsOptional() @IsBoolean() validRowsOnly?: boolean;
}

export class SsoStartQueryDto {
  @ApiExample('/learner/goals', { description: 'where the client wants to go afterwards: a path on its own site, echoed back by the callback (never redirected to)' })
  @IsOptional() @MaxLength(2000) @Matches(/^\/(?![/\\])\S*$/, { message: 'returnTo must be a path starting with a single /' }) returnTo?: string;
}

/** The provider's authorization response (RFC 6749 4.1.2 and 4.1.2.1, RFC 9207 iss, OIDC session_state). */
export class SsoCallbackQueryDto {
  @ApiExample('k3J9xQ')
  @IsString() @IsNotEmpty() @MaxLength(500) state: string;
  @ApiExample('SplxlOBeZQQYbYS6WxSbIA')
  @IsOptional() @IsString() @MaxLength(4000) code?: string;
  @ApiExample('https://login.demo-university.edu')
  @IsOptional() @IsString() @MaxLength(2000) iss?: string;
  @ApiExample('c8d1a2')
  @IsOptional() @IsString() @MaxLength(500) session_state?: string;
  @ApiExample('access_denied')
  @IsOptional() @IsString() @MaxLength(200) error?: string;
  @ApiExample('the user cancelled')
  @IsOptional() @IsString() @MaxLength(2000) error_description?: string;
  @ApiExample('https://login.demo-university.edu/errors/access_denied')
  @IsOptional() @IsString() @MaxLength(2000) error_uri?: string;
}

/** Shapes only: the policy's rules (1..50 years, a reason) are the decider's, refused with 422. */
export class RetentionPolicyDto {
  @ApiExample(7, { description: 'years after a learner left the school (graduated or withdrew), 1 to 50' })
  @IsInt() yearsAfterLeaving: number;
  @ApiExample('Student records act, section 4: seven years after leaving')
  @IsString() @MaxLength(500) reason: string;
}

export class RetentionSweepDto {
  @ApiExample('2033-07-01', { description: 'propose what is due as of this date (default: today, UTC)' })
  @IsOptional() @Matches(CALENDAR_DATE, { message: 'asOf must be a date (YYYY-MM-DD)' }) asOf?: string;
}

export class DismissErasureProposalDto {
  @ApiExample('a pending legal claim')
  @IsString() @MaxLength(500) reason: string;
  @ApiExample('2030-01-01', { description: 'propose no erasure before this date (without one: a year from today)' })
  @IsOptional() @Matches(CALENDAR_DATE, { message: 'keepUntil must be a date (YYYY-MM-DD)' }) keepUntil?: string;
}
