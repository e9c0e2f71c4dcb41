import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsNotEmpty, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import {
  ASSESSMENT_KINDS, AssessmentKind, COMPETENCY_CODE, ENTRY_KINDS, ENTRY_VISIBILITIES, EntryKind, EntryVisibility, GOAL_STATUSES, GOAL_VISIBILITIES,
  GoalStatus, GoalVisibility, MOTIVATION_KINDS, MotivationKind,
} from '../feedback/feedback.events';
import { HISTORY_ID, HISTORY_ID_MESSAGE, HistoryRecord } from './history-record';

/**
 * The record kinds the feedback service imports; each becomes one command of that service, judged at `occurredAt`.
 * Where the domain needs to know who acted (an entry's author, who agreed or settled an action item, who closed a
 * dialogue), the record names that person: the importing admin is only the event's actor.
 */
const CODES = { each: true, message: 'each competency must be a code like ICS or EPA-1' };
const TEXT = 2000;

export class HistoryDialogueContext {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) course?: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) rotation?: string;
  @IsOptional() @IsISO8601({ strict: true }) date?: string;
}

export class HistoryDialogueAssessor {
  @IsOptional() @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) userId?: string;
  @IsString() @IsNotEmpty() @MaxLength(200) name: string;
}

/** Opened by the learner (as live), with the coach the learner had then. */
export class DialogueOpenedRecord extends HistoryRecord {
  declare kind: 'dialogue-opened';
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) dialogueId: string;
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) learnerId: string;
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) coachId: string;
  @IsString() @IsNotEmpty() @MaxLength(300) topic: string;
  @IsArray() @ArrayMaxSize(50) @Matches(COMPETENCY_CODE, CODES) competencies: string[];
  @IsOptional() @ValidateNested() @Type(() => HistoryDialogueContext) context?: HistoryDialogueContext;
  @IsOptional() @ValidateNested() @Type(() => HistoryDialogueAssessor) assessor?: HistoryDialogueAssessor;
}

/** `authorId`: the learner, the coach or the assessor of the dialogue; `kind: reflection` is the learner's own. */
export class DialogueEntryAddedRecord extends HistoryRecord {
  declare kind: 'dialogue-entry-added';
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) dialogueId: string;
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) entryId: string;
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) authorId: string;
  @IsString() @IsNotEmpty() @MaxLength(20_000) text: string;
  @IsIn(ENTRY_VISIBILITIES) visibility: EntryVisibility;
  @IsOptional() @IsIn(ENTRY_KINDS) entryKind?: EntryKind;
}

export class ActionItemAgreedRecord extends HistoryRecord {
  declare kind: 'action-item-agreed';
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) dialogueId: string;
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) actionId: string;
  @IsString() @IsNotEmpty() @MaxLength(TEXT) description: string;
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) ownerId: string;
  /** not before occurredAt's day */
  @IsOptional() @IsISO8601({ strict: true }) dueDate?: string;
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) agreedBy: string;
}

export class ActionItemCompletedRecord extends HistoryRecord {
  declare kind: 'action-item-completed';
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) dialogueId: string;
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) actionId: string;
  @IsString() @IsNotEmpty() @MaxLength(1000) outcome: string;
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) completedBy: string;
}

export class ActionItemDroppedRecord extends HistoryRecord {
  declare kind: 'action-item-dropped';
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) dialogueId: string;
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) actionId: string;
  @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) droppedBy: string;
}

export class DialogueClosedRecord extends HistoryRecord {
  declare kind: 'dialogue-closed';
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) dialogueId: string;
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) closedBy: string;
}

export class DialogueReopenedRecord extends HistoryRecord {
  declare kind: 'dialogue-reopened';
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) dialogueId: string;
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) reopenedBy: string;
}

/** Set by the learner (as live); the target date after occurredAt's day. */
export class GoalSetRecord extends HistoryRecord {
  declare kind: 'goal-set';
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) goalId: string;
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) learnerId: string;
  @IsString() @IsNotEmpty() @MaxLength(TEXT) description: string;
  @IsOptional() @IsString() @MaxLength(TEXT) measureOfSuccess?: string;
  @IsArray() @ArrayMaxSize(50) @Matches(COMPETENCY_CODE, CODES) competencies: string[];
  @IsISO8601({ strict: true }) targetDate: string;
  /** shared unless said */
  @IsOptional() @IsIn(GOAL_VISIBILITIES) visibility?: GoalVisibility;
}

/** By the goal's learner (as live). */
export class GoalRevisedRecord extends HistoryRecord {
  declare kind: 'goal-revised';
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) goalId: string;
  @IsString() @IsNotEmpty() @MaxLength(TEXT) description: string;
  @IsISO8601({ strict: true }) targetDate: string;
  @IsString() @IsNotEmpty() @MaxLength(TEXT) rationale: string;
}

/** By the goal's learner (as live): achieved, abandoned, deferred, or active again. */
export class GoalStatusChangedRecord extends HistoryRecord {
  declare kind: 'goal-status-changed';
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) goalId: string;
  @IsIn(GOAL_STATUSES) to: GoalStatus;
  @IsOptional() @IsString() @MaxLength(TEXT) note?: string;
}

