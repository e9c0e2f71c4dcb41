import { COMPETENCY_CODE, ENTRY_KINDS, ENTRY_VISIBILITIES, EntryKind, EntryVisibility, GOAL_STATUSES, GOAL_VISIBILITIES, GoalStatus, GoalVisibility, MOTIVATION_KINDS, MotivationKind } from '@cbme/contracts';
import { TIMELINE_CATEGORIES } from '@cbme/feedback-domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';

export class DialogueContextDto {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) course?: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) rotation?: string;
  @IsOptional() @IsISO8601({ strict: true }) date?: string;
}

export class AssessorDto {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) userId?: string;
  @IsString() @IsNotEmpty() @MaxLength(200) name: string;
}

export class OpenDialogueDto {
  @IsOptional() @IsUUID() dialogueId?: string;
  /** the learner's current coach when left out */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) coachId?: string;
  @IsString() @IsNotEmpty() @MaxLength(300) topic: string;
  @IsArray() @ArrayMaxSize(50) @Matches(COMPETENCY_CODE, { each: true, message: 'each competency must be a code like ICS or EPA-1' })
  competencies: string[];
  @IsOptional() @ValidateNested() @Type(() => DialogueContextDto) context?: DialogueContextDto;
  /** feedback asked from someone other than the coach */
  @IsOptional() @ValidateNested() @Type(() => AssessorDto) assessor?: AssessorDto;
}

export class AddEntryDto {
  @IsOptional() @IsUUID() entryId?: string;
  @IsString() @IsNotEmpty() @MaxLength(20_000) text: string;
  @IsIn(ENTRY_VISIBILITIES) visibility: EntryVisibility;
  /** `reflection`: the learner's reflection on the feedback (comment by default) */
  @IsOptional() @IsIn(ENTRY_KINDS) kind?: EntryKind;
}

export class AgreeActionItemDto {
  @IsOptional() @IsUUID() actionId?: string;
  @IsString() @IsNotEmpty() @MaxLength(2000) description: string;
  @IsString() @IsNotEmpty() @MaxLength(128) ownerId: string;
  @IsOptional() @IsISO8601({ strict: true }) dueDate?: string;
}

export class SetGoalDto {
  @IsOptional() @IsUUID() goalId?: string;
  @IsString() @IsNotEmpty() @MaxLength(2000) description: string;
  @IsOptional() @IsString() @MaxLength(2000) measureOfSuccess?: string;
  @IsArray() @ArrayMaxSize(50) @Matches(COMPETENCY_CODE, { each: true, message: 'each competency must be a code like ICS or EPA-1' })
  competencies: string[];
  @IsISO8601({ strict: true }) targetDate: string;
  /** shared with the coach unless the learner says private */
  @IsOptional() @IsIn(GOAL_VISIBILITIES) visibility?: GoalVisibility;
  /** `draft`: the learner is still shaping it; it becomes active with POST /goals/:id/status {"to":"active"} */
  @IsOptional() @IsIn(['draft', 'active']) status?: 'draft' | 'active';
}

export class GoalProgressNoteDto {
  @IsOptional() @IsUUID() noteId?: string;
  @IsString() @IsNotEmpty() @MaxLength(5000) note: string;
}

export class LinkGoalDto {
  @IsIn(MOTIVATION_KINDS) kind: MotivationKind;
  @IsString() @IsNotEmpty() @MaxLength(200) targetId: string;
}

export class ReviseGoalDto {
  @IsString() @IsNotEmpty() @MaxLength(2000) description: string;
  @IsISO8601({ strict: true }) targetDate: string;
  @IsString() @IsNotEmpty() @MaxLength(2000) rationale: string;
}

export class ChangeGoalStatusDto {
  @IsIn(GOAL_STATUSES) to: GoalStatus;
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class ChangeGoalSharingDto {
  @IsIn(GOAL_VISIBILITIES) visibility: GoalVisibility;
}

export class FrameworkCompetencyDto {
  @IsString() @IsNotEmpty() @MaxLength(40) code: string;
  @IsString() @IsNotEmpty() @MaxLength(300) name: string;
}

/** A school's own framework, in full: publishing it again with changes makes a new version. */
export class DefineFrameworkDto {
  @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => FrameworkCompetencyDto) competencies: FrameworkCompetencyDto[];
}

/** A framework file: CSV with the header `code,name`, or JSON (`[{code, name}]` or `{name, competencies}`). */
export class ImportFrameworkDto {
  @IsIn(['csv', 'json']) format: 'csv' | 'json';
  @IsString() @IsNotEmpty() @MaxLength(500_000) content: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
}

export class FocusAreaDto {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) focusId?: string;
  @IsString() @IsNotEmpty() @MaxLength(500) title: string;
  @IsArray() @ArrayMaxSize(50) @Matches(COMPETENCY_CODE, { each: true, message: 'each competency must be a code like ICS or EPA-1' })
  competencies: string[];
}

export class MotivationDto {
  @IsIn(MOTIVATION_KINDS) kind: MotivationKind;
  @IsString() @IsNotEmpty() @MaxLength(200) targetId: string;
}

/** The learner's plan as it should now stand: the first call creates it, later calls are revisions (with a rationale). */
export class RevisePlanDto {
  @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => FocusAreaDto) focusAreas: FocusAreaDto[];
  @IsArray() @ArrayMaxSize(50) @IsUUID('all', { each: true }) goalIds: string[];
  @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => MotivationDto) motivatedBy?: MotivationDto[];
  @IsISO8601({ strict: true }) nextReviewDue: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(2000) rationale?: string;
}

export class ReviewPlanDto {
  @IsString() @IsNotEmpty() @MaxLength(5000) whatChanged: string;
  @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @IsNotEmpty({ each: true }) @MaxLength(1000, { each: true }) nextSteps: string[];
  @IsISO8601({ strict: true }) nextReviewDue: string;
}

/** An assessment file: CSV with the header learnerId,competency,kind,instrument,score,maxScore,assessedOn. */
export class ImportAssessmentsDto {
  @IsOptional() @IsUUID() importId?: string;
  @IsString() @IsNotEmpty() @MaxLength(2_000_000) csv: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) fileName?: string;
}

export class ReferenceResultDto {
  @IsString() @IsNotEmpty() @MaxLength(200) resultId: string;
}

export class SelfRatingDto {
  @Matches(COMPETENCY_CODE, { message: 'competency must be a code like ICS or EPA-1' }) competency: string;
  @IsInt() @Min(1) @Max(5) level: number;
}

export class SelfAssessmentDto {
  @IsOptional() @IsUUID() assessmentId?: string;
  @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => SelfRatingDto) ratings: SelfRatingDto[];
}

export class TimelineFilterDto {
  @IsOptional() @IsIn(TIMELINE_CATEGORIES) category?: string;
  /** an event type or its beginning, e.g. feedback.goal- */
  @IsOptional() @IsString() @Matches(/^[a-z]+\.[a-z-]*$/, { message: 'type must be an event type or its beginning, like feedback.goal-' }) type?: string;
  @IsOptional() @Matches(COMPETENCY_CODE, { message: 'competency must be a code like ICS or EPA-1' }) competency?: string;
  @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

export class TimelinePageDto extends TimelineFilterDto {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) pageSize?: number;
}

export class TimelineExportDto extends TimelineFilterDto {
  @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

export class AsOfDto {
  @IsISO8601({ strict: true }) asOf: string;
}

export class DiffDto {
  @IsISO8601({ strict: true }) from: string;
  @IsISO8601({ strict: true }) to: string;
}
