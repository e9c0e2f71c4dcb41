import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested,
} from 'class-validator';
import { defineEvent } from '../catalog';
import { Personal, PersonalSubject } from '../personal';

/** A competency or EPA code as it appears in a framework and in every reference to it (ICS, EPA-8, PCRS-KP). */
export const COMPETENCY_CODE = /^[A-Za-z0-9._-]{1,40}$/;

export const ENTRY_VISIBILITIES = ['private', 'shared'] as const;
export type EntryVisibility = (typeof ENTRY_VISIBILITIES)[number];

/** Whether the learner shares a goal with their coach; goals are shared unless the learner marks them private. */
export const GOAL_VISIBILITIES = ['shared', 'private'] as const;
export type GoalVisibility = (typeof GOAL_VISIBILITIES)[number];

/**
 * Every goal event carries the goal's visibility at that moment, so a consumer can leave private goals out
 * of anything a coach sees without keeping state. The feedback service stores a goal's text; the published
 * form of an event of a private goal leaves out its text (description, measure of success, rationale, note).
 */
const textRequired = (goal: { visibility?: string }, value: unknown) => goal.visibility !== 'private' || value !== undefined;

export const GOAL_STATUSES = ['active', 'achieved', 'abandoned', 'deferred'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

/** Where the feedback is about: a course, a rotation, a day (each optional). */
export class DialogueContext {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) course?: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) rotation?: string;
  @IsOptional() @IsISO8601({ strict: true }) date?: string;
}

/** Someone other than the coach the learner asks for feedback: a named person, with their account when they have one. */
export class DialogueAssessor {
  @IsOptional() @IsString() @IsNotEmpty() userId?: string;
  @Personal() @IsString() @IsNotEmpty() @MaxLength(200) name: string;
}

/** `context` and `assessor` were added later as optional fields (older events have neither). */
export class DialogueOpened {
  @IsString() @IsNotEmpty() dialogueId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() coachId: string;
  @Personal() @IsString() @IsNotEmpty() @MaxLength(300) topic: string;
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) competencies: string[];
  @IsOptional() @ValidateNested() @Type(() => DialogueContext) context?: DialogueContext;
  @IsOptional() @ValidateNested() @Type(() => DialogueAssessor) assessor?: DialogueAssessor;
}

/** The scale every framework's competencies are rated on, by the learner and by others: 1 novice .. 5 expert. */
export const RATING_SCALE = { min: 1, max: 5 } as const;

/** A rating of one competency on the framework's scale. */
export class CompetencyRating {
  @IsString() @Matches(COMPETENCY_CODE) competency: string;
  @IsInt() @Min(RATING_SCALE.min) @Max(RATING_SCALE.max) level: number;
}

export const ENTRY_KINDS = ['comment', 'reflection'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** Public form: entry text never leaves the feedback service, only that an entry was written. */
export class DialogueEntryAdded {
  @IsString() @IsNotEmpty() dialogueId: string;
  @IsString() @IsNotEmpty() entryId: string;
  @IsString() @IsNotEmpty() authorId: string;
  @IsIn(ENTRY_VISIBILITIES) visibility: EntryVisibility;
  @IsInt() @Min(0) wordCount: number;
  /** a reflection is the learner's own; absent on entries written before kinds existed (comments) */
  @IsOptional() @IsIn(ENTRY_KINDS) kind?: EntryKind;
  /** the coach's or assessor's ratings of the dialogue's competencies on the framework's scale; absent: none (older entries too) */
  @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => CompetencyRating) ratings?: CompetencyRating[];
}

export class DialogueClosed {
  @IsString() @IsNotEmpty() dialogueId: string;
  @IsString() @IsNotEmpty() learnerId: string;
}

export class DialogueReopened {
  @IsString() @IsNotEmpty() dialogueId: string;
  @IsString() @IsNotEmpty() learnerId: string;
}

/** Public form: an action item was agreed, for whom and by when; its wording stays in the feedback service. */
export class DialogueActionAgreed {
  @IsString() @IsNotEmpty() dialogueId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() actionId: string;
  @IsString() @IsNotEmpty() ownerId: string;
  @IsOptional() @IsISO8601({ strict: true }) dueDate?: string;
}

