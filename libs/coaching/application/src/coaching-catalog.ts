import {
  allPublicEvents, AuditExportEvents, DisclosureEvents, CommunitySessionCancelled, CommunitySessionRescheduled, CommunitySessionScheduled, defineEvent, EventCatalog, historyImportEvents,
  MeetingHeld, MeetingNoteSummary, NOTE_VISIBILITIES, NoteVisibility,
} from '@cbme/contracts';
import { Publication, publishAsStored } from '@cbme/event-sourcing';
import { plainToInstance, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min, validateSync, ValidateNested } from 'class-validator';

/** The stored form of a meeting note carries its text; the published form does not. */
class StoredMeetingNote implements MeetingNoteSummary {
  @IsIn(NOTE_VISIBILITIES) visibility: NoteVisibility;
  @IsInt() @Min(0) wordCount: number;
  @IsString() @MaxLength(20_000) text: string;
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

const MEETING_HELD = 'coaching.meeting-held';
/** each session event's published form: only the fields its contract declares leave the service */
const PUBLIC_SESSION_FORMS = new Map<string, new () => object>([
  ['coaching.community-session-scheduled', CommunitySessionScheduled],
  ['coaching.community-session-rescheduled', CommunitySessionRescheduled],
  ['coaching.community-session-cancelled', CommunitySessionCancelled],
]);
const STORED_FORMS = [
  defineEvent(MEETING_HELD, StoredMeetingHeldSchema),
  defineEvent('coaching.community-session-scheduled', StoredSessionScheduledSchema),
  defineEvent('coaching.community-session-rescheduled', StoredSessionRescheduledSchema),
  defineEvent('coaching.community-session-cancelled', StoredSessionCancelledSchema),
];
const storedTypes = new Set<string>(STORED_FORMS.map((d) => d.type));

/** A history import's own stream (see @cbme/event-sourcing's applyHistory): kept in this service, never published. */
const HISTORY_IMPORT_EVENTS = historyImportEvents('coaching');
const isHistoryImportEvent = (type: string) => type.startsWith('coaching.history-');

/** Everything the coaching service stores or receives: the public catalog, with the private forms of notes and session details, and the imports' own events. */
export const coachingCatalog = () => new EventCatalog([...allPublicEvents.filter((d) => !storedTypes.has(d.type)), ...STORED_FORMS, ...HISTORY_IMPORT_EVENTS, ...Object.values(AuditExportEvents), ...Object.values(DisclosureEvents)]);

/** Keeps the fields the public schema declares (an allow-list: a field added to the stored form stays private). */
function publicForm(schema: new () => object, data: object): object {
  const instance = plainToInstance(schema, data);
  validateSync(instance, { whitelist: true });
  return { ...instance };
}

/** Meeting notes are private to the meeting's people: their text is dropped before publishing; so are sessions' locations and reasons. */
export const coachingPublication: Publication = (stored) => {
  if (isHistoryImportEvent(stored.type)) return null;
  const event = publishAsStored(stored)!;
  const sessionForm = PUBLIC_SESSION_FORMS.get(event.type);
  if (sessionForm) return { ...event, data: publicForm(sessionForm, event.data as object) };
  if (event.type !== MEETING_HELD) return event;
  const data = event.data as StoredMeetingHeldSchema;
  return { ...event, data: { ...data, notes: data.notes.map(({ visibility, wordCount }) => ({ visibility, wordCount })) } };
};
