import {
  allPublicEvents, AuditExportEvents, DeadLetterEvents, DisclosureEvents, CoachPlanFocusArea, CoachPlanReviewed, CoachPlanRevised, completedWithoutOutcome, defineEvent, DialogueActionAgreed, DialogueActionCompleted, DialogueActionDropped, DialogueEntryAdded, EventCatalog, EventDefinition,
  FeedbackEvents, FeedbackRequestAnswered, FeedbackRequestContext, FeedbackRequestDeclined, FeedbackRequestMade, FeedbackRequestPrompted, GoalProgressNoted, historyImportEvents,
  Personal, PlanFocusArea, PlanReviewed, PlanRevised, publicCatalog,
} from '@cbme/contracts';
import { Publication, publishByContract } from '@cbme/event-sourcing';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf, ValidateNested,
} from 'class-validator';

/** The stored form of an entry carries its text; the published form does not. */
export class DialogueEntryWrittenSchema extends DialogueEntryAdded {
  @Personal() @IsString() @MaxLength(20_000) text: string;
}

/** The stored form of an action item carries its wording; the published form does not. */
export class DialogueActionWrittenSchema extends DialogueActionAgreed {
  @Personal() @IsString() @IsNotEmpty() @MaxLength(2000) description: string;
}

/** The stored form of a goal's progress note carries its text; the published form does not. */
export class GoalProgressWrittenSchema extends GoalProgressNoted {
  @Personal() @IsString() @IsNotEmpty() @MaxLength(5000) note: string;
}

/** What came of a done action item (null: done before outcomes were asked); the published form carries its word count. */
export class DialogueActionCompletedWrittenSchema extends DialogueActionCompleted {
  @Personal() @ValidateIf((_, value) => value !== null) @IsString() @MaxLength(1000) outcome: string | null;
}

/** Why an action item was dropped; the published form does not carry it. */
export class DialogueActionDroppedWrittenSchema extends DialogueActionDropped {
  @Personal() @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

/** The stored form of a learner's focus area carries its title. */
export class PlanFocusAreaWrittenSchema extends PlanFocusArea {
  @Personal() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(500) title?: string;
}

/** The stored form of a learner's plan version carries the focus areas' titles and the rationale. */
export class PlanRevisedWrittenSchema extends PlanRevised {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => PlanFocusAreaWrittenSchema) declare focusAreas: PlanFocusAreaWrittenSchema[];
  @Personal() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(2000) rationale?: string;
}

/** The stored form of a plan review carries what changed and the agreed next steps. */
export class PlanReviewedWrittenSchema extends PlanReviewed {
  @Personal() @IsOptional() @IsString() @MaxLength(5000) whatChanged?: string;
  @Personal() @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(1000, { each: true }) nextSteps?: string[];
}

/** The stored form of a coach's focus area carries the coach's words on it. */
export class CoachPlanFocusAreaWrittenSchema extends CoachPlanFocusArea {
  @Personal() @IsString() @IsNotEmpty() @MaxLength(500) title: string;
}

/** The stored form of a coach's plan version carries the focus areas' words and the rationale. */
export class CoachPlanRevisedWrittenSchema extends CoachPlanRevised {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => CoachPlanFocusAreaWrittenSchema) declare focusAreas: CoachPlanFocusAreaWrittenSchema[];
  @Personal() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(2000) rationale?: string;
}

/** The stored form of a coach plan's review carries what changed and the next steps. */
export class CoachPlanReviewedWrittenSchema extends CoachPlanReviewed {
  @Personal() @IsString() @MaxLength(5000) whatChanged: string;
  @Personal() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(1000, { each: true }) nextSteps: string[];
}

/** A coach's prompt to seek feedback may say why; the published form does not. */
export class FeedbackRequestPromptedWrittenSchema extends FeedbackRequestPrompted {
  @Personal() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(1000) message?: string;
}

/** Whom the learner asked by name (and an external's address) and about what situation: none of it is published. */
export class FeedbackRequestMadeWrittenSchema extends FeedbackRequestMade {
  @Personal() @IsString() @IsNotEmpty() @MaxLength(200) assessorName: string;
  @Personal() @IsOptional() @IsEmail() @MaxLength(320) assessorEmail?: string;
  @ValidateNested() @Type(() => FeedbackRequestContext) context: FeedbackRequestContext;
}