/**
 * An agreed action item was done (marked by its owner or the learner); done is final. v2 added what came of it:
 * the outcome's text stays in the feedback service, the public form carries its word count (`outcomeWords`);
 * v1 (done before outcomes were asked) is upcast with `outcomeWords: null`, "not recorded".
 */
export class DialogueActionCompleted {
  @IsString() @IsNotEmpty() dialogueId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() actionId: string;
  @ValidateIf((_, value) => value !== null) @IsInt() @Min(0) outcomeWords: number | null;
}

/** An agreed action item will not be done (by its owner or the learner); dropped is final. The reason stays in the feedback service. */
export class DialogueActionDropped {
  @IsString() @IsNotEmpty() dialogueId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() actionId: string;
}

/** Completions recorded before outcomes existed: no outcome was recorded. */
export const completedWithoutOutcome = (v1: Record<string, unknown>) => ({ ...v1, outcomeWords: null });

/** v2 added `measureOfSuccess` (v1 is upcast with `null`); v3 added `visibility` (v2 is upcast as shared). */
export class GoalSet {
  @IsString() @IsNotEmpty() goalId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  /** absent from the published form of a private goal */
  @Personal() @ValidateIf(textRequired) @IsString() @IsNotEmpty() @MaxLength(2000) description?: string;
  /** absent from the published form of a private goal */
  @Personal() @ValidateIf((goal, value) => value !== null && textRequired(goal, value)) @IsString() @MaxLength(2000) measureOfSuccess?: string | null;
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) competencies: string[];
  @IsISO8601({ strict: true }) targetDate: string;
  @IsIn(GOAL_VISIBILITIES) visibility: GoalVisibility;
}

/** v2 added `visibility` (v1 is upcast as shared). */
export class GoalRevised {
  @IsString() @IsNotEmpty() goalId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  /** absent from the published form of a private goal */
  @Personal() @ValidateIf(textRequired) @IsString() @IsNotEmpty() @MaxLength(2000) description?: string;
  @IsISO8601({ strict: true }) targetDate: string;
  /** absent from the published form of a private goal */
  @Personal() @ValidateIf(textRequired) @IsString() @IsNotEmpty() @MaxLength(2000) rationale?: string;
  @IsIn(GOAL_VISIBILITIES) visibility: GoalVisibility;
}

/** v2 added `visibility` (v1 is upcast as shared). The note is left out of the published form of a private goal. */
export class GoalStatusChanged {
  @IsString() @IsNotEmpty() goalId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsIn(GOAL_STATUSES) from: GoalStatus;
  @IsIn(GOAL_STATUSES) to: GoalStatus;
  @Personal() @IsOptional() @IsString() @MaxLength(2000) note?: string;
  @IsIn(GOAL_VISIBILITIES) visibility: GoalVisibility;
}

/**
 * A goal the learner is still shaping: not yet active, not counted as set. Activating it publishes
 * `feedback.goal-set` (the goal as it then stands); abandoning it publishes `feedback.goal-draft-abandoned`.
 */
export class GoalDrafted extends GoalSet {}

export class GoalDraftAbandoned {
  @IsString() @IsNotEmpty() goalId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsIn(GOAL_VISIBILITIES) visibility: GoalVisibility;
}

/** Public form: a progress note was written on a goal, by whom and how long; its text stays in the feedback service. */
export class GoalProgressNoted {
  @IsString() @IsNotEmpty() goalId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() noteId: string;
  @IsString() @IsNotEmpty() authorId: string;
  @IsInt() @Min(0) wordCount: number;
  @IsIn(GOAL_VISIBILITIES) visibility: GoalVisibility;
}

export const MOTIVATION_KINDS = ['dialogue', 'assessment-result'] as const;
export type MotivationKind = (typeof MOTIVATION_KINDS)[number];

/** What motivated a goal (or a plan): one of the learner's dialogues or assessment results. */
export class GoalLinked {
  @IsString() @IsNotEmpty() goalId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsIn(MOTIVATION_KINDS) kind: MotivationKind;
  @IsString() @IsNotEmpty() targetId: string;
  @IsIn(GOAL_VISIBILITIES) visibility: GoalVisibility;
}

/** The learner takes back a link: the dialogue or result no longer counts as what motivated the goal. */
export class GoalUnlinked extends GoalLinked {}

