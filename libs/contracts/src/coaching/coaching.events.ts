import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { defineEvent } from '../catalog';

/* Relationship events live in one stream per learner and school: the learner's whole coaching history. */

export class CoachAssigned {
  @IsString() @IsNotEmpty() relationshipId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() coachId: string;
  /** set when a lead assigned beyond the coach's capacity, with why */
  @IsOptional() @IsString() @MaxLength(500) capacityOverride?: string;
}

/** The current relationship ends and a new one with another coach begins, in one event. */
export class LearnerTransferred {
  @IsString() @IsNotEmpty() relationshipId: string;
  @IsString() @IsNotEmpty() newRelationshipId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() fromCoachId: string;
  @IsString() @IsNotEmpty() toCoachId: string;
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
  @IsOptional() @IsString() @MaxLength(500) capacityOverride?: string;
}

export class RelationshipPaused {
  @IsString() @IsNotEmpty() relationshipId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() coachId: string;
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

/** v2 adds why it resumed (optional: v1 events carry none). */
export class RelationshipResumed {
  @IsString() @IsNotEmpty() relationshipId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() coachId: string;
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export const END_REASONS = ['graduated', 'withdrawn', 'coach-left', 'other'] as const;
export type EndReason = (typeof END_REASONS)[number];

export class RelationshipEnded {
  @IsString() @IsNotEmpty() relationshipId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() coachId: string;
  @IsIn(END_REASONS) reason: EndReason;
  @IsOptional() @IsString() @MaxLength(500) note?: string;
}

/** The learner has no coach through no choice of theirs (the coach left) and a lead must assign one. */
export class ReassignmentFlagged {
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() formerCoachId: string;
  @IsString() @IsNotEmpty() relationshipId: string;
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

/** No meeting held within the program's cadence; flagged once per missed due date. */
export class CadenceFellBehind {
  @IsString() @IsNotEmpty() relationshipId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() coachId: string;
  @IsOptional() @IsISO8601({ strict: true }) lastMeetingAt?: string;
  @IsISO8601({ strict: true }) dueBy: string;
}

/* Per school: the coaching program's expectations; per coach and school: capacity. */

export class ProgramConfigured {
  @IsInt() @Min(7) @Max(365) meetingCadenceDays: number;
  @IsInt() @Min(1) @Max(200) defaultCoachCapacity: number;
}

/** v2 adds why the capacity changed (optional: v1 events carry none). */
export class CoachCapacitySet {
  @IsString() @IsNotEmpty() coachId: string;
  @IsInt() @Min(0) @Max(200) capacity: number;
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

/* Learning communities ("houses"): coaches grouped with their learners. */

export class CommunityCreated {
  @IsString() @IsNotEmpty() communityId: string;
  @IsString() @IsNotEmpty() @MaxLength(200) name: string;
}

export class CommunityCoachJoined {
  @IsString() @IsNotEmpty() communityId: string;
  @IsString() @IsNotEmpty() coachId: string;
}

export class CommunityCoachLeft {
  @IsString() @IsNotEmpty() communityId: string;
  @IsString() @IsNotEmpty() coachId: string;
}

/*
 * Community sessions (coach meetings, faculty development), in their community's stream. These are the published
 * forms: no free text beyond title and topics (the stored forms in coaching add the location and the reasons).
 */

export const COMMUNITY_SESSION_KINDS = ['coach-meeting', 'faculty-development'] as const;
export type CommunitySessionKind = (typeof COMMUNITY_SESSION_KINDS)[number];

export class CommunitySessionScheduled {
  @IsString() @IsNotEmpty() communityId: string;
  @IsString() @IsNotEmpty() sessionId: string;
  @IsIn(COMMUNITY_SESSION_KINDS) kind: CommunitySessionKind;
  @IsString() @IsNotEmpty() @MaxLength(200) title: string;
  @IsISO8601({ strict: true }) startsAt: string;
  @IsInt() @Min(5) @Max(600) durationMinutes: number;
}

export class CommunitySessionRescheduled {
  @IsString() @IsNotEmpty() communityId: string;
  @IsString() @IsNotEmpty() sessionId: string;
  @IsISO8601({ strict: true }) startsAt: string;
  @IsInt() @Min(5) @Max(600) durationMinutes: number;
}

export class CommunitySessionCancelled {
  @IsString() @IsNotEmpty() communityId: string;
  @IsString() @IsNotEmpty() sessionId: string;
}

/** `absentees`: the community's members at the session's start who did not attend, so each event stands on its own. */
export class CommunitySessionHeld {
  @IsString() @IsNotEmpty() communityId: string;
  @IsString() @IsNotEmpty() sessionId: string;
  @IsIn(COMMUNITY_SESSION_KINDS) kind: CommunitySessionKind;
  @IsISO8601({ strict: true }) startsAt: string;
  @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(120, { each: true }) topics: string[];
  @IsArray() @ArrayMaxSize(500) @IsString({ each: true }) attendees: string[];
  @IsArray() @ArrayMaxSize(500) @IsString({ each: true }) absentees: string[];
}

/* Meetings: one stream per meeting. */

export class MeetingScheduled {
  @IsString() @IsNotEmpty() meetingId: string;
  @IsString() @IsNotEmpty() relationshipId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() coachId: string;
  @IsISO8601({ strict: true }) startsAt: string;
  @IsInt() @Min(5) @Max(480) durationMinutes: number;
  @IsOptional() @IsString() @MaxLength(200) location?: string;
}

export class MeetingRescheduled {
  @IsString() @IsNotEmpty() meetingId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() coachId: string;
  @IsISO8601({ strict: true }) startsAt: string;
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export class MeetingCancelled {
  @IsString() @IsNotEmpty() meetingId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() coachId: string;
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

export const NOTE_VISIBILITIES = ['coach-only', 'shared-with-learner'] as const;
export type NoteVisibility = (typeof NOTE_VISIBILITIES)[number];

/** Published form of a note: who may read it and how long it is; the text stays in the coaching service. */
export class MeetingNoteSummary {
  @IsIn(NOTE_VISIBILITIES) visibility: NoteVisibility;
  @IsInt() @Min(0) wordCount: number;
}

export class MeetingHeld {
  @IsString() @IsNotEmpty() meetingId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() coachId: string;
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(300, { each: true }) agenda: string[];
  @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => MeetingNoteSummary) notes: MeetingNoteSummary[];
}

/** Someone of the meeting put an item on a scheduled meeting's agenda (e.g. a gap between self-rating and others' view). */
export class MeetingAgendaItemAdded {
  @IsString() @IsNotEmpty() meetingId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() coachId: string;
  @IsString() @IsNotEmpty() @MaxLength(300) item: string;
  /** the competency the item is about, when it came from one */
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9._-]{1,40}$/) competency?: string;
}

export class MeetingMissed {
  @IsString() @IsNotEmpty() meetingId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() coachId: string;
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

/** Recorded after the channel accepted the reminder, once per recipient and meeting time. */
export class MeetingReminderSent {
  @IsString() @IsNotEmpty() meetingId: string;
  @IsString() @IsNotEmpty() recipientId: string;
  @IsISO8601({ strict: true }) startsAt: string;
  @IsString() @IsNotEmpty() channel: string;
}

/* The process that follows a coach's deactivation: one stream per departing coach. */

export class DepartureStep {
  @IsString() @IsNotEmpty() schoolId: string;
  @IsString() @IsNotEmpty() id: string;
}

export class CoachDepartureStarted {
  @IsString() @IsNotEmpty() coachId: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => DepartureStep) learnersToReassign: DepartureStep[];
  @IsArray() @ValidateNested({ each: true }) @Type(() => DepartureStep) meetingsToCancel: DepartureStep[];
}

export class CoachDepartureCompleted {
  @IsString() @IsNotEmpty() coachId: string;
  @IsInt() @Min(0) learnersFlagged: number;
  @IsInt() @Min(0) meetingsCancelled: number;
}

/** v1 of an event that later took an optional reason: the same payload, recorded without one. */
const withoutReason = (v1: Record<string, unknown>) => v1;

export const CoachingEvents = {
  CoachAssigned: defineEvent('coaching.coach-assigned', CoachAssigned),
  LearnerTransferred: defineEvent('coaching.learner-transferred', LearnerTransferred),
  RelationshipPaused: defineEvent('coaching.relationship-paused', RelationshipPaused),
  RelationshipResumed: defineEvent('coaching.relationship-resumed', RelationshipResumed, { schemaVersion: 2, upcasters: { 1: withoutReason } }),
  RelationshipEnded: defineEvent('coaching.relationship-ended', RelationshipEnded),
  ReassignmentFlagged: defineEvent('coaching.reassignment-flagged', ReassignmentFlagged),
  CadenceFellBehind: defineEvent('coaching.cadence-fell-behind', CadenceFellBehind),
  ProgramConfigured: defineEvent('coaching.program-configured', ProgramConfigured),
  CoachCapacitySet: defineEvent('coaching.coach-capacity-set', CoachCapacitySet, { schemaVersion: 2, upcasters: { 1: withoutReason } }),
  CommunityCreated: defineEvent('coaching.community-created', CommunityCreated),
  CommunityCoachJoined: defineEvent('coaching.community-coach-joined', CommunityCoachJoined),
  CommunityCoachLeft: defineEvent('coaching.community-coach-left', CommunityCoachLeft),
  CommunitySessionScheduled: defineEvent('coaching.community-session-scheduled', CommunitySessionScheduled),
  CommunitySessionRescheduled: defineEvent('coaching.community-session-rescheduled', CommunitySessionRescheduled),
  CommunitySessionCancelled: defineEvent('coaching.community-session-cancelled', CommunitySessionCancelled),
  CommunitySessionHeld: defineEvent('coaching.community-session-held', CommunitySessionHeld),
  MeetingScheduled: defineEvent('coaching.meeting-scheduled', MeetingScheduled),
  MeetingRescheduled: defineEvent('coaching.meeting-rescheduled', MeetingRescheduled),
  MeetingCancelled: defineEvent('coaching.meeting-cancelled', MeetingCancelled),
  MeetingHeld: defineEvent('coaching.meeting-held', MeetingHeld),
  MeetingMissed: defineEvent('coaching.meeting-missed', MeetingMissed),
  MeetingAgendaItemAdded: defineEvent('coaching.meeting-agenda-item-added', MeetingAgendaItemAdded),
  MeetingReminderSent: defineEvent('coaching.meeting-reminder-sent', MeetingReminderSent),
  CoachDepartureStarted: defineEvent('coaching.coach-departure-started', CoachDepartureStarted),
  CoachDepartureCompleted: defineEvent('coaching.coach-departure-completed', CoachDepartureCompleted),
};
