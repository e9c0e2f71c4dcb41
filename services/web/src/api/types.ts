/** What the services answer, as far as the pages read it (the OpenAPI pages at /api/<service>/docs have all of it). */
export interface Meeting {
  meetingId: string;
  relationshipId: string;
  learnerId: string;
  coachId: string;
  startsAt: string;
  durationMinutes: number;
  location?: string | null;
  status: 'scheduled' | 'held' | 'missed' | 'cancelled';
  heldAt?: string | null;
}

export interface LearnerCoaching {
  learnerId: string;
  currentCoach: { coachId: string; coachName?: string; relationshipId: string; status: 'active' | 'paused'; since: string } | null;
  history: { relationshipId: string; coachId: string; status: string; startedAt: string; endedAt?: string | null }[];
  meetings: Meeting[];
}

export interface DialogueSummary {
  dialogueId: string;
  coachId: string | null;
  topic: string;
  competencies: string[];
  status: 'open' | 'closed';
  openedAt: string;
  closedAt: string | null;
  lastActivityAt: string;
  lastActivityBy: string;
  entries: number;
  openActionItems: number;
  /** those items (the list carries them so a home page need not read each dialogue); overdue as of the request */
  openActions: OpenAction[];
  awaiting: 'learner' | 'coach' | null;
}

export interface Entry {
  entryId: string;
  authorId: string;
  visibility: 'private' | 'shared';
  text: string;
  at: string;
  kind: 'comment' | 'reflection' | string;
  /** the coach's or an assessor's ratings of the dialogue's competencies (1–5) */
  ratings?: { competency: string; level: number }[];
}

/** An action item neither done nor dropped, as the dialogue list carries it. */
export interface OpenAction {
  actionId: string;
  description: string;
  ownerId: string;
  dueDate: string | null;
  agreedAt: string;
  /** past its due date when the list was answered (the service judges it) */
  overdue: boolean;
}

export interface ActionItem {
  actionId: string;
  description: string;
  ownerId: string;
  dueDate?: string | null;
  agreedBy?: string;
  at?: string;
  status: 'open' | 'done' | 'dropped';
  overdue: boolean;
  /** who marked it done, when, and what came of it (null outcome: done before outcomes were asked) */
  done?: { by: string; at: string; outcome: string | null } | null;
  /** who dropped it, when and why */
  dropped?: { by: string; at: string; reason: string } | null;
}

export interface Dialogue {
  dialogueId: string;
  learnerId: string;
  coachId: string | null;
  topic: string;
  competencies: string[];
  context: { course?: string; rotation?: string; date?: string } | null;
  status: 'open' | 'closed';
  openedAt: string;
  entries: Entry[];
  actionItems: ActionItem[];
  version: number;
}

export type GoalStatus = 'draft' | 'active' | 'achieved' | 'abandoned' | 'deferred';

export interface GoalSummary {
  goalId: string;
  learnerId: string;
  description: string;
  measureOfSuccess?: string | null;
  competencies: string[];
  targetDate: string;
  status: GoalStatus;
  visibility: 'private' | 'shared';
  lastRevisedAt: string | null;
  /** the dialogues and results the goal is linked to now */
  links?: GoalLink[];
  version: number;
}

export interface GoalLink {
  kind: 'dialogue' | 'assessment-result';
  targetId: string;
  at?: string;
}

export interface Reflection {
  entryId: string;
  dialogueId: string;
  topic: string;
  text: string;
  visibility: 'private' | 'shared';
  at: string;
}

export interface ReflectionsPage {
  learnerId: string;
  total: number;
  page: number;
  pageSize: number;
  reflections: Reflection[];
}

export interface Goal extends Omit<GoalSummary, 'lastRevisedAt' | 'links'> {
  createdAt: string;
  revisions: { description: string; targetDate: string; rationale: string; at: string; by: string }[];
  statusChanges: { from: GoalStatus; to: GoalStatus; note?: string | null; at: string; by: string }[];
  progressNotes: { noteId: string; note: string; at: string; by: string }[];
  links: GoalLink[];
}

export interface FocusArea {
  focusId: string;
  title: string;
  competencies: string[];
}

