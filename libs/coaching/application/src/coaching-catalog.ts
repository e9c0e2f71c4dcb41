import {
  allPublicEvents, AuditExportEvents, DeadLetterEvents, DisclosureEvents, CommunitySessionCancelled, CommunitySessionRescheduled, CommunitySessionScheduled, defineEvent, EventCatalog, historyImportEvents,
  MeetingHeld, MeetingNoteSummary, NOTE_VISIBILITIES, NoteVisibility, Personal, publicCatalog,
} from '@cbme/contracts';
import { Publication, publishByContract } from '@cbme/event-sourcing';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';

/** The stored form of a meeting note carries its text; the published form does not. */
class StoredMeetingNote implements MeetingNoteSummary {
  @IsIn(NOTE_VISIBILITIES) visibility: NoteVisibility;
  @IsInt() @Min(0) wordCount: number;
  @Personal() @IsString() @MaxLength(20_000) text: string;
}

export class StoredMeetingHeldSchema extends MeetingHeld {
  @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => StoredMeetingNote) declare notes: StoredMeetingNote[];
}

/* Community sessions: where and why stay in coaching. */
class StoredSessionScheduledSchema extends CommunitySessionScheduled {
  @IsOptional() @IsString() @MaxLength(200) location?: string;
}
class StoredSessionRescheduledSchema extends CommunitySessionRescheduled {
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
}
class StoredSessionCancelledSchema extends CommunitySessionCancelled {
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

const STORED_FORMS = [
  defineEvent('coaching.meeting-held', StoredMeetingHeldSchema),
  defineEvent('coaching.community-session-scheduled', StoredSessionScheduledSchema),
  defineEvent('coaching.community-session-rescheduled', StoredSessionRescheduledSchema),
  defineEvent('coaching.community-session-cancelled', StoredSessionCancelledSchema),
];
const storedTypes = new Set<string>(STORED_FORMS.map((d) => d.type));

/** A history import's own stream (see @cbme/event-sourcing's applyHistory): kept in this service, never published. */
const HISTORY_IMPORT_EVENTS = historyImportEvents('coaching');

/** Everything the coaching service stores or receives: the public catalog, with the private forms of notes and session details, and the imports' own events. */
export const coachingCatalog = () => new EventCatalog([...allPublicEvents.filter((d) => !storedTypes.has(d.type)), ...STORED_FORMS, ...HISTORY_IMPORT_EVENTS, ...Object.values(AuditExportEvents), ...Object.values(DeadLetterEvents), ...Object.values(DisclosureEvents)]);

/**
 * What leaves coaching: what the public contract declares, so meeting notes' text, sessions' locations and reasons, and
 * the imports' own streams stay here.
 */
export const coachingPublication: Publication = publishByContract(publicCatalog());
