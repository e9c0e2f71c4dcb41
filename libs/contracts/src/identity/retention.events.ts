import { IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { defineEvent } from '../catalog';
import { Personal, PersonalSubject } from '../personal';

/** a calendar date, YYYY-MM-DD */
export const CALENDAR_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const RETENTION_YEARS = { min: 1, max: 50 } as const;

/**
 * Retention (issue 16): how long a school keeps a learner's personal data after they left it (graduated or withdrew).
 * The reason is the school's (a regulation, a board decision), not personal.
 */
export class RetentionPolicySet {
  @IsString() @IsNotEmpty() schoolId: string;
  @IsInt() @Min(RETENTION_YEARS.min) @Max(RETENTION_YEARS.max) yearsAfterLeaving: number;
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

/** A learner's retention ran out: an institution admin is asked to erase them (`identity.subject-erased`) or to dismiss. */
export class ErasureProposed {
  @PersonalSubject() @IsString() @IsNotEmpty() userId: string;
  @IsString() @IsNotEmpty() schoolId: string;
  /** when they left the school (the occurredAt of their graduation or withdrawal) */
  @IsISO8601({ strict: true }) leftAt: string;
  @Matches(CALENDAR_DATE) dueOn: string;
  @IsInt() @Min(RETENTION_YEARS.min) @Max(RETENTION_YEARS.max) policyYears: number;
}

/** An admin keeps the learner's data for now (a legal hold, a pending claim): the reason is personal text about them. */
export class ErasureProposalDismissed {
  @PersonalSubject() @IsString() @IsNotEmpty() userId: string;
  @IsString() @IsNotEmpty() schoolId: string;
  @Personal() @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
  /** no new proposal before this date (none: the next sweep may propose again) */
  @IsOptional() @Matches(CALENDAR_DATE) keepUntil?: string;
}

/**
 * Identity's own events, never published: other services need only the erasure itself (`identity.subject-erased`),
 * and a dismissal's reason is personal text that has no business on Kafka.
 */
export const RetentionEvents = {
  RetentionPolicySet: defineEvent('identity.retention-policy-set', RetentionPolicySet),
  ErasureProposed: defineEvent('identity.erasure-proposed', ErasureProposed),
  ErasureProposalDismissed: defineEvent('identity.erasure-proposal-dismissed', ErasureProposalDismissed),
};
