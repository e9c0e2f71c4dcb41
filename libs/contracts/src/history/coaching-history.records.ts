import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { END_REASONS, EndReason, NOTE_VISIBILITIES, NoteVisibility } from '../coaching/coaching.events';
import { HISTORY_ID, HISTORY_ID_MESSAGE as ID_MESSAGE, HistoryRecord } from './history-record';

/** The record kinds the coaching service imports; each becomes one command of that service, judged at `occurredAt`. */
const REASON = 500;

export class RelationshipAssignedRecord extends HistoryRecord {
  declare kind: 'relationship-assigned';
  @Matches(HISTORY_ID, ID_MESSAGE) relationshipId: string;
  @Matches(HISTORY_ID, ID_MESSAGE) learnerId: string;
  @Matches(HISTORY_ID, ID_MESSAGE) coachId: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(REASON) capacityOverride?: string;
}

export class RelationshipTransferredRecord extends HistoryRecord {
  declare kind: 'relationship-transferred';
  @Matches(HISTORY_ID, ID_MESSAGE) learnerId: string;
  @Matches(HISTORY_ID, ID_MESSAGE) newRelationshipId: string;
  @Matches(HISTORY_ID, ID_MESSAGE) toCoachId: string;
  @IsString() @IsNotEmpty() @MaxLength(REASON) reason: string;
}

export class RelationshipPausedRecord extends HistoryRecord {
  declare kind: 'relationship-paused';
  @Matches(HISTORY_ID, ID_MESSAGE) learnerId: string;
  @IsString() @IsNotEmpty() @MaxLength(REASON) reason: string;
}

export class RelationshipResumedRecord extends HistoryRecord {
  declare kind: 'relationship-resumed';
  @Matches(HISTORY_ID, ID_MESSAGE) learnerId: string;
  @IsOptional() @IsString() @MaxLength(REASON) reason?: string;
}

export class RelationshipEndedRecord extends HistoryRecord {
  declare kind: 'relationship-ended';
  @Matches(HISTORY_ID, ID_MESSAGE) learnerId: string;
  @IsIn(END_REASONS) reason: EndReason;
  @IsOptional() @IsString() @MaxLength(REASON) note?: string;
}

export class MeetingScheduledRecord extends HistoryRecord {
  declare kind: 'meeting-scheduled';
  @Matches(HISTORY_ID, ID_MESSAGE) meetingId: string;
  @Matches(HISTORY_ID, ID_MESSAGE) learnerId: string;
  /** after occurredAt (when it was booked), as for a live booking */
  @IsISO8601({ strict: true }) startsAt: string;
  @IsInt() @Min(5) @Max(480) durationMinutes: number;
  @IsOptional() @IsString() @MaxLength(200) location?: string;
}

export class HistoryMeetingNote {
  @IsString() @IsNotEmpty() @MaxLength(20_000) text: string;
  @IsIn(NOTE_VISIBILITIES) visibility: NoteVisibility;
}

export class MeetingHeldRecord extends HistoryRecord {
  declare kind: 'meeting-held';
  @Matches(HISTORY_ID, ID_MESSAGE) meetingId: string;
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(300, { each: true }) agenda: string[];
  @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => HistoryMeetingNote) notes: HistoryMeetingNote[];
}

export class MeetingMissedRecord extends HistoryRecord {
  declare kind: 'meeting-missed';
  @Matches(HISTORY_ID, ID_MESSAGE) meetingId: string;
  @IsOptional() @IsString() @MaxLength(REASON) reason?: string;
}

export class MeetingCancelledRecord extends HistoryRecord {
  declare kind: 'meeting-cancelled';
  @Matches(HISTORY_ID, ID_MESSAGE) meetingId: string;
  @IsString() @IsNotEmpty() @MaxLength(REASON) reason: string;
}

export type CoachingHistoryRecord =
  | RelationshipAssignedRecord | RelationshipTransferredRecord | RelationshipPausedRecord | RelationshipResumedRecord | RelationshipEndedRecord
  | MeetingScheduledRecord | MeetingHeldRecord | MeetingMissedRecord | MeetingCancelledRecord;

export const COACHING_HISTORY_KINDS: ReadonlyMap<CoachingHistoryRecord['kind'], new () => HistoryRecord> = new Map<CoachingHistoryRecord['kind'], new () => HistoryRecord>([
  ['relationship-assigned', RelationshipAssignedRecord],
  ['relationship-transferred', RelationshipTransferredRecord],
  ['relationship-paused', RelationshipPausedRecord],
  ['relationship-resumed', RelationshipResumedRecord],
  ['relationship-ended', RelationshipEndedRecord],
  ['meeting-scheduled', MeetingScheduledRecord],
  ['meeting-held', MeetingHeldRecord],
  ['meeting-missed', MeetingMissedRecord],
  ['meeting-cancelled', MeetingCancelledRecord],
]);
