import { ApiExample } from '@cbme/service-runtime';
import { COACH_FOCUS_AREAS, CoachFocusArea, COMPETENCY_CODE, ENTRY_KINDS, HISTORY_ID, ENTRY_VISIBILITIES, EntryKind, EntryVisibility, GOAL_STATUSES, GOAL_VISIBILITIES, GoalStatus, GoalVisibility, MOTIVATION_KINDS, MotivationKind } from '@cbme/contracts';
import { AS_OF_BASES, AsOfBasis, TIMELINE_CATEGORIES } from '@cbme/feedback-domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsNotEmpty, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested,
} from 'class-validator';

export class DialogueContextDto {
  @ApiExample('Internal Medicine')
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) course?: string;
  @ApiExample('Cardiology ward')
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) rotation?: string;
  @ApiExample('2026-09-14', { format: 'date' })
  @IsOptional() @IsISO8601({ strict: true }) date?: string;
}

export class AssessorDto {
  @ApiExample('coa-2')
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) userId?: string;
  @ApiExample('Dr. Rivera')
  @IsString() @IsNotEmpty() @MaxLength(200) name: string;
}

export class OpenDialogueDto {
  @IsOptional() @IsUUID() dialogueId?: string;
  @ApiExample('coa-1', { description: "the learner's current coach when left out" })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) coachId?: string;
  @ApiExample('Breaking bad news to a family')
  @IsString() @IsNotEmpty() @MaxLength(300) topic: string;
  @ApiExample(['ICS', 'EPA-1'])
  @IsArray() @ArrayMaxSize(50) @Matches(COMPETENCY_CODE, { each: true, message: 'each competency must be a code like ICS or EPA-1' })
  competencies: string[];
  @IsOptional() @ValidateNested() @Type(() => DialogueContextDto) context?: DialogueContextDto;
  @ApiExample({ name: 'Dr. Rivera' }, { description: 'feedback asked from someone other than the coach' })
  @IsOptional() @ValidateNested() @Type(() => AssessorDto) assessor?: AssessorDto;
}

export class AddEntryDto {
  @IsOptional() @IsUUID() entryId?: string;
  @ApiExample('I kept the family informed, but could have checked their understanding.')
  @IsString() @IsNotEmpty() @MaxLength(20_000) text: string;
  @IsIn(ENTRY_VISIBILITIES) visibility: EntryVisibility;
  @ApiExample('reflection', { description: "`reflection`: the learner's reflection on the feedback (comment by default)" })
  @IsOptional() @IsIn(ENTRY_KINDS) kind?: EntryKind;
  /** the coach's or assessor's view: competencies of the dialogue rated 1 (novice) .. 5 (expert), at most once each */
  @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => SelfRatingDto) ratings?: SelfRatingDto[];
}

export class AgreeActionItemDto {
  @IsOptional() @IsUUID() actionId?: string;
  @ApiExample('Practise the SPIKES protocol with a standardized patient')
  @IsString() @IsNotEmpty() @MaxLength(2000) description: string;
  @ApiExample('lea-1')
  @IsString() @IsNotEmpty() @MaxLength(128) ownerId: string;
  @ApiExample('2026-10-15', { format: 'date' })
  @IsOptional() @IsISO8601({ strict: true }) dueDate?: string;
}

/** Required and at most 1000 characters: the decider's rule (422 at the field), so only the type is checked here. */
export class CompleteActionItemDto {
  @ApiExample('Used SBAR on four handovers; the night registrar asked for it by name', { description: 'what came of it (required, at most 1000 characters)' })
  @IsString() outcome: string;
}

export class DropActionItemDto {
  @ApiExample('The rotation changed: no night shifts until March', { description: 'why it will not be done (required, at most 1000 characters)' })
  @IsString() reason: string;
}

