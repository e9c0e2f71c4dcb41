import { END_REASONS, EndReason, NOTE_VISIBILITIES, NoteVisibility } from '@cbme/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, Matches, IsString, IsUUID, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';

const ID = 128;
const REASON = 500;

export class AssignCoachDto {
  @IsOptional() @IsUUID() relationshipId?: string;
  @IsString() @IsNotEmpty() @MaxLength(ID) learnerId: string;
  @IsString() @IsNotEmpty() @MaxLength(ID) coachId: string;
  /** why the coach may go beyond capacity (coaching lead only) */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(REASON) capacityOverride?: string;
}

export class TransferLearnerDto {
  @IsOptional() @IsUUID() newRelationshipId?: string;
  @IsString() @IsNotEmpty() @MaxLength(ID) toCoachId: string;
  @IsString() @IsNotEmpty() @MaxLength(REASON) reason: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(REASON) capacityOverride?: string;
}

export class ReasonDto {
  @IsString() @IsNotEmpty() @MaxLength(REASON) reason: string;
}

export class EndRelationshipDto {
  @IsIn(END_REASONS) reason: EndReason;
  @IsOptional() @IsString() @MaxLength(REASON) note?: string;
}

export class RelationshipFilterDto {
  @IsOptional() @IsString() @MaxLength(ID) coachId?: string;
  @IsOptional() @IsString() @MaxLength(ID) learnerId?: string;
  /** only active and paused relationships */
  @IsOptional() @Type(() => Boolean) @IsBoolean() current?: boolean;
}

export class ProgramDto {
  @IsInt() @Min(7) @Max(365) meetingCadenceDays: number;
  @IsInt() @Min(1) @Max(200) defaultCoachCapacity: number;
}

export class CoachCapacityDto {
  @IsInt() @Min(0) @Max(200) capacity: number;
}

export class ScheduleMeetingDto {
  @IsOptional() @IsUUID() meetingId?: string;
  @IsString() @IsNotEmpty() @MaxLength(ID) learnerId: string;
  @IsISO8601({ strict: true }) startsAt: string;
  @IsInt() @Min(5) @Max(480) durationMinutes: number;
  @IsOptional() @IsString() @MaxLength(200) location?: string;
}

export class RescheduleMeetingDto {
  @IsISO8601({ strict: true }) startsAt: string;
  @IsOptional() @IsString() @MaxLength(REASON) reason?: string;
}

export class MeetingNoteDto {
  @IsString() @IsNotEmpty() @MaxLength(20_000) text: string;
  /** coach-only: private to the coach; shared-with-learner: the learner reads it too */
  @IsIn(NOTE_VISIBILITIES) visibility: NoteVisibility;
}

export class RecordMeetingHeldDto {
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(300, { each: true }) agenda: string[];
  @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => MeetingNoteDto) notes: MeetingNoteDto[];
}

export class RecordMeetingMissedDto {
  @IsOptional() @IsString() @MaxLength(REASON) reason?: string;
}

export class CreateCommunityDto {
  @IsOptional() @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'communityId must be a lower-case slug like "house-osler"' }) communityId?: string;
  @IsString() @IsNotEmpty() @MaxLength(200) name: string;
}

export class CommunityCoachDto {
  @IsString() @IsNotEmpty() @MaxLength(ID) coachId: string;
}