/** The learner shares a goal with their coach again, or makes it private (from now on: what was seen stays seen). */
export class GoalSharingChanged {
  @IsString() @IsNotEmpty() goalId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsIn(GOAL_VISIBILITIES) visibility: GoalVisibility;
}

export class FrameworkCompetency {
  @IsString() @Matches(COMPETENCY_CODE) code: string;
  @IsString() @IsNotEmpty() @MaxLength(300) name: string;
}

export const FRAMEWORK_SOURCES = ['defined', 'imported'] as const;
export type FrameworkSource = (typeof FRAMEWORK_SOURCES)[number];

/**
 * A school's own competency framework, in a new version (1 when first defined). Competencies of the previous
 * version that this one leaves out are `retired`: no new reference may name them, history keeps reading them.
 * The shipped frameworks (ACGME, AAMC PCRS, AAMC Core EPAs) are seed data every school has; they are not events.
 */
export class FrameworkVersionPublished {
  @IsString() @Matches(COMPETENCY_CODE) frameworkId: string;
  @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @IsInt() @Min(1) version: number;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => FrameworkCompetency) competencies: FrameworkCompetency[];
  @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => FrameworkCompetency) retired: FrameworkCompetency[];
  @IsIn(FRAMEWORK_SOURCES) source: FrameworkSource;
}

/** One line of a crosswalk: an old code and the code(s) of the new version it is read as. */
export class CrosswalkMapping {
  @IsString() @Matches(COMPETENCY_CODE) from: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsString({ each: true }) @Matches(COMPETENCY_CODE, { each: true }) to: string[];
}

/**
 * Published with a new version of a school's framework (`toVersion`, right after `toVersion - 1`): how evidence
 * recorded under earlier codes reads under the new ones. Codes the new version keeps read as themselves unless
 * mapped; `unmapped` are old codes the new version leaves out with no mapping (reported, never dropped).
 * Codes and versions only: no personal data, public.
 */
export class FrameworkCrosswalkPublished {
  @IsString() @Matches(COMPETENCY_CODE) frameworkId: string;
  @IsInt() @Min(1) fromVersion: number;
  @IsInt() @Min(2) toVersion: number;
  @IsArray() @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => CrosswalkMapping) mappings: CrosswalkMapping[];
  @IsArray() @ArrayMaxSize(1000) @IsString({ each: true }) @Matches(COMPETENCY_CODE, { each: true }) unmapped: string[];
}

/** What motivated a plan: one of the learner's dialogues or assessment results. */
export class Motivation {
  @IsIn(MOTIVATION_KINDS) kind: MotivationKind;
  @IsString() @IsNotEmpty() targetId: string;
}

/** A focus area of the plan, as published: its title stays in the feedback service's stored form. */
export class PlanFocusArea {
  @IsString() @IsNotEmpty() focusId: string;
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) competencies: string[];
}

/**
 * A new version of the learner's personal development plan (one plan per learner and school): focus areas,
 * the goals it holds, what motivated it, when it is next reviewed with the coach. Version 1 creates it.
 * The rationale and focus-area titles stay in the feedback service.
 */
export class PlanRevised {
  @IsString() @IsNotEmpty() planId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsInt() @Min(1) version: number;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => PlanFocusArea) focusAreas: PlanFocusArea[];
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) goalIds: string[];
  @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => Motivation) motivatedBy: Motivation[];
  @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) competencies: string[];
  @IsISO8601({ strict: true }) nextReviewDue: string;
}

/**
 * v2 of the published plan events no longer declares the plan's text (focus-area titles, rationale; a review's what
 * changed and next steps), which was never published: a v1 message is read without it.
 */
function planWithoutText({ rationale: _r, focusAreas, ...plan }: Record<string, unknown>): Record<string, unknown> {
  return { ...plan, focusAreas: (focusAreas as Record<string, unknown>[]).map(({ title: _t, ...area }) => area) };
}

/** The plan was reviewed with the coach; what changed and the agreed next steps stay in the feedback service's stored form. */
export class PlanReviewed {
  @IsString() @IsNotEmpty() planId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() reviewId: string;
  @IsString() @IsNotEmpty() coachId: string;
  @IsInt() @Min(1) planVersion: number;
  @IsISO8601({ strict: true }) nextReviewDue: string;
}