/** `authorId`: the goal's learner, or their coach then on a shared goal. */
export class GoalProgressNotedRecord extends HistoryRecord {
  declare kind: 'goal-progress-noted';
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) goalId: string;
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) noteId: string;
  @IsString() @IsNotEmpty() @MaxLength(5000) note: string;
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) authorId: string;
}

/** The learner shared a goal with their coach, or made it private. */
export class GoalSharedRecord extends HistoryRecord {
  declare kind: 'goal-shared';
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) goalId: string;
  @IsIn(GOAL_VISIBILITIES) visibility: GoalVisibility;
}

export class HistoryFocusArea {
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) focusId: string;
  @IsString() @IsNotEmpty() @MaxLength(500) title: string;
  @IsArray() @ArrayMaxSize(50) @Matches(COMPETENCY_CODE, CODES) competencies: string[];
}

export class HistoryMotivation {
  @IsIn(MOTIVATION_KINDS) kind: MotivationKind;
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) targetId: string;
}

/** The learner's plan as it then stood (by the learner, as live): the first creates it, later ones say why (`rationale`). */
export class PlanRevisedRecord extends HistoryRecord {
  declare kind: 'plan-revised';
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) planId: string;
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) learnerId: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => HistoryFocusArea) focusAreas: HistoryFocusArea[];
  @IsArray() @ArrayMaxSize(50) @Matches(HISTORY_ID, { each: true, message: 'each goal id must be 1 to 128 letters, digits or . _ : -' }) goalIds: string[];
  @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => HistoryMotivation) motivatedBy?: HistoryMotivation[];
  /** after occurredAt */
  @IsISO8601({ strict: true }) nextReviewDue: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(TEXT) rationale?: string;
}

/** Reviewed with the learner's coach then; `reviewedBy`: the learner or that coach. */
export class PlanReviewedRecord extends HistoryRecord {
  declare kind: 'plan-reviewed';
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) learnerId: string;
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) reviewId: string;
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) reviewedBy: string;
  @IsString() @IsNotEmpty() @MaxLength(5000) whatChanged: string;
  @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @IsNotEmpty({ each: true }) @MaxLength(1000, { each: true }) nextSteps: string[];
  /** after occurredAt */
  @IsISO8601({ strict: true }) nextReviewDue: string;
}

export class HistorySelfRating {
  @Matches(COMPETENCY_CODE, { message: 'competency must be a code like ICS or EPA-1' }) competency: string;
  @IsInt() @Min(1) @Max(5) level: number;
}

export class SelfAssessmentRecordedRecord extends HistoryRecord {
  declare kind: 'self-assessment-recorded';
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) assessmentId: string;
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) learnerId: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => HistorySelfRating) ratings: HistorySelfRating[];
}

/** One exam score or workplace-based rating; `assessedOn` (a day, not after occurredAt) is occurredAt's day when left out. */
export class AssessmentResultRecordedRecord extends HistoryRecord {
  declare kind: 'assessment-result-recorded';
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) resultId: string;
  @Matches(HISTORY_ID, HISTORY_ID_MESSAGE) learnerId: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @Matches(COMPETENCY_CODE, CODES) competencies: string[];
  @IsIn(ASSESSMENT_KINDS) assessmentKind: AssessmentKind;
  @IsString() @IsNotEmpty() @MaxLength(200) instrument: string;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) score: number;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) maxScore: number;
  @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'assessedOn must be a date YYYY-MM-DD' }) assessedOn?: string;
}

export type FeedbackHistoryRecord =
  | DialogueOpenedRecord | DialogueEntryAddedRecord | ActionItemAgreedRecord | ActionItemCompletedRecord | ActionItemDroppedRecord
  | DialogueClosedRecord | DialogueReopenedRecord
  | GoalSetRecord | GoalRevisedRecord | GoalStatusChangedRecord | GoalProgressNotedRecord | GoalSharedRecord
  | PlanRevisedRecord | PlanReviewedRecord | SelfAssessmentRecordedRecord | AssessmentResultRecordedRecord;

export const FEEDBACK_HISTORY_KINDS: ReadonlyMap<FeedbackHistoryRecord['kind'], new () => HistoryRecord> = new Map<FeedbackHistoryRecord['kind'], new () => HistoryRecord>([
  ['dialogue-opened', DialogueOpenedRecord],
  ['dialogue-entry-added', DialogueEntryAddedRecord],
  ['action-item-agreed', ActionItemAgreedRecord],
  ['action-item-completed', ActionItemCompletedRecord],
  ['action-item-dropped', ActionItemDroppedRecord],
  ['dialogue-closed', DialogueClosedRecord],
  ['dialogue-reopened', DialogueReopenedRecord],
  ['goal-set', GoalSetRecord],
  ['goal-revised', GoalRevisedRecord],
  ['goal-status-changed', GoalStatusChangedRecord],
  ['goal-progress-noted', GoalProgressNotedRecord],
  ['goal-shared', GoalSharedRecord],
  ['plan-revised', PlanRevisedRecord],
  ['plan-reviewed', PlanReviewedRecord],
  ['self-assessment-recorded', SelfAssessmentRecordedRecord],
  ['assessment-result-recorded', AssessmentResultRecordedRecord],
]);