export class SetGoalDto {
  @IsOptional() @IsUUID() goalId?: string;
  @ApiExample('Lead a family meeting on my own')
  @IsString() @IsNotEmpty() @MaxLength(2000) description: string;
  @ApiExample('two family meetings led, with the coach\'s feedback')
  @IsOptional() @IsString() @MaxLength(2000) measureOfSuccess?: string;
  @ApiExample(['ICS'])
  @IsArray() @ArrayMaxSize(50) @Matches(COMPETENCY_CODE, { each: true, message: 'each competency must be a code like ICS or EPA-1' })
  competencies: string[];
  @ApiExample('2027-03-31', { format: 'date' })
  @IsISO8601({ strict: true }) targetDate: string;
  @ApiExample('shared', { description: 'shared with the coach unless the learner says private' })
  @IsOptional() @IsIn(GOAL_VISIBILITIES) visibility?: GoalVisibility;
  @ApiExample('active', { description: '`draft`: the learner is still shaping it; it becomes active with POST /goals/:id/status {"to":"active"}' })
  @IsOptional() @IsIn(['draft', 'active']) status?: 'draft' | 'active';
}

export class GoalProgressNoteDto {
  @IsOptional() @IsUUID() noteId?: string;
  @ApiExample('Led the first meeting with the attending present')
  @IsString() @IsNotEmpty() @MaxLength(5000) note: string;
}

export class LinkGoalDto {
  @IsIn(MOTIVATION_KINDS) kind: MotivationKind;
  @ApiExample('3fa85f64-5717-4562-b3fc-2c963f66afa6', { description: 'the dialogue id, or the assessment result id' })
  @IsString() @IsNotEmpty() @MaxLength(200) targetId: string;
}

/** A link as the path names it: DELETE /goals/:goalId/links/:kind/:targetId. */
export class GoalLinkParamsDto {
  @Matches(HISTORY_ID, { message: 'goalId must be 1 to 128 letters, digits or . _ : - (a UUID, or an imported id)' }) goalId: string;
  @IsIn(MOTIVATION_KINDS) kind: MotivationKind;
  @ApiExample('3fa85f64-5717-4562-b3fc-2c963f66afa6', { description: 'the dialogue id, or the assessment result id' })
  @IsString() @IsNotEmpty() @MaxLength(200) targetId: string;
}

export class ReflectionsPageDto {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000) page?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) pageSize?: number;
}

export class ReviseGoalDto {
  @ApiExample('Lead two family meetings on my own')
  @IsString() @IsNotEmpty() @MaxLength(2000) description: string;
  @ApiExample('2027-06-30', { format: 'date' })
  @IsISO8601({ strict: true }) targetDate: string;
  @ApiExample('the rotation was extended')
  @IsString() @IsNotEmpty() @MaxLength(2000) rationale: string;
}

export class ChangeGoalStatusDto {
  @IsIn(GOAL_STATUSES) to: GoalStatus;
  @ApiExample('met in the March review')
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class ChangeGoalSharingDto {
  @IsIn(GOAL_VISIBILITIES) visibility: GoalVisibility;
}

export class FrameworkCompetencyDto {
  @ApiExample('EPA-1')
  @IsString() @IsNotEmpty() @MaxLength(40) code: string;
  @ApiExample('Gather a history and perform a physical examination')
  @IsString() @IsNotEmpty() @MaxLength(300) name: string;
}

/** A school's own framework, in full: publishing it again with changes makes a new version. */
export class DefineFrameworkDto {
  @ApiExample('Medicine EPAs')
  @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => FrameworkCompetencyDto) competencies: FrameworkCompetencyDto[];
}

/**
 * One line of a crosswalk: an old code and the new code(s) it reads as. The codes are checked against the framework
 * (422 with each problem at its line), so only their shape is checked here.
 */
export class CrosswalkRowDto {
  @ApiExample('EPA-1')
  @IsString() @MaxLength(100) from: string;
  @ApiExample(['EPA-1a', 'EPA-1b'], { description: 'one code (one to one; several rows with the same code: many to one) or several (one to many: evidence counts toward each)' })
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(100, { each: true }) to: string[];
}

/** The framework's next version in full, with how the codes of the versions before read under it. */
export class PublishFrameworkVersionDto extends DefineFrameworkDto {
  @IsArray() @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => CrosswalkRowDto) crosswalk: CrosswalkRowDto[];
}

