import { Role } from '@cbme/contracts';
import { IsBoolean, IsEmail, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;
const USER_ID = /^[\w.@:-]{1,128}$/;
export const SCHOOL_ROLES: Role[] = ['learner', 'coach', 'coaching-lead', 'committee-member', 'school-admin'];

export class CreateInstitutionDto {
  @IsString() @IsNotEmpty() @MaxLength(200) name: string;
}

export class CreateSchoolDto {
  @Matches(SLUG, { message: 'schoolId must be a lower-case slug like "medicine"' }) schoolId: string;
  @IsString() @IsNotEmpty() @MaxLength(200) name: string;
}

export class RegisterUserDto {
  @IsOptional() @Matches(USER_ID, { message: 'userId may hold letters, digits and . _ @ : - (at most 128)' }) userId?: string;
  @IsEmail() email: string;
  @IsString() @IsNotEmpty() @MaxLength(200) displayName: string;
  @IsIn(SCHOOL_ROLES) role: Role;
  /** an initial password for local sign-in (optional: single sign-on needs none) */
  @IsOptional() @IsString() @MinLength(12) @MaxLength(200) password?: string;
}

export class GrantRoleDto {
  @Matches(SLUG, { message: 'schoolId must be a lower-case slug like "medicine"' }) schoolId: string;
  @IsIn(SCHOOL_ROLES) role: Role;
}

export class ListMembersQueryDto {
  @IsOptional() @IsIn(SCHOOL_ROLES) role?: Role;
}

export class LoginDto {
  @IsEmail() email: string;
  @IsString() @IsNotEmpty() @MaxLength(200) password: string;
}

export class RefreshDto {
  @IsString() @IsNotEmpty() @MaxLength(200) refreshToken: string;
}

export class DeactivateUserDto {
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

export class CreateCohortDto {
  @Matches(SLUG, { message: 'cohortId must be a lower-case slug like "md-2030"' }) cohortId: string;
  @IsString() @IsNotEmpty() @MaxLength(200) program: string;
  @IsInt() @Min(1950) @Max(2100) graduationYear: number;
}

export class EnrollDto {
  @Matches(SLUG, { message: 'schoolId must be a lower-case slug like "medicine"' }) schoolId: string;
  @Matches(SLUG, { message: 'cohortId must be a lower-case slug like "md-2030"' }) cohortId: string;
}

export class WithdrawDto {
  @Matches(SLUG, { message: 'schoolId must be a lower-case slug like "medicine"' }) schoolId: string;
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

export class GraduateDto {
  @Matches(SLUG, { message: 'schoolId must be a lower-case slug like "medicine"' }) schoolId: string;
}

/** A roster file: CSV with the header email,displayName,role[,cohortId]. */
export class ImportRosterDto {
  @IsString() @IsNotEmpty() @MaxLength(2_000_000) csv: string;
  /** import the valid rows even when others are bad (default: nothing unless every row is valid) */
  @IsOptional() @IsBoolean() validRowsOnly?: boolean;
}

export class SsoStartQueryDto {
  /** where the client wants to go afterwards: a path on its own site, echoed back by the callback (never redirected to) */
  @IsOptional() @MaxLength(2000) @Matches(/^\/(?![/\\])\S*$/, { message: 'returnTo must be a path starting with a single /' }) returnTo?: string;
}

/** The provider's authorization response (RFC 6749 4.1.2 and 4.1.2.1, RFC 9207 iss, OIDC session_state). */
export class SsoCallbackQueryDto {
  @IsString() @IsNotEmpty() @MaxLength(500) state: string;
  @IsOptional() @IsString() @MaxLength(4000) code?: string;
  @IsOptional() @IsString() @MaxLength(2000) iss?: string;
  @IsOptional() @IsString() @MaxLength(500) session_state?: string;
  @IsOptional() @IsString() @MaxLength(200) error?: string;
  @IsOptional() @IsString() @MaxLength(2000) error_description?: string;
  @IsOptional() @IsString() @MaxLength(2000) error_uri?: string;
}
