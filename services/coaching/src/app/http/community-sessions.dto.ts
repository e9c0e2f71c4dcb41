import { COMMUNITY_SESSION_KINDS, CommunitySessionKind } from '@cbme/contracts';
import { ApiExample } from '@cbme/service-runtime';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

const ID = 128;

export class ScheduleCommunitySessionDto {
  @IsOptional() @IsUUID() sessionId?: string;
  @ApiExample('faculty-development', { description: 'coach-meeting or faculty-development' })
  @IsIn(COMMUNITY_SESSION_KINDS) kind: CommunitySessionKind;
  @ApiExample('Feedback that lands')
  @IsString() @IsNotEmpty() @MaxLength(200) title: string;
  @ApiExample('2027-01-12T16:00:00.000Z', { description: 'in the future' })
  @IsISO8601({ strict: true }) startsAt: string;
  @ApiExample(90)
  @IsInt() @Min(5) @Max(600) durationMinutes: number;
  @ApiExample('Room 4.02', { description: 'kept in coaching, not published' })
  @IsOptional() @IsString() @MaxLength(200) location?: string;
}

export class RescheduleCommunitySessionDto {
  @ApiExample('2027-01-19T16:00:00.000Z')
  @IsISO8601({ strict: true }) startsAt: string;
  @ApiExample(60, { description: 'unchanged when left out' })
  @IsOptional() @IsInt() @Min(5) @Max(600) durationMinutes?: number;
  @ApiExample('clashes with grand rounds')
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export class RecordCommunitySessionHeldDto {
  @ApiExample(['feedback models', 'inclusive language'], { description: 'short topics the session covered (at least one)' })
  @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(120, { each: true }) topics: string[];
  @ApiExample(['coa-1', 'coa-2'], { description: 'coaches who attended: members of the community when the session started' })
  @IsArray() @ArrayMaxSize(500) @IsString({ each: true }) @MaxLength(ID, { each: true }) attendees: string[];
}

export class ParticipationPeriodDto {
  @ApiExample('2026-09-01T00:00:00.000Z', { description: 'sessions starting at or after' })
  @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiExample('2027-01-01T00:00:00.000Z', { description: 'sessions starting before' })
  @IsOptional() @IsISO8601({ strict: true }) to?: string;
}