export class UnmappedCodesDto {
  @ApiExample(2, { description: 'the version to read under (the latest when left out)' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000) version?: number;
}

const readsVersion = (o: { framework?: unknown; frameworkVersion?: unknown }) => o.framework !== undefined || o.frameworkVersion !== undefined;

/** `framework` and `frameworkVersion` together read competencies under that version; neither: codes as recorded. */
export function WithFrameworkVersion<T extends new (...args: any[]) => object>(Base: T) {
  class Versioned extends Base {
    @ApiExample('medicine-epas', { description: 'with frameworkVersion: read competencies under that version of this framework (as recorded when both are left out)' })
    @ValidateIf(readsVersion) @IsString() @Matches(COMPETENCY_CODE, { message: 'framework must be a framework id like medicine-epas' }) framework?: string;
    @ApiExample(2, { description: 'with framework: the version to read under' })
    @ValidateIf(readsVersion) @Type(() => Number) @IsInt() @Min(1) @Max(100_000) frameworkVersion?: number;
  }
  return Versioned;
}

export class FrameworkVersionDto extends WithFrameworkVersion(class {}) {}

/** The version asked for, if any. */
export const versionOf = ({ framework, frameworkVersion }: { framework?: string; frameworkVersion?: number }) =>
  (framework !== undefined && frameworkVersion !== undefined ? { frameworkId: framework, version: frameworkVersion } : undefined);

/** A framework file: CSV with the header `code,name`, or JSON (`[{code, name}]` or `{name, competencies}`). */
export class ImportFrameworkDto {
  @IsIn(['csv', 'json']) format: 'csv' | 'json';
  @ApiExample('code,name\nEPA-1,Gather a history and perform a physical examination\n')
  @IsString() @IsNotEmpty() @MaxLength(500_000) content: string;
  @ApiExample('Medicine EPAs')
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
}

export class FocusAreaDto {
  @ApiExample('communication')
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) focusId?: string;
  @ApiExample('Communication with families')
  @IsString() @IsNotEmpty() @MaxLength(500) title: string;
  @ApiExample(['ICS'])
  @IsArray() @ArrayMaxSize(50) @Matches(COMPETENCY_CODE, { each: true, message: 'each competency must be a code like ICS or EPA-1' })
  competencies: string[];
}

export class MotivationDto {
  @IsIn(MOTIVATION_KINDS) kind: MotivationKind;
  @ApiExample('3fa85f64-5717-4562-b3fc-2c963f66afa6', { description: 'the dialogue id, or the assessment result id' })
  @IsString() @IsNotEmpty() @MaxLength(200) targetId: string;
}

/** The learner's plan as it should now stand: the first call creates it, later calls are revisions (with a rationale). */
export class RevisePlanDto {
  @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => FocusAreaDto) focusAreas: FocusAreaDto[];
  @ApiExample(['3fa85f64-5717-4562-b3fc-2c963f66afa6'], { description: 'the goals it holds: UUIDs, or the short ids of imported goals' })
  @IsArray() @ArrayMaxSize(50) @Matches(HISTORY_ID, { each: true, message: 'each goal id must be 1 to 128 letters, digits or . _ : -' }) goalIds: string[];
  @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => MotivationDto) motivatedBy?: MotivationDto[];
  @ApiExample('2027-01-15', { format: 'date' })
  @IsISO8601({ strict: true }) nextReviewDue: string;
  @ApiExample('after the cardiology rotation')
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(2000) rationale?: string;
}

export class ReviewPlanDto {
  @ApiExample('communication goal achieved; new focus on handovers')
  @IsString() @IsNotEmpty() @MaxLength(5000) whatChanged: string;
  @ApiExample(['Shadow two evening handovers'])
  @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @IsNotEmpty({ each: true }) @MaxLength(1000, { each: true }) nextSteps: string[];
  @ApiExample('2027-04-15', { format: 'date' })
  @IsISO8601({ strict: true }) nextReviewDue: string;
}

