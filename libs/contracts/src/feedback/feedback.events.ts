import {
  ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, MaxLength, Min, ValidateIf,
} from 'class-validator';
import { defineEvent } from '../catalog';

export const ENTRY_VISIBILITIES = ['private', 'shared'] as const;
export type EntryVisibility = (typeof ENTRY_VISIBILITIES)[number];

export const GOAL_STATUSES = ['active', 'achieved', 'abandoned', 'deferred'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

export class DialogueOpened {
  @IsString() @IsNotEmpty() dialogueId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() coachId: string;
  @IsString() @IsNotEmpty() @MaxLength(300) topic: string;
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) competencies: string[];
}

/** Public form: entry text never leaves the feedback service, only that an entry was written. */
export class DialogueEntryAdded {
  @IsString() @IsNotEmpty() dialogueId: string;
  @IsString() @IsNotEmpty() entryId: string;
  @IsString() @IsNotEmpty() authorId: string;
  @IsIn(ENTRY_VISIBILITIES) visibility: EntryVisibility;
  @IsInt() @Min(0) wordCount: number;
}

export class DialogueClosed {
  @IsString() @IsNotEmpty() dialogueId: string;
  @IsString() @IsNotEmpty() learnerId: string;
}

/** v2 added `measureOfSuccess`; v1 events are upcast with `null`. */
export class GoalSet {
  @IsString() @IsNotEmpty() goalId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() @MaxLength(2000) description: string;
  @ValidateIf((_, value) => value !== null) @IsString() @MaxLength(2000) measureOfSuccess: string | null;
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) competencies: string[];
  @IsISO8601({ strict: true }) targetDate: string;
}

export class GoalRevised {
  @IsString() @IsNotEmpty() goalId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() @MaxLength(2000) description: string;
  @IsISO8601({ strict: true }) targetDate: string;
  @IsString() @IsNotEmpty() @MaxLength(2000) rationale: string;
}

export class GoalStatusChanged {
  @IsString() @IsNotEmpty() goalId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsIn(GOAL_STATUSES) from: GoalStatus;
  @IsIn(GOAL_STATUSES) to: GoalStatus;
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export const FeedbackEvents = {
  DialogueOpened: defineEvent('feedback.dialogue-opened', DialogueOpened),
  DialogueEntryAdded: defineEvent('feedback.dialogue-entry-added', DialogueEntryAdded),
  DialogueClosed: defineEvent('feedback.dialogue-closed', DialogueClosed),
  GoalSet: defineEvent('feedback.goal-set', GoalSet, {
    schemaVersion: 2,
    upcasters: { 1: (v1) => ({ ...v1, measureOfSuccess: null }) },
  }),
  GoalRevised: defineEvent('feedback.goal-revised', GoalRevised),
  GoalStatusChanged: defineEvent('feedback.goal-status-changed', GoalStatusChanged),
};
