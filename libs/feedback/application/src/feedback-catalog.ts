import { allPublicEvents, defineEvent, DialogueActionAgreed, DialogueEntryAdded, EventCatalog, EventDefinition, GoalProgressNoted } from '@cbme/contracts';
import { Publication, publishAsStored } from '@cbme/event-sourcing';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** The stored form of an entry carries its text; the published form does not. */
export class DialogueEntryWrittenSchema extends DialogueEntryAdded {
  @IsString() @MaxLength(20_000) text: string;
}

/** The stored form of an action item carries its wording; the published form does not. */
export class DialogueActionWrittenSchema extends DialogueActionAgreed {
  @IsString() @IsNotEmpty() @MaxLength(2000) description: string;
}

/** The stored form of a goal's progress note carries its text; the published form does not. */
export class GoalProgressWrittenSchema extends GoalProgressNoted {
  @IsString() @IsNotEmpty() @MaxLength(5000) note: string;
}

const ENTRY_ADDED = 'feedback.dialogue-entry-added';
const ACTION_AGREED = 'feedback.dialogue-action-agreed';

/** Stored forms that hold text the published forms leave out; the field named is dropped before publishing. */
const PRIVATE_FORMS: { definition: EventDefinition<string, object>; text: string[] }[] = [
  { definition: defineEvent(ENTRY_ADDED, DialogueEntryWrittenSchema), text: ['text'] },
  { definition: defineEvent(ACTION_AGREED, DialogueActionWrittenSchema), text: ['description'] },
  { definition: defineEvent('feedback.goal-progress-noted', GoalProgressWrittenSchema), text: ['note'] },
];

/** Everything the feedback service stores or receives: the public catalog, with the private forms above. */
export const feedbackCatalog = () =>
  new EventCatalog([
    ...allPublicEvents.filter((d) => !PRIVATE_FORMS.some((p) => p.definition.type === d.type)),
    ...PRIVATE_FORMS.map((p) => p.definition),
  ]);

/** The free text of goal events; the published form of a private goal's events leaves it out. */
const GOAL_TEXT = ['description', 'measureOfSuccess', 'rationale', 'note'];
const GOAL_EVENTS_WITH_TEXT = ['feedback.goal-set', 'feedback.goal-drafted', 'feedback.goal-revised', 'feedback.goal-status-changed'];

/**
 * What leaves this service: entry text is private to the dialogue's participants and is never published,
 * nor are action items' wording, progress notes, or the text of plans and plan reviews (only their structure);
 * a goal the learner keeps private is published without its text (its events still say it exists and that
 * it is private, for counts and so that coach-facing consumers can leave it out).
 */
export const feedbackPublication: Publication = (stored) => {
  const event = publishAsStored(stored)!;
  const data = event.data as Record<string, unknown>;
  const privateForm = PRIVATE_FORMS.find((p) => p.definition.type === event.type);
  if (privateForm) return { ...event, data: Object.fromEntries(Object.entries(data).filter(([field]) => !privateForm.text.includes(field))) };
  if (event.type === 'feedback.plan-revised') {
    const { rationale: _r, focusAreas, ...plan } = data as { rationale?: string; focusAreas: { title?: string }[] };
    return { ...event, data: { ...plan, focusAreas: focusAreas.map(({ title: _t, ...area }) => area) } };
  }
  if (event.type === 'feedback.plan-reviewed') {
    const { whatChanged: _w, nextSteps: _n, ...review } = data;
    return { ...event, data: review };
  }
  if (GOAL_EVENTS_WITH_TEXT.includes(event.type) && data['visibility'] === 'private') {
    return { ...event, data: Object.fromEntries(Object.entries(data).filter(([field]) => !GOAL_TEXT.includes(field))) };
  }
  return event;
};