export class CoachFocusAreaDto {
  @ApiExample('inclusive-language')
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) focusId?: string;
  @ApiExample('inclusive-language', { description: 'one of the coaching areas' })
  @IsIn(COACH_FOCUS_AREAS) area: CoachFocusArea;
  @ApiExample('Notice my own assumptions when I give feedback', { description: 'the coach\'s own words on it' })
  @IsString() @IsNotEmpty() @MaxLength(500) title: string;
}

/** The coach's own plan as it should now stand: the first call creates it, later calls are revisions (with a rationale). */
export class ReviseCoachPlanDto {
  @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => CoachFocusAreaDto) focusAreas: CoachFocusAreaDto[];
  @ApiExample('2027-01-15', { format: 'date' })
  @IsISO8601({ strict: true }) nextReviewDue: string;
  @ApiExample('a learner told me my feedback felt one-sided')
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(2000) rationale?: string;
}

/** Whom the coach asks to review their plan: the school's coaching lead or a peer coach. */
export class RequestCoachPlanReviewDto {
  @ApiExample('coa-2')
  @IsString() @IsNotEmpty() @MaxLength(128) reviewerId: string;
}

/** An assessment file: CSV with the header learnerId,competency,kind,instrument,score,maxScore,assessedOn. */
export class ImportAssessmentsDto {
  @IsOptional() @IsUUID() importId?: string;
  @ApiExample('learnerId,competency,kind,instrument,score,maxScore,assessedOn\nlea-1,EPA-1,wba,Mini-CEX,4,5,2026-09-10\n')
  @IsString() @IsNotEmpty() @MaxLength(2_000_000) csv: string;
  @ApiExample('mini-cex-september.csv')
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) fileName?: string;
}

export class ReferenceResultDto {
  @ApiExample('3fa85f64-5717-4562-b3fc-2c963f66afa6')
  @IsString() @IsNotEmpty() @MaxLength(200) resultId: string;
}

export class SelfRatingDto {
  @ApiExample('ICS')
  @Matches(COMPETENCY_CODE, { message: 'competency must be a code like ICS or EPA-1' }) competency: string;
  @IsInt() @Min(1) @Max(5) level: number;
}

export class SelfAssessmentDto {
  @IsOptional() @IsUUID() assessmentId?: string;
  @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => SelfRatingDto) ratings: SelfRatingDto[];
  @ApiExample('private', { description: 'shared with the coach (default) or kept to the learner' })
  @IsOptional() @IsIn(GOAL_VISIBILITIES) visibility?: GoalVisibility;
}

export class SelfVsOthersDto {
  @ApiExample(1.5, { description: 'flag gaps at least this far apart on the 1-5 scale (default: the service\'s setting)' })
  @IsOptional() @Type(() => Number) @IsNumber() @Min(0.1) @Max(4) threshold?: number;
}

/** Which time of each event an as-of view or a date filter reads by (default occurred). */
class AsOfBasisDto {
  @ApiExample('recorded', { description: 'occurred: by when it happened (as it was; all we know now); recorded: by when the platform stored it (as it knew it then)' })
  @IsOptional() @IsIn(AS_OF_BASES) basis?: AsOfBasis;
}

export class TimelineFilterDto extends WithFrameworkVersion(AsOfBasisDto) {
  @IsOptional() @IsIn(TIMELINE_CATEGORIES) category?: string;
  @ApiExample('feedback.goal-', { description: 'an event type or its beginning, e.g. feedback.goal-' })
  @IsOptional() @IsString() @Matches(/^[a-z]+\.[a-z-]*$/, { message: 'type must be an event type or its beginning, like feedback.goal-' }) type?: string;
  @ApiExample('ICS')
  @IsOptional() @Matches(COMPETENCY_CODE, { message: 'competency must be a code like ICS or EPA-1' }) competency?: string;
  @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

export class TimelinePageDto extends TimelineFilterDto {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000) page?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) pageSize?: number;
}

export class TimelineExportDto extends TimelineFilterDto {
  @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

export class AsOfDto extends AsOfBasisDto {
  @IsISO8601({ strict: true }) asOf: string;
}

export class DiffDto extends AsOfBasisDto {
  @IsISO8601({ strict: true }) from: string;
  @IsISO8601({ strict: true }) to: string;
}
