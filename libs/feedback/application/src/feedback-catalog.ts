import {
  allPublicEvents, AuditExportEvents, DisclosureEvents, CoachPlanFocusArea, CoachPlanReviewed, CoachPlanRevised, completedWithoutOutcome, defineEvent, DialogueActionAgreed, DialogueActionCompleted, DialogueActionDropped, DialogueEntryAdded, EventCatalog, EventDefinition,
  FeedbackEvents, FeedbackRequestAnswered, FeedbackRequestContext, FeedbackRequestDeclined, FeedbackRequestMade, FeedbackRequestPrompted, GoalProgressNoted, historyImportEvents,
} from '@cbme/contracts';
import { Publication, publishAsStored } from '@cbme/event-sourcing';
import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf, ValidateNested, validateSync,
} from 'class-validator';

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

/** What came of a done action item (null: done before outcomes were asked); the published form carries its word count. */
export class DialogueActionCompletedWrittenSchema extends DialogueActionCompleted {
  @ValidateIf((_, value) => value !== null) @IsString() @MaxLength(1000) outcome: string | null;
}

/** Why an action item was dropped; the published form does not carry it. */
export class DialogueActionDroppedWrittenSchema extends DialogueActionDropped {
  @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

/** The stored form of a coach's focus area carries the coach's words on it. */
export class CoachPlanFocusAreaWrittenSchema extends CoachPlanFocusArea {
  @IsString() @IsNotEmpty() @MaxLength(500) title: string;
}

/** The stored form of a coach's plan version carries the focus areas' words and the rationale. */
export class CoachPlanRevisedWrittenSchema extends CoachPlanRevised {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => CoachPlanFocusAreaWrittenSchema) declare focusAreas: CoachPlanFocusAreaWrittenSchema[];
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(2000) rationale?: string;
}

/** The stored form of a coach plan's review carries what changed and the next steps. */
export class CoachPlanReviewedWrittenSchema extends CoachPlanReviewed {
  @IsString() @MaxLength(5000) whatChanged: string;
  @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(1000, { each: true }) nextSteps: string[];
}

/** A coach's prompt to seek feedback may say why; the published form does not. */
export class FeedbackRequestPromptedWrittenSchema extends FeedbackRequestPrompted {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(1000) message?: string;
}

/** Whom the learner asked by name (and an external's address) and about what situation: none of it is published. */
export class FeedbackRequestMadeWrittenSchema extends FeedbackRequestMade {
  @IsString() @IsNotEmpty() @MaxLength(200) assessorName: string;
  @IsOptional() @IsEmail() @MaxLength(320) assessorEmail?: string;
  @ValidateNested() @Type(() => FeedbackRequestContext) context: FeedbackRequestContext;
}

/** The answer's text stays here; the published form carries the ratings and its word count. */
export class FeedbackRequestAnsweredWrittenSchema extends FeedbackRequestAnswered {
  @IsString() @IsNotEmpty() @MaxLength(5000) text: string;
}

/** Why a request was declined, when the person asked said so. */
export class FeedbackRequestDeclinedWrittenSchema extends FeedbackRequestDeclined {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(1000) reason?: string;
}

const { DialogueActionCompleted: COMPLETED, DialogueActionDropped: DROPPED } = FeedbackEvents;

/**
 * Stored forms that hold text the published forms leave out, each beside its public contract: what is published is
 * built from the fields the public schema declares (an allow-list: a text field added to a stored form stays here).
 */
const PRIVATE_FORMS: { definition: EventDefinition<string, object>; publicSchema: new () => object }[] = [
  { definition: defineEvent('feedback.dialogue-entry-added', DialogueEntryWrittenSchema), publicSchema: DialogueEntryAdded },
  { definition: defineEvent('feedback.dialogue-action-agreed', DialogueActionWrittenSchema), publicSchema: DialogueActionAgreed },
  { definition: defineEvent('feedback.goal-progress-noted', GoalProgressWrittenSchema), publicSchema: GoalProgressNoted },
  {
    definition: defineEvent(COMPLETED.type, DialogueActionCompletedWrittenSchema, {
      schemaVersion: COMPLETED.schemaVersion, upcasters: { 1: (v1) => ({ ...completedWithoutOutcome(v1), outcome: null }) },
    }),
    publicSchema: COMPLETED.schema,
  },
  { definition: defineEvent(DROPPED.type, DialogueActionDroppedWrittenSchema, { schemaVersion: DROPPED.schemaVersion }), publicSchema: DROPPED.schema },
  { definition: defineEvent('feedback.coach-plan-revised', CoachPlanRevisedWrittenSchema), publicSchema: CoachPlanRevised },
  { definition: defineEvent('feedback.coach-plan-reviewed', CoachPlanReviewedWrittenSchema), publicSchema: CoachPlanReviewed },
  { definition: defineEvent('feedback.request-prompted', FeedbackRequestPromptedWrittenSchema), publicSchema: FeedbackRequestPrompted },
  { definition: defineEvent('feedback.request-made', FeedbackRequestMadeWrittenSchema), publicSchema: FeedbackRequestMade },
  { definition: defineEvent('feedback.request-answered', FeedbackRequestAnsweredWrittenSchema), publicSchema: FeedbackRequestAnswered },
  { definition: defineEvent('feedback.request-declined', FeedbackRequestDeclinedWrittenSchema), publicSchema: FeedbackRequestDeclined },
];

/** The fields of `data` that `schema` declares (class-validator's whitelist strips every other one). */
function publicFieldsOf(schema: new () => object, data: Record<string, unknown>): Record<string, unknown> {
  const instance = plainToInstance(schema, data);
  validateSync(instance, { whitelist: true });
  return Object.fromEntries(Object.entries(instance).filter(([, value]) => value !== undefined));
}

/** Everything the feedback service stores or receives: the public catalog, with the private forms above. */
export const feedbackCatalog = () =>
  new EventCatalog([
    ...allPublicEvents.filter((d) => !PRIVATE_FORMS.some((p) => p.definition.type === d.type)),
    ...PRIVATE_FORMS.map((p) => p.definition),
    ...historyImportEvents('feedback'),
    ...Object.values(AuditExportEvents), ...Object.values(DisclosureEvents),
  ]);

/** The free text of goal events; the published form of a private goal's events leaves it out. */
const GOAL_TEXT = ['description', 'measureOfSuccess', 'rationale', 'note'];
const GOAL_EVENTS_WITH_TEXT = ['feedback.goal-set', 'feedback.goal-drafted', 'feedback.goal-revised', 'feedback.goal-status-changed'];

/**
 * What leaves this service: entry text is private to the dialogue's participants and is never published,
 * nor are action items' wording, outcomes and reasons for dropping them, progress notes, or the text of plans and plan reviews (only their structure);
 * a goal the learner keeps private is published without its text (its events still say it exists and that
 * it is private, for counts and so that coach-facing consumers can leave it out).
 */
export const feedbackPublication: Publication = (stored) => {
  // a history import's own stream stays here
  if (stored.type.startsWith('feedback.history-')) return null;
  const event = publishAsStored(stored)!;
  const data = event.data as Record<string, unknown>;
  const privateForm = PRIVATE_FORMS.find((p) => p.definition.type === event.type);
  if (privateForm) return { ...event, data: publicFieldsOf(privateForm.publicSchema, data) };
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
