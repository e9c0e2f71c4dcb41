import { ENTRY_VISIBILITIES, EntryVisibility, GOAL_STATUSES, GOAL_VISIBILITIES, GoalStatus, GoalVisibility } from '@cbme/contracts';
import {
  ArrayMaxSize, IsArray, IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength,
} from 'class-validator';

const COMPETENCY_CODE = /^[A-Za-z0-9._-]{1,40}$/;

export class OpenDialogueDto {
  @IsOptional() @IsUUID() dialogueId?: string;
  @IsString() @IsNotEmpty() @MaxLength(128) coachId: string;
  @IsString() @IsNotEmpty() @MaxLength(300) topic: string;
  @IsArray() @ArrayMaxSize(50) @Matches(COMPETENCY_CODE, { each: true, message: 'each competency must be a code like ICS or EPA-1' })
  competencies: string[];
}

export class AddEntryDto {
  @IsOptional() @IsUUID() entryId?: string;
  @IsString() @IsNotEmpty() @MaxLength(20_000) text: string;
  @IsIn(ENTRY_VISIBILITIES) visibility: EntryVisibility;
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