/** A review came due and both the learner and the coach were reminded (once per due date). */
export class PlanReviewReminderSent {
  @IsString() @IsNotEmpty() planId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsISO8601({ strict: true }) dueAt: string;
  @IsArray() @ArrayMinSize(1) @IsString({ each: true }) recipientIds: string[];
  @IsString() @IsNotEmpty() channel: string;
}

/** What a coach's own development plan may focus on: a fixed list, each area with the coach's own words beside it. */
export const COACH_FOCUS_AREAS = ['coaching-skills', 'quality-improvement', 'inclusive-language', 'feedback-conversations', 'wellbeing', 'other'] as const;
export type CoachFocusArea = (typeof COACH_FOCUS_AREAS)[number];

/** Who a coach may review their plan with: the school's coaching lead or a peer coach of the school. */
export const COACH_PLAN_REVIEWER_ROLES = ['coaching-lead', 'coach'] as const;
export type CoachPlanReviewerRole = (typeof COACH_PLAN_REVIEWER_ROLES)[number];

/** A focus area of a coach's plan, as published: which area (the coach's own words on it stay in the feedback service). */
export class CoachPlanFocusArea {
  @IsString() @IsNotEmpty() focusId: string;
  @IsIn(COACH_FOCUS_AREAS) area: CoachFocusArea;
}

/**
 * A new version of a coach's own development plan (one per coach and school; version 1 creates it). The published
 * form carries the focus areas' keys and the next review date; titles and the rationale stay in the feedback service.
 */
export class CoachPlanRevised {
  @IsString() @IsNotEmpty() planId: string;
  @PersonalSubject() @IsString() @IsNotEmpty() coachId: string;
  @IsInt() @Min(1) version: number;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => CoachPlanFocusArea) focusAreas: CoachPlanFocusArea[];
  @IsISO8601({ strict: true }) nextReviewDue: string;
}

/** The coach asked the school's coaching lead or a peer coach to review their plan (who may then read it). */
export class CoachPlanReviewRequested {
  @IsString() @IsNotEmpty() planId: string;
  @IsString() @IsNotEmpty() coachId: string;
  @IsString() @IsNotEmpty() reviewerId: string;
  @IsIn(COACH_PLAN_REVIEWER_ROLES) reviewerRole: CoachPlanReviewerRole;
  @IsInt() @Min(1) planVersion: number;
}

/** The reviewer the coach asked recorded the review; what changed and the next steps stay in the feedback service. */
export class CoachPlanReviewed {
  @IsString() @IsNotEmpty() planId: string;
  @PersonalSubject() @IsString() @IsNotEmpty() coachId: string;
  @IsString() @IsNotEmpty() reviewId: string;
  @IsString() @IsNotEmpty() reviewerId: string;
  @IsIn(COACH_PLAN_REVIEWER_ROLES) reviewerRole: CoachPlanReviewerRole;
  @IsInt() @Min(1) planVersion: number;
  @IsISO8601({ strict: true }) nextReviewDue: string;
}

export const ASSESSMENT_KINDS = ['exam-score', 'wba-rating'] as const;
export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number];

/** A school admin imported a file of assessment results: all its rows, or (from a bad file) none. */
export class AssessmentImported {
  @IsString() @IsNotEmpty() importId: string;
  @IsInt() @Min(1) rows: number;
  @IsOptional() @IsString() @MaxLength(200) fileName?: string;
}

/** One result of an import: an exam score or a workplace-based assessment rating of one learner. */
export class AssessmentResultRecorded {
  @IsString() @IsNotEmpty() resultId: string;
  @IsString() @IsNotEmpty() importId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsString({ each: true }) competencies: string[];
  @IsIn(ASSESSMENT_KINDS) kind: AssessmentKind;
  @IsString() @IsNotEmpty() @MaxLength(200) instrument: string;
  @Min(0) score: number;
  @Min(0) maxScore: number;
  @IsISO8601({ strict: true }) assessedOn: string;
}

/** A learner or their coach pointed a dialogue at an assessment result of the learner. */
export class DialogueResultReferenced {
  @IsString() @IsNotEmpty() dialogueId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() resultId: string;
}

export class SelfRating extends CompetencyRating {}

/**
 * A learner rated themselves against the school's frameworks (1 novice .. 5 expert); every one is kept.
 * `visibility` was added later: absent, the self-assessment is shared with the coach (as all were before).
 */