export interface PlanVersion {
  version: number;
  at: string;
  by: string;
  focusAreas: FocusArea[];
  goalIds: string[];
  nextReviewDue: string;
  rationale: string | null;
}

export interface Plan {
  status: 'active' | 'none' | string;
  planId?: string;
  learnerId: string;
  version: number;
  focusAreas: FocusArea[];
  goalIds: string[];
  nextReviewDue?: string;
  reviews: { whatChanged: string; nextSteps: string[]; nextReviewDue: string; at: string; by: string }[];
  versions: PlanVersion[];
}

export interface TimelineItem {
  eventId: string;
  type: string;
  category: string;
  at: string;
  /** when the platform stored it: later than `at` for a record imported with its original date */
  recordedAt: string;
  actor: { userId: string; role: string };
  /** under a framework version when one was asked for */
  competencies: string[];
  /** the codes as recorded (only when read under a framework version) */
  recordedCompetencies?: string[];
  visibility: string;
  source: string;
  data: Record<string, unknown>;
}

export interface TimelinePage {
  learnerId: string;
  access: string;
  total: number;
  page: number;
  pageSize: number;
  items: TimelineItem[];
}

export interface Coachee {
  learnerId: string;
  displayName: string;
  relationshipId: string;
  status: 'active' | 'paused';
  since: string;
  lastMeetingAt: string | null;
  nextMeeting: Meeting | null;
  nextDueBy: string | null;
  behindCadence: boolean;
  newSinceLastMeeting: Record<string, number>;
}

export interface Coachees {
  coachId: string;
  meetingCadenceDays: number;
  coachees: Coachee[];
}

export interface Roster {
  schoolId: string;
  program: { meetingCadenceDays: number; defaultCoachCapacity: number };
  unassigned: { learnerId: string; learnerName: string; needsReassignment: boolean }[];
  coachLoad: CoachLoad[];
  behindCadence: { relationshipId: string; learnerId: string; learnerName: string; coachId: string; coachName: string; dueBy: string }[];
}

/** A coach's load against capacity: who set the coach's own capacity and why, and each learner taken beyond it. */
export interface CoachLoad {
  coachId: string;
  coachName: string;
  load: number;
  capacity: number;
  overCapacity: boolean;
  capacitySet?: { by: string; byName: string; at: string; reason?: string };
  overrides: { relationshipId: string; learnerId: string; learnerName: string; by: string; byName: string; at: string; reason: string }[];
}

/** A meeting with what its stream tells: agenda, the notes the reader may see, every move, why it was settled. */
export interface MeetingRecord extends Meeting {
  coachName: string;
  agenda: string[];
  notes: { visibility: 'coach-only' | 'shared-with-learner'; wordCount: number; text: string }[];
  moves: { from: string; to: string; at: string; by: string; reason?: string }[];
  settledAt?: string;
  settledBy?: string;
  reason?: string;
}

export interface MeetingHistory {
  learnerId: string;
  total: number;
  page: number;
  pageSize: number;
  next: MeetingRecord[];
  meetings: MeetingRecord[];
}

export interface SelfAssessment {
  assessmentId: string;
  ratings: { competency: string; level: number }[];
  at: string;
}

export interface AssessmentResult {
  resultId: string;
  competencies: string[];
  kind: string;
  instrument: string;
  score: number;
  maxScore: number;
  assessedOn: string;
  importedAt: string;
  /** on the framework's 1–5 scale, as feedback brings results onto it (null without a usable maximum) */
  level: number | null;
}

/** identity: a school's people (GET /schools/:s/users) */
export interface Member {
  userId: string;
  email: string;
  displayName: string;
  deactivated: boolean;
  roles: string[];
}

/** identity: the institution's schools (GET /schools) */
export interface School {
  schoolId: string;
  name: string;
}

export type EnrollmentStatus = 'enrolled' | 'withdrawn' | 'graduated';

/** identity: a school's cohorts and their learners (GET /schools/:s/cohorts) */
export interface Cohort {
  cohortId: string;
  program: string;
  graduationYear: number;
  learners: { userId: string; status: EnrollmentStatus }[];
}

/** every service: dead letters per projection and per consumer's dead-letter topic (GET /admin/dead-letters) */
export interface DeadLetterSummary {
  id: string;
  kind: 'projection' | 'consumer';
  name: string;
  type: string | null;
  eventId: string | null;
  reason: string;
  at: string;
  status: 'parked' | 'replayed' | 'discarded';
  failedReplays: number;
}

