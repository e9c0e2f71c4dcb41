import { GoalVisibility, MotivationKind, Role } from '@cbme/contracts';
import { DialogueSummary, EvidenceCount, GoalLifecycle, SelfVsOthersInput } from '@cbme/feedback-domain';

/** Who coaches whom now, as this service learned it from coaching's events. */
export interface CurrentCoaches {
  /** the learner's coach now (also while the relationship is paused); null after it ended or before any */
  currentCoachOf(schoolId: string, learnerId: string): Promise<string | null>;
  /** the learner's coach at that instant (for a backdated command: a history import judges the past), where the read model keeps it */
  coachAt?(schoolId: string, learnerId: string, at: string): Promise<string | null>;
}
export const CURRENT_COACHES = Symbol('CURRENT_COACHES');

export interface GoalView {
  goalId: string;
  learnerId: string;
  description: string;
  measureOfSuccess: string | null;
  competencies: string[];
  targetDate: string;
  status: GoalLifecycle;
  visibility: GoalVisibility;
  lastRevisedAt: string | null;
  /** the dialogues and assessment results the goal is linked to now */
  links: { kind: MotivationKind; targetId: string }[];
  version: number;
}

export interface LearnerGoals {
  list(schoolId: string, learnerId: string): Promise<GoalView[]>;
}
export const LEARNER_GOALS = Symbol('LEARNER_GOALS');

export interface LearnerDialogues {
  /** every dialogue of the learner in the school, summarized for every reader (filtered by the query) */
  summariesOf(schoolId: string, learnerId: string): Promise<DialogueSummary[]>;
}
export const LEARNER_DIALOGUES = Symbol('LEARNER_DIALOGUES');

/** People's roles per school, as this service learned them from identity's events. */
export interface SchoolMembers {
  /** the roles the user holds in the school now (none when unknown, revoked or deactivated) */
  rolesOf(schoolId: string, userId: string): Promise<Role[]>;
}
export const SCHOOL_MEMBERS = Symbol('SCHOOL_MEMBERS');

export const STAFF_ROLES: Role[] = ['coach', 'coaching-lead', 'committee-member', 'school-admin'];

export interface AssessmentResultView {
  resultId: string;
  importId: string;
  learnerId: string;
  competencies: string[];
  kind: string;
  instrument: string;
  score: number;
  maxScore: number;
  assessedOn: string;
  importedAt: string;
}

export interface AssessmentResults {
  listForLearner(schoolId: string, learnerId: string): Promise<AssessmentResultView[]>;
}
export const ASSESSMENT_RESULTS = Symbol('ASSESSMENT_RESULTS');

/** One event about a learner, as the timeline keeps it (its data in the stored form: text included). */
export interface TimelineItem {
  eventId: string;
  type: string;
  category: string;
  /** when it happened (the event's occurredAt) */
  at: string;
  /** when the platform stored it; the same as `at` unless the event was backdated (imported) */
  recordedAt: string;
  actor: { userId: string; role: string };
  learnerId: string;
  subjectId: string | null;
  competencies: string[];
  visibility: 'shared' | 'private';
  source: 'feedback' | 'coaching' | 'identity';
  streamId: string;
  streamVersion: number;
  data: Record<string, unknown>;
  /** the envelope fields the published form of the event needs */
  schemaVersion: number;
  correlationId: string;
}

export interface LearnerTimeline {
  itemsOf(schoolId: string, learnerId: string): Promise<TimelineItem[]>;
  /** per code: how many dialogues, goals, results and self-assessments of the school's learners name it, and how many learners */
  evidenceFor(schoolId: string, codes: string[]): Promise<EvidenceCount[]>;
}
export const LEARNER_TIMELINE = Symbol('LEARNER_TIMELINE');

/** A coach's plan as the coaching leads' list shows it: the focus areas' keys, no text. */
export interface CoachPlanSummary {
  coachId: string;
  planId: string;
  planVersion: number;
  areas: string[];
  nextReviewDue: string;
  revisedAt: string;
  lastReviewedAt: string | null;
}

/** A review a coach asked of someone: awaited until that reviewer records it. */
export interface CoachPlanReviewRequestView {
  coachId: string;
  planId: string;
  reviewerRole: string;
  askedAt: string;
  awaiting: boolean;
  reviewedAt: string | null;
}

export interface CoachPlans {
  /** every coach's plan in the school (for its coaching leads) */
  ofSchool(schoolId: string): Promise<CoachPlanSummary[]>;
  /** the plans whose coaches asked this person for a review, awaited or done */
  askedOf(schoolId: string, reviewerId: string): Promise<CoachPlanReviewRequestView[]>;
}
export const COACH_PLANS = Symbol('COACH_PLANS');
/** A learner's self-ratings, others' ratings in dialogues and results, as the self-vs-others read model keeps them. */
export interface SelfVsOthersInputs {
  /** every rating of the learner in the school (the reader's view is cut by the query) */
  inputsOf(schoolId: string, learnerId: string): Promise<SelfVsOthersInput>;
}
export const SELF_VS_OTHERS = Symbol('SELF_VS_OTHERS');
/** the gap (on the framework's scale) from which the view flags a competency, unless a request names another */
export const SELF_VS_OTHERS_THRESHOLD = Symbol('SELF_VS_OTHERS_THRESHOLD');
