import {
  allPublicEvents, defineEvent, EventCatalog, HistoryImportCompleted, HistoryImportStarted, HistoryRecordImported, MeetingHeld, MeetingNoteSummary, NOTE_VISIBILITIES, NoteVisibility,
} from '@cbme/contracts';
import { Publication, publishAsStored } from '@cbme/event-sourcing';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsString, MaxLength, Min, ValidateNested } from 'class-validator';

/** The stored form of a meeting note carries its text; the published form does not. */
class StoredMeetingNote implements MeetingNoteSummary {
  @IsIn(NOTE_VISIBILITIES) visibility: NoteVisibility;
  @IsInt() @Min(0) wordCount: number;
  @IsString() @MaxLength(20_000) text: string;
}

export class StoredMeetingHeldSchema extends MeetingHeld {
  @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => StoredMeetingNote) declare notes: StoredMeetingNote[];
}

const MEETING_HELD = 'coaching.meeting-held';

/** A history import's own stream (see @cbme/event-sourcing's applyHistory): kept in this service, never published. */
const HISTORY_IMPORT_EVENTS = [
  defineEvent('coaching.history-import-started', HistoryImportStarted),
  defineEvent('coaching.history-record-imported', HistoryRecordImported),
  defineEvent('coaching.history-import-completed', HistoryImportCompleted),
];
const isHistoryImportEvent = (type: string) => type.startsWith('coaching.history-');

/** Everything the coaching service stores or receives: the public catalog, with the private form of meeting notes. */
export const coachingCatalog = () =>
  new EventCatalog([...allPublicEvents.filter((d) => d.type !== MEETING_HELD), defineEvent(MEETING_HELD, StoredMeetingHeldSchema), ...HISTORY_IMPORT_EVENTS]);

/** Meeting notes are private to the meeting's people: their text is dropped before publishing. */
export const coachingPublication: Publication = (stored) => {
  if (isHistoryImportEvent(stored.type)) return null;
  const event = publishAsStored(stored)!;
  if (event.type !== MEETING_HELD) return event;
  const data = event.data as StoredMeetingHeldSchema;
  return { ...event, data: { ...data, notes: data.notes.map(({ visibility, wordCount }) => ({ visibility, wordCount })) } };
};
