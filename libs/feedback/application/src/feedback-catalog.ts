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

/** The free text of goal events; the published form of a private goal's events leaves it out. */
const GOAL_TEXT = ['description', 'measureOfSuccess', 'rationale', 'note'];
const GOAL_EVENTS_WITH_TEXT = ['feedback.goal-set', 'feedback.goal-revised', 'feedback.goal-status-changed'];

/**
 * What leaves this service: entry text is private to the dialogue's participants and is never published;
 * a goal the learner keeps private is published without its text (its events still say it exists and that
 * it is private, for counts and so that coach-facing consumers can leave it out).
 */
export const feedbackPublication: Publication = (stored) => {
  const event = publishAsStored(stored)!;
  if (event.type === ENTRY_ADDED) {
    const { text: _text, ...publicData } = event.data as DialogueEntryWrittenSchema;
    return { ...event, data: publicData };
  }
  const data = event.data as Record<string, unknown>;
  if (GOAL_EVENTS_WITH_TEXT.includes(event.type) && data['visibility'] === 'private') {
    return { ...event, data: Object.fromEntries(Object.entries(data).filter(([field]) => !GOAL_TEXT.includes(field))) };
  }
  return event;
};
