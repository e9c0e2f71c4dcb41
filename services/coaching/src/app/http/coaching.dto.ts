import { ApiExample } from '@cbme/service-runtime';
import { END_REASONS, EndReason, NOTE_VISIBILITIES, NoteVisibility } from '@cbme/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, Matches, IsString, IsUUID, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';

const ID = 128;
const REASON = 500;

export class AssignCoachDto {
  @IsOptional() @IsUUID() relationshipId?: string;
  @ApiExample('lea-1')
  @IsString() @IsNotEmpty() @MaxLength(ID) learnerId: string;
  @ApiExample('coa-1')
  @IsString() @IsNotEmpty() @MaxLength(ID) coachId: string;
  @ApiExample('continuity through the final year', { description: 'why the coach may go beyond capacity (coaching lead only)' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(REASON) capacityOverride?: string;
}

export class TransferLearnerDto {
  @IsOptional() @IsUUID() newRelationshipId?: string;
  @ApiExample('coa-2')
  @IsString() @IsNotEmpty() @MaxLength(ID) toCoachId: string;
  @ApiExample('the coach moves to another campus')
  @IsString() @IsNotEmpty() @MaxLength(REASON) reason: string;
  @ApiExample('continuity through the final year')
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(REASON) capacityOverride?: string;
}

export class ReasonDto {
  @ApiExample('parental leave')
  @IsString() @IsNotEmpty() @MaxLength(REASON) reason: string;
}

export class ResumeRelationshipDto {
  @ApiExample('back from parental leave')
  @IsOptional() @IsString() @MaxLength(REASON) reason?: string;
}

export class EndRelationshipDto {
  @IsIn(END_REASONS) reason: EndReason;
  @ApiExample('graduated in June')
  @IsOptional() @IsString() @MaxLength(REASON) note?: string;
}

export class MeetingHistoryPageDto {
  @ApiExample(1)
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000) page?: number;
  @ApiExample(10)
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(50) pageSize?: number;
}

export class RelationshipFilterDto {
  @ApiExample('coa-1')
  @IsOptional() @IsString() @MaxLength(ID) coachId?: string;
  @ApiExample('lea-1')
  @IsOptional() @IsString() @MaxLength(ID) learnerId?: string;
  @ApiExample(true, { description: 'only active and paused relationships' })
  @IsOptional() @Type(() => Boolean) @IsBoolean() current?: boolean;
}

export class ProgramDto {
  @ApiExample(90)
  @IsInt() @Min(7) @Max(365) meetingCadenceDays: number;
  @ApiExample(8)
  @IsInt() @Min(1) @Max(200) defaultCoachCapacity: number;
}

export class CoachCapacityDto {
  @ApiExample(8)
  @IsInt() @Min(0) @Max(200) capacity: number;
  @ApiExample('part-time this term', { description: 'why the capacity changed (kept with the change)' })
  @IsOptional() @IsString() @MaxLength(REASON) reason?: string;
}

export class ScheduleMeetingDto {
  @IsOptional() @IsUUID() meetingId?: string;
  @ApiExample('lea-1')
  @IsString() @IsNotEmpty() @MaxLength(ID) learnerId: string;
  @ApiExample('2027-01-12T14:00:00.000Z', { description: 'in the future' })
  @IsISO8601({ strict: true }) startsAt: string;
  @ApiExample(45)
  @IsInt() @Min(5) @Max(480) durationMinutes: number;
  @ApiExample('Room 2.14')
  @IsOptional() @IsString() @MaxLength(200) location?: string;
}

export class AgendaItemDto {
  @ApiExample('Self-rating 4, others 2.5 on ICS: discuss the gap', { description: 'what to discuss (at most 300 characters, the rule of a meeting\'s agenda)' })
  @IsString() @IsNotEmpty() @MaxLength(1000) item: string;
  @ApiExample('ICS', { description: 'the competency the item is about, when it came from one' })
  @IsOptional() @Matches(/^[A-Za-z0-9._-]{1,40}$/, { message: 'competency must be a code like ICS or EPA-1' }) competency?: string;
}

export class RescheduleMeetingDto {
  @ApiExample('2027-01-19T14:00:00.000Z')
  @IsISO8601({ strict: true }) startsAt: string;
  @ApiExample('clinic overran')
  @IsOptional() @IsString() @MaxLength(REASON) reason?: string;
}

export class MeetingNoteDto {
  @ApiExample('Talked through the first family meeting.')
  @IsString() @IsNotEmpty() @MaxLength(20_000) text: string;
  @ApiExample('shared-with-learner', { description: 'coach-only: private to the coach; shared-with-learner: the learner reads it too' })
  @IsIn(NOTE_VISIBILITIES) visibility: NoteVisibility;
}

export class RecordMeetingHeldDto {
  @ApiExample(['last rotation', 'goals for the spring'])
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(300, { each: true }) agenda: string[];
  @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => MeetingNoteDto) notes: MeetingNoteDto[];
}

export class RecordMeetingMissedDto {
  @ApiExample('the learner was on call')
  @IsOptional() @IsString() @MaxLength(REASON) reason?: string;
}

export class CreateCommunityDto {
  @ApiExample('house-osler')
  @IsOptional() @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'communityId must be a lower-case slug like "house-osler"' }) communityId?: string;
  @ApiExample('Osler House')
  @IsString() @IsNotEmpty() @MaxLength(200) name: string;
}

export class CommunityCoachDto {
  @ApiExample('coa-1')
  @IsString() @IsNotEmpty() @MaxLength(ID) coachId: string;
}
