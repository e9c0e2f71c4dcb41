import { EndReason, Role } from '@cbme/contracts';
import { LearnerActivity } from '@cbme/coaching-domain';

/** People and roles per school, as this service learned them from identity's events (no call to identity). */
export interface Directory {
  rolesOf(schoolId: string, userId: string): Promise<Role[]>;
  /** where notifications go; null when identity never told us */
  contactOf(userId: string): Promise<{ email: string; displayName: string } | null>;
  /** display names of those identity told us about (a lookup by `_id` each); others are left out */
  displayNamesOf(userIds: string[]): Promise<Map<string, string>>;
}
export const DIRECTORY = Symbol('DIRECTORY');

export type RelationshipStatus = 'active' | 'paused' | 'ended';

export interface RelationshipView {
  relationshipId: string;
  learnerId: string;
  coachId: string;
  status: RelationshipStatus;
  startedAt: string;
  /** when the platform recorded the start, if later than it occurred (a history import) */
  recordedAt?: string;
  assignedBy: string;
  capacityOverride?: string;
  endedAt?: string;
  /** why it ended: an end reason, or "transferred" when the learner moved to another coach */
  endReason?: EndReason | 'transferred';
  note?: string;
  pausedReason?: string;
  needsReassignment?: boolean;
}

export interface RelationshipFilter {
  coachId?: string;
  learnerId?: string;
  /** only active and paused relationships */
  currentOnly?: boolean;
}

export interface Relationships {
  list(schoolId: string, filter: RelationshipFilter): Promise<RelationshipView[]>;
  /** current (active or paused) relationships of a coach in every school (for the departure process) */
  currentOfCoachEverywhere(coachId: string): Promise<(RelationshipView & { schoolId: string })[]>;
  /** current relationships in every school (for the cadence check) */
  currentEverywhere(): Promise<(RelationshipView & { schoolId: string })[]>;
}
export const RELATIONSHIPS = Symbol('RELATIONSHIPS');

export interface ProgramSettings {
  meetingCadenceDays: number;
  defaultCoachCapacity: number;
}

/** A school's program settings and coaches' capacities (defaults when none were set). */
/** A coach's capacity; `set` when a lead set the coach's own (else the program's default applies). */
export interface CoachCapacityView {
  coachId: string;
  capacity: number;
  set?: { by: string; at: string; reason?: string };
}

export interface CoachingSettings {
  program(schoolId: string): Promise<ProgramSettings>;
  capacityOf(schoolId: string, coachId: string): Promise<number>;
  /** each coach's capacity and who set it, in the order asked */
  capacitiesOf(schoolId: string, coachIds: string[]): Promise<CoachCapacityView[]>;
}
export const COACHING_SETTINGS = Symbol('COACHING_SETTINGS');

export type MeetingStatusView = 'scheduled' | 'held' | 'missed' | 'cancelled';

export interface MeetingView {
  meetingId: string;
  relationshipId: string;
  learnerId: string;
  coachId: string;
  startsAt: string;
  durationMinutes: number;
  location?: string;
  status: MeetingStatusView;
  heldAt?: string;
  /** when the platform recorded the booking, if later than it occurred (a history import) */
  recordedAt?: string;
}

export interface Meetings {
  list(schoolId: string, filter: { coachId?: string; learnerId?: string; status?: MeetingStatusView }): Promise<MeetingView[]>;
  /** scheduled meetings of a coach in every school (for the departure process) */
  scheduledOfCoachEverywhere(coachId: string): Promise<(MeetingView & { schoolId: string })[]>;
}
export const MEETINGS = Symbol('MEETINGS');

/** What learners did in other services (dialogues, goals, plans, assessments), from their published events. */
export interface LearnerActivityLog {
  of(schoolId: string, learnerId: string): Promise<LearnerActivity[]>;
}
export const LEARNER_ACTIVITY = Symbol('LEARNER_ACTIVITY');

/**
 * What the home pages read, each answer a few lookups by `_id` (the only filter every MongoDB-compatible server
 * answers from an index): one document per school holds its relationships, one per learner and school their meetings.
 */
export interface CoachingOverview {
  /** the school's relationships, oldest first */
  relationships(schoolId: string, filter: RelationshipFilter): Promise<RelationshipView[]>;
  /** each learner's meetings in the school, in the order asked */
  meetingsOf(schoolId: string, learnerIds: string[]): Promise<MeetingView[][]>;
}
export const COACHING_OVERVIEW = Symbol('COACHING_OVERVIEW');

/** From identity's events: who holds a role in a school (one document per school and role). */
export interface SchoolMembers {
  /** users holding `role` in the school (not revoked) */
  membersWithRole(schoolId: string, role: Role): Promise<string[]>;
}
export const SCHOOL_MEMBERS = Symbol('SCHOOL_MEMBERS');

/**
 * Sends each message once per `key` (the service's notification outbox records the intent before anything leaves, so a
 * second call with the key sends nothing). Resolves once the intent is recorded; `channel` names how it leaves.
 */
export interface NotificationChannel {
  readonly channel: string;
  notify(message: { key: string; to: string; subject: string; text: string }): Promise<void>;
}
export const NOTIFICATION_CHANNEL = Symbol('NOTIFICATION_CHANNEL');

export interface ReminderJob {
  institutionId: string;
  schoolId: string;
  meetingId: string;
  startsAt: string;
  /** of the request that scheduled or moved the meeting */
  correlationId: string;
}

/** Delayed reminder jobs: one per meeting and start time; a moved meeting moves its job. */
export interface ReminderScheduler {
  schedule(reminder: ReminderJob): Promise<void>;
  unschedule(reminder: { meetingId: string; startsAt: string }): Promise<void>;
}
export const REMINDER_SCHEDULER = Symbol('REMINDER_SCHEDULER');

export interface CommunityMembershipView {
  coachId: string;
  joinedAt: string;
  leftAt?: string;
}

export interface CommunityView {
  communityId: string;
  name: string;
  createdAt: string;
  /** every coach who ever belonged, current ones without `leftAt` */
  memberships: CommunityMembershipView[];
}

/** Learning communities ("houses") of a school and who belongs to them. */
export interface Communities {
  list(schoolId: string): Promise<CommunityView[]>;
}
export const COMMUNITIES = Symbol('COMMUNITIES');