export class SelfAssessmentRecorded {
  @IsString() @IsNotEmpty() assessmentId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => SelfRating) ratings: SelfRating[];
  @IsOptional() @IsIn(GOAL_VISIBILITIES) visibility?: GoalVisibility;
}

export const HISTORY_VIEWS = ['timeline', 'export', 'as-of', 'diff'] as const;
export type HistoryView = (typeof HISTORY_VIEWS)[number];

/** Audit of the audit: a member of staff read a learner's progress history (who, whose, which view; when is the event's time). */
export class HistoryViewed {
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() viewerId: string;
  @IsString() @IsNotEmpty() viewerRole: string;
  @IsIn(HISTORY_VIEWS) view: HistoryView;
}

/** Where the sought feedback is about (kept in the feedback service, never published): a rotation, a day, an observed encounter. */
export class FeedbackRequestContext {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) rotation?: string;
  @IsOptional() @IsISO8601({ strict: true }) date?: string;
  @Personal() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(1000) encounter?: string;
}

export const REQUESTED_ASSESSOR_KINDS = ['coach', 'colleague', 'external'] as const;
export type RequestedAssessorKind = (typeof REQUESTED_ASSESSOR_KINDS)[number];

export const RATING_SCALE_KINDS = ['competency', 'entrustment'] as const;
export type RatingScaleKind = (typeof RATING_SCALE_KINDS)[number];

/** A rating in an answer: 1-5 on the competency scale, or an entrustment level 1-5 for an EPA. */
export class FeedbackRating {
  @IsString() @Matches(COMPETENCY_CODE) competency: string;
  @IsInt() @Min(1) @Max(5) level: number;
}

export class FeedbackAnswerRating extends FeedbackRating {
  @IsIn(RATING_SCALE_KINDS) scale: RatingScaleKind;
}

/** A coach prompted their coachee to seek feedback on some competencies (the prompt's message stays in feedback). */
export class FeedbackRequestPrompted {
  @IsString() @IsNotEmpty() requestId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() coachId: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(12) @IsString({ each: true }) competencies: string[];
}

/**
 * A learner asked for feedback: of their coach, a colleague with an account (`assessorId`) or an external assessor
 * (no id). Public: who is asked by kind and id, on what, when it is reminded and expires. The external's name and
 * e-mail address and the context stay in the feedback service.
 */
export class FeedbackRequestMade {
  @IsString() @IsNotEmpty() requestId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  /** the learner's coach when asked: the answer lands in a dialogue with them */
  @IsString() @IsNotEmpty() coachId: string;
  @IsIn(REQUESTED_ASSESSOR_KINDS) assessorKind: RequestedAssessorKind;
  @IsOptional() @IsString() @IsNotEmpty() assessorId?: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(12) @IsString({ each: true }) competencies: string[];
  @IsISO8601({ strict: true }) remindAt: string;
  @IsISO8601({ strict: true }) expiresAt: string;
  /** the coach whose prompt the learner turned into this request */
  @IsOptional() @IsString() @IsNotEmpty() promptedBy?: string;
}

/** The one reminder of an unanswered request went out. */
export class FeedbackRequestReminderSent {
  @IsString() @IsNotEmpty() requestId: string;
  @IsString() @IsNotEmpty() learnerId: string;
}

/** The person asked answered (once): a rating per competency asked about; the text stays in feedback (its word count is public). */
export class FeedbackRequestAnswered {
  @IsString() @IsNotEmpty() requestId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  /** the dialogue the answer lands in */
  @IsString() @IsNotEmpty() dialogueId: string;
  /** absent for an external assessor (answered with the request's token) */
  @IsOptional() @IsString() @IsNotEmpty() answeredBy?: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(12) @ValidateNested({ each: true }) @Type(() => FeedbackAnswerRating) ratings: FeedbackAnswerRating[];
  @IsInt() @Min(0) wordCount: number;
}

/** The person asked declined (the reason, if given, stays in feedback). */
export class FeedbackRequestDeclined {
  @IsString() @IsNotEmpty() requestId: string;
  @IsString() @IsNotEmpty() learnerId: string;
}

/** Nobody answered before the request's expiry. */
export class FeedbackRequestExpired {
  @IsString() @IsNotEmpty() requestId: string;
  @IsString() @IsNotEmpty() learnerId: string;
}