export interface DeadLetterCount {
  kind: 'projection' | 'consumer';
  name: string;
  /** still parked */
  count: number;
  latest: DeadLetterSummary[];
}

export interface DeadLetterPage {
  items: DeadLetterSummary[];
  next: number | null;
}

/** GET /admin/dead-letters/:id: the letter, its content while kept, and every action on it (this look included) */
export interface DeadLetterInspection {
  deadLetter: DeadLetterSummary;
  event: Record<string, unknown> | null;
  message: { topic: string; partition: number; offset: string; key: string | null; value: string | null; headers: Record<string, string>; timestamp: string | null } | null;
  actions: { type: string; at: string; actor: { userId: string; role: string }; data: Record<string, unknown> }[];
}

export interface DeadLetterOutcome {
  outcome: 'applied' | 'failed' | 'discarded';
  reason: string | null;
  deadLetter: DeadLetterSummary;
}

export type CommunitySessionKind = 'coach-meeting' | 'faculty-development';

/** coaching: a community's session (GET /communities/:id/sessions); `attendance` for leads, `youAttended` for a member coach */
export interface CommunitySession {
  sessionId: string;
  kind: CommunitySessionKind;
  title: string;
  startsAt: string;
  durationMinutes: number;
  location?: string;
  status: 'scheduled' | 'held' | 'cancelled';
  topics?: string[];
  reason?: string;
  attendance?: { coachId: string; coachName: string; attended: boolean }[];
  youAttended?: boolean;
}

/** coaching: a coach's communities, next sessions and own attendance (GET /coaches/me/sessions) */
export interface MyCommunitySessions {
  communities: { communityId: string; name: string }[];
  upcoming: (CommunitySession & { communityId: string; communityName: string })[];
  attendance: { communityId: string; communityName: string; sessionId: string; title: string; kind: CommunitySessionKind; startsAt: string; attended: boolean }[];
  held: number;
  attended: number;
}

/** coaching: held sessions each coach was expected at and attended (GET /communities/participation) */
export interface Participation {
  sessionsHeld: number;
  coaches: { coachId: string; coachName: string; held: number; attended: number }[];
}

/** coaching's (and feedback's) history import: a bad line of the file, as the 422 and the status list it */
export interface HistoryLineError {
  line: number;
  sourceId?: string;
  reasons: string[];
}

export interface HistoryImportCounts {
  lines: number;
  valid: number;
  alreadyImported: number;
  invalid: number;
}

/** POST /history-imports (202): validated and being applied, or (a long file) still being validated, without counts */
export interface HistoryImportQueued extends Partial<HistoryImportCounts> {
  importId: string;
  status: string;
  fileSha256: string;
  phase: 'validating' | 'applying' | 'completed';
}

/** GET /history-imports/:importId: the BullMQ job */
export interface HistoryImportStatus {
  importId: string;
  state: 'waiting' | 'active' | 'completed' | 'failed' | 'delayed' | 'unknown';
  /** the job validates the whole file first, then applies it (or refuses it: invalid) */
  phase: 'queued' | 'validating' | 'applying' | 'invalid' | 'completed';
  linesChecked: number;
  fileSha256: string;
  validOnly: boolean;
  validation: HistoryImportCounts | null;
  invalidLines: number;
  progress: { processed: number; total: number; applied: number; alreadyImported: number; failed: number };
  errors: HistoryLineError[];
  failedReason: string | null;
}

/** The coaching areas a coach's own plan may focus on (feedback's COACH_FOCUS_AREAS). */
export const COACH_FOCUS_AREAS = ['coaching-skills', 'quality-improvement', 'inclusive-language', 'feedback-conversations', 'wellbeing', 'other'] as const;
export type CoachFocusArea = (typeof COACH_FOCUS_AREAS)[number];
export type CoachPlanReviewerRole = 'coaching-lead' | 'coach';

export interface CoachPlanFocus {
  focusId: string;
  area: CoachFocusArea;
  title: string;
}

