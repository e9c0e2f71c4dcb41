import { allPublicEvents, defineEvent, DialogueEntryAdded, EventCatalog } from '@cbme/contracts';
import { Publication, publishAsStored } from '@cbme/event-sourcing';
import { IsString, MaxLength } from 'class-validator';

/** The stored form of an entry carries its text; the published form does not. */
export class DialogueEntryWrittenSchema extends DialogueEntryAdded {
  @IsString() @MaxLength(20_000) text: string;
}

const ENTRY_ADDED = 'feedback.dialogue-entry-added';

/** Everything the feedback service stores or receives: the public catalog, with the private form of entries. */
export const feedbackCatalog = () =>
  new EventCatalog([...allPublicEvents.filter((d) => d.type !== ENTRY_ADDED), defineEvent(ENTRY_ADDED, DialogueEntryWrittenSchema)]);

/** Entry text is private to the dialogue's participants: it is dropped before publishing. */
export const feedbackPublication: Publication = (stored) => {
  const event = publishAsStored(stored)!;
  if (event.type !== ENTRY_ADDED) return event;
  const { text: _text, ...publicData } = event.data as DialogueEntryWrittenSchema;
  return { ...event, data: publicData };
};