/** Goals written before visibility existed were all shared with the coach. */
const sharedBefore = (older: Record<string, unknown>) => ({ ...older, visibility: 'shared' });

export const FeedbackEvents = {
  DialogueOpened: defineEvent('feedback.dialogue-opened', DialogueOpened),
  DialogueEntryAdded: defineEvent('feedback.dialogue-entry-added', DialogueEntryAdded),
  DialogueClosed: defineEvent('feedback.dialogue-closed', DialogueClosed),
  DialogueReopened: defineEvent('feedback.dialogue-reopened', DialogueReopened),
  DialogueActionAgreed: defineEvent('feedback.dialogue-action-agreed', DialogueActionAgreed),
  DialogueActionCompleted: defineEvent('feedback.dialogue-action-completed', DialogueActionCompleted, { schemaVersion: 2, upcasters: { 1: completedWithoutOutcome } }),
  DialogueActionDropped: defineEvent('feedback.dialogue-action-dropped', DialogueActionDropped),
  GoalSet: defineEvent('feedback.goal-set', GoalSet, {
    schemaVersion: 3,
    upcasters: { 1: (v1) => ({ ...v1, measureOfSuccess: null }), 2: sharedBefore },
  }),
  GoalRevised: defineEvent('feedback.goal-revised', GoalRevised, { schemaVersion: 2, upcasters: { 1: sharedBefore } }),
  GoalStatusChanged: defineEvent('feedback.goal-status-changed', GoalStatusChanged, { schemaVersion: 2, upcasters: { 1: sharedBefore } }),
  GoalSharingChanged: defineEvent('feedback.goal-sharing-changed', GoalSharingChanged),
  GoalDrafted: defineEvent('feedback.goal-drafted', GoalDrafted),
  GoalDraftAbandoned: defineEvent('feedback.goal-draft-abandoned', GoalDraftAbandoned),
  GoalProgressNoted: defineEvent('feedback.goal-progress-noted', GoalProgressNoted),
  GoalLinked: defineEvent('feedback.goal-linked', GoalLinked),
  GoalUnlinked: defineEvent('feedback.goal-unlinked', GoalUnlinked),
  AssessmentImported: defineEvent('feedback.assessment-imported', AssessmentImported),
  AssessmentResultRecorded: defineEvent('feedback.assessment-result-recorded', AssessmentResultRecorded),
  DialogueResultReferenced: defineEvent('feedback.dialogue-result-referenced', DialogueResultReferenced),
  SelfAssessmentRecorded: defineEvent('feedback.self-assessment-recorded', SelfAssessmentRecorded),
  HistoryViewed: defineEvent('feedback.history-viewed', HistoryViewed),
  PlanRevised: defineEvent('feedback.plan-revised', PlanRevised, { schemaVersion: 2, upcasters: { 1: planWithoutText } }),
  PlanReviewed: defineEvent('feedback.plan-reviewed', PlanReviewed, { schemaVersion: 2, upcasters: { 1: ({ whatChanged: _w, nextSteps: _n, ...review }) => review } }),
  PlanReviewReminderSent: defineEvent('feedback.plan-review-reminder-sent', PlanReviewReminderSent),
  CoachPlanRevised: defineEvent('feedback.coach-plan-revised', CoachPlanRevised),
  CoachPlanReviewRequested: defineEvent('feedback.coach-plan-review-requested', CoachPlanReviewRequested),
  CoachPlanReviewed: defineEvent('feedback.coach-plan-reviewed', CoachPlanReviewed),
  FrameworkVersionPublished: defineEvent('feedback.framework-version-published', FrameworkVersionPublished),
  FeedbackRequestPrompted: defineEvent('feedback.request-prompted', FeedbackRequestPrompted),
  FeedbackRequestMade: defineEvent('feedback.request-made', FeedbackRequestMade),
  FeedbackRequestReminderSent: defineEvent('feedback.request-reminder-sent', FeedbackRequestReminderSent),
  FeedbackRequestAnswered: defineEvent('feedback.request-answered', FeedbackRequestAnswered),
  FeedbackRequestDeclined: defineEvent('feedback.request-declined', FeedbackRequestDeclined),
  FeedbackRequestExpired: defineEvent('feedback.request-expired', FeedbackRequestExpired),
  FrameworkCrosswalkPublished: defineEvent('feedback.framework-crosswalk-published', FrameworkCrosswalkPublished),
};