/** The answer's text stays here; the published form carries the ratings and its word count. */
export class FeedbackRequestAnsweredWrittenSchema extends FeedbackRequestAnswered {
  @Personal() @IsString() @IsNotEmpty() @MaxLength(5000) text: string;
}

/** Why a request was declined, when the person asked said so. */
export class FeedbackRequestDeclinedWrittenSchema extends FeedbackRequestDeclined {
  @Personal() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(1000) reason?: string;
}

const { DialogueActionCompleted: COMPLETED, DialogueActionDropped: DROPPED, PlanRevised: PLAN_REVISED, PlanReviewed: PLAN_REVIEWED } = FeedbackEvents;

/**
 * Stored forms that hold text the published forms leave out. What is published is built from the fields the public
 * contract declares (`publishByContract`), so a text field added to a stored form stays here.
 */
const PRIVATE_FORMS: EventDefinition<string, object>[] = [
  defineEvent('feedback.dialogue-entry-added', DialogueEntryWrittenSchema),
  defineEvent('feedback.dialogue-action-agreed', DialogueActionWrittenSchema),
  defineEvent('feedback.goal-progress-noted', GoalProgressWrittenSchema),
  defineEvent(COMPLETED.type, DialogueActionCompletedWrittenSchema, {
    schemaVersion: COMPLETED.schemaVersion, upcasters: { 1: (v1) => ({ ...completedWithoutOutcome(v1), outcome: null }) },
  }),
  defineEvent(DROPPED.type, DialogueActionDroppedWrittenSchema, { schemaVersion: DROPPED.schemaVersion }),
  // the stored v1 already had this shape (v2 only took the text out of the published contract)
  defineEvent('feedback.plan-revised', PlanRevisedWrittenSchema, { schemaVersion: PLAN_REVISED.schemaVersion, upcasters: { 1: (v1) => v1 } }),
  defineEvent('feedback.plan-reviewed', PlanReviewedWrittenSchema, { schemaVersion: PLAN_REVIEWED.schemaVersion, upcasters: { 1: (v1) => v1 } }),
  defineEvent('feedback.coach-plan-revised', CoachPlanRevisedWrittenSchema),
  defineEvent('feedback.coach-plan-reviewed', CoachPlanReviewedWrittenSchema),
  defineEvent('feedback.request-prompted', FeedbackRequestPromptedWrittenSchema),
  defineEvent('feedback.request-made', FeedbackRequestMadeWrittenSchema),
  defineEvent('feedback.request-answered', FeedbackRequestAnsweredWrittenSchema),
  defineEvent('feedback.request-declined', FeedbackRequestDeclinedWrittenSchema),
];

/** Everything the feedback service stores or receives: the public catalog, with the private forms above. */
export const feedbackCatalog = () =>
  new EventCatalog([
    ...allPublicEvents.filter((d) => !PRIVATE_FORMS.some((p) => p.type === d.type)),
    ...PRIVATE_FORMS,
    ...historyImportEvents('feedback'),
    ...Object.values(AuditExportEvents),
    ...Object.values(DeadLetterEvents), ...Object.values(DisclosureEvents),
  ]);

/** The free text of goal events; the published form of a private goal's events leaves it out. */
const GOAL_TEXT = ['description', 'measureOfSuccess', 'rationale', 'note'];
const GOAL_EVENTS_WITH_TEXT = ['feedback.goal-set', 'feedback.goal-drafted', 'feedback.goal-revised', 'feedback.goal-status-changed'];

/**
 * What leaves this service: what the public contract declares (entry text, action items' wording, outcomes and reasons
 * for dropping them, progress notes, the text of plans and reviews, whom a learner asked and what they answered, and
 * the imports' own streams all stay here); and a goal the learner keeps private is published without its text (its
 * events still say it exists and that it is private, for counts and so that coach-facing consumers can leave it out).
 */
export const feedbackPublication: Publication = publishByContract(publicCatalog(), (event) => {
  const data = event.data as Record<string, unknown>;
  if (!GOAL_EVENTS_WITH_TEXT.includes(event.type) || data['visibility'] !== 'private') return event;
  return { ...event, data: Object.fromEntries(Object.entries(data).filter(([field]) => !GOAL_TEXT.includes(field))) };
});
