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
  currentCoach: { coachId: string; relationshipId: string; status: 'active' | 'paused'; since: string } | null;
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
  awaiting: 'learner' | 'coach' | null;
}

export interface Entry {
  entryId: string;
  authorId: string;
  visibility: 'private' | 'shared';
  text: string;
  at: string;
  kind: 'comment' | 'reflection' | string;
}

export interface ActionItem {
  actionId: string;
  description: string;
  ownerId: string;
  dueDate?: string | null;
  agreedBy?: string;
  at?: string;
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
  version: number;
}

export interface Goal extends Omit<GoalSummary, 'lastRevisedAt'> {
  createdAt: string;
  revisions: { description: string; targetDate: string; rationale: string; at: string; by: string }[];
  statusChanges: { from: GoalStatus; to: GoalStatus; note?: string | null; at: string; by: string }[];
  progressNotes: { noteId: string; note: string; at: string; by: string }[];
  links: { kind: string; targetId: string }[];
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
  actor: { userId: string; role: string };
  competencies: string[];
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