/** GET /coaches/:id/plan (feedback): for the coach, the reviewers they asked, the school's coaching leads. */
export interface CoachPlan {
  coachId: string;
  coachName: string;
  planId: string;
  planVersion: number;
  nextReviewDue: string;
  focusAreas: CoachPlanFocus[];
  awaiting: { reviewerId: string; reviewerName: string; reviewerRole: CoachPlanReviewerRole }[];
  versions: { version: number; at: string; by: string; focusAreas: CoachPlanFocus[]; nextReviewDue: string; rationale: string | null }[];
  requests: { reviewerId: string; reviewerName: string; reviewerRole: CoachPlanReviewerRole; planVersion: number; at: string }[];
  reviews: { reviewId: string; at: string; reviewerId: string; reviewerName: string; reviewerRole: CoachPlanReviewerRole; planVersion: number; whatChanged: string; nextSteps: string[]; nextReviewDue: string }[];
  version: number;
}

/** GET /coach-plans (feedback): a lead's every coach plan, a coach's plans they were asked to review. */
export interface CoachPlanList {
  items: {
    coachId: string; coachName: string; planId: string; planVersion: number; areas: CoachFocusArea[]; nextReviewDue: string; revisedAt: string;
    lastReviewedAt: string | null; awaitingMyReview: boolean; askedAt: string | null;
  }[];
}

/** Feedback a learner seeks (feedback's /feedback-requests, /learners/:id/feedback-requests, /feedback-links). */
export type FeedbackRequestStatus = 'prompted' | 'requested' | 'answered' | 'declined' | 'expired';
export interface FeedbackRequestContext {
  rotation?: string;
  date?: string;
  encounter?: string;
}
export interface FeedbackRating {
  competency: string;
  level: number;
  scale: 'competency' | 'entrustment';
}
export interface FeedbackRequestItem {
  requestId: string;
  learnerId: string;
  status: FeedbackRequestStatus;
  competencies: string[];
  promptedBy: string | null;
  promptMessage: string | null;
  assessorKind: 'coach' | 'colleague' | 'external' | null;
  assessorId: string | null;
  assessorName: string | null;
  context: FeedbackRequestContext | null;
  requestedAt: string | null;
  promptedAt: string | null;
  expiresAt: string | null;
  reminded: boolean;
  answeredAt: string | null;
  dialogueId: string | null;
  ratings: FeedbackRating[];
  /** in "asked of me" */
  learner?: { displayName: string };
}
/** A competency of a request with the scale an answer rates it on (levels 1-5, in words). */
export interface RatedCompetency {
  code: string;
  name: string;
  scale: 'competency' | 'entrustment';
  levels: string[];
}
export interface FeedbackRequestDetail {
  requestId: string;
  learnerId: string;
  learner: { displayName: string };
  status: FeedbackRequestStatus;
  competencies: RatedCompetency[];
  promptedBy: string | null;
  promptMessage: string | null;
  assessor: { kind: 'coach' | 'colleague' | 'external'; userId: string | null; name: string } | null;
  context: FeedbackRequestContext | null;
  expiresAt: string | null;
  reminded: boolean;
  answer: { at: string; dialogueId: string; ratings: FeedbackRating[] } | null;
  version: number;
}
/** All the bearer of an external assessor's link sees. */
export interface LinkedFeedbackRequest {
  requestId: string;
  learner: { displayName: string };
  assessorName: string;
  competencies: RatedCompetency[];
  context: FeedbackRequestContext;
  expiresAt: string;
}

/** GET /learners/:id/self-vs-others: per competency, the learner's latest self-rating beside others' view. */
export interface SelfVsOthersSource {
  latest: { level: number; at: string } | null;
  count: number;
}
export interface SelfVsOthersRow {
  competency: string;
  name: string | null;
  frameworkId: string | null;
  status: 'active' | 'retired' | 'unknown';
  self: { level: number; at: string; assessmentId: string } | null;
  others: { coach: SelfVsOthersSource; assessor: SelfVsOthersSource; result: SelfVsOthersSource };
  othersLevel: number | null;
  gap: number | null;
  flagged: boolean;
}
export interface SelfVsOthers {
  learnerId: string;
  view: 'everything' | 'shared';
  scale: { min: number; max: number };
  threshold: number;
  competencies: SelfVsOthersRow[];
}
