import { EventCatalog, EventMetadata, Motivation } from '@cbme/contracts';
import { EVENT_CATALOG, EVENT_STORE, EventStore, executeCommand, loadState, Projection, StoredEvent } from '@cbme/event-sourcing';
import { developmentPlanDecider, FocusArea, goalStreamId, planStreamId, reviewReminderOwed, reviewReminderRecipients } from '@cbme/feedback-domain';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CONTACTS, Contacts, NOTIFIER, Notifier } from '../ports/notifier';
import { CURRENT_COACHES, CurrentCoaches } from '../ports/read-model-ports';
import { actingUser, coachOf } from './current-coach';
import { requireSchoolCompetencies } from './framework.commands';
import { learnerOfMotivation } from './motivations';

export class RevisePlanCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly input: { planId: string; focusAreas: FocusArea[]; goalIds: string[]; motivatedBy: Motivation[]; nextReviewDue: string; rationale?: string },
    readonly expectedVersion?: number,
    /** the learner, when a history import records it (see actingUser) */
    readonly recordedBy?: string,
  ) {}
}

export class ReviewPlanCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly learnerId: string,
    readonly input: { reviewId: string; whatChanged: string; nextSteps: string[]; nextReviewDue: string },
    /** the learner or their coach, when a history import records it (see actingUser) */
    readonly recordedBy?: string,
  ) {}
}

export class SendPlanReviewReminderCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly learnerId: string,
    readonly dueAt: string,
  ) {}
}

/** One delayed job per learner and due date; it re-checks on firing that the review is still due then. */
export interface PlanReviewJob {
  institutionId: string;
  schoolId: string;
  learnerId: string;
  dueAt: string;
  correlationId: string;
}

export interface PlanReviewScheduler {
  schedule(job: PlanReviewJob): Promise<void>;
}
export const PLAN_REVIEW_SCHEDULER = Symbol('PLAN_REVIEW_SCHEDULER');

@CommandHandler(RevisePlanCommand)
export class RevisePlanHandler implements ICommandHandler<RevisePlanCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
  ) {}

  async execute({ metadata, input, expectedVersion, recordedBy }: RevisePlanCommand) {
    const { schoolId } = metadata.tenant;
    const learnerId = actingUser(metadata, recordedBy);
    await requireSchoolCompetencies(this.store, metadata, input.focusAreas.flatMap((f) => f.competencies));
    const goalOwners = Object.fromEntries(await Promise.all(input.goalIds.map(async (goalId) => {
      const [first] = await this.store.readStream(goalStreamId(goalId));
      return [goalId, first && first.tenant.schoolId === schoolId ? (first.data as { learnerId: string }).learnerId : null] as const;
    })));
    const motivationOwners = Object.fromEntries(await Promise.all(input.motivatedBy.map(async (m) =>
      [`${m.kind}:${m.targetId}`, await learnerOfMotivation(this.store, schoolId, m.kind, m.targetId)] as const)));
    const data = { ...input, owner: { kind: 'learner' as const, id: learnerId }, revisedBy: learnerId, today: metadata.occurredAt, goalOwners, motivationOwners };
    return executeCommand(this.store, this.catalog, developmentPlanDecider, planStreamId(schoolId, learnerId), { type: 'RevisePlan', data }, metadata, { expectedVersion });
  }
}

@CommandHandler(ReviewPlanCommand)
export class ReviewPlanHandler implements ICommandHandler<ReviewPlanCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
    @Inject(CURRENT_COACHES) private readonly coaches: CurrentCoaches,
  ) {}

  async execute({ metadata, learnerId, input, recordedBy }: ReviewPlanCommand) {
    const currentCoachId = await coachOf(this.coaches, metadata, learnerId);
    const viewer = { currentCoachId, isCoachingLead: metadata.actor.role === 'coaching-lead' };
    const data = { ...input, owner: { kind: 'learner' as const, id: learnerId }, reviewedBy: actingUser(metadata, recordedBy), viewer, today: metadata.occurredAt };
    return executeCommand(this.store, this.catalog, developmentPlanDecider, planStreamId(metadata.tenant.schoolId, learnerId), { type: 'ReviewPlan', data }, metadata);
  }
}

/** one reminder of one person for one due review of a learner's plan */
export const planReviewReminderKey = (schoolId: string, learnerId: string, dueAt: string, recipientId: string) => `plan-review:${schoolId}:${learnerId}:${dueAt}:${recipientId}`;

/**
 * Tells the learner and their coach that the plan's review is due, each once per due date, through the outbox; then
 * records `feedback.plan-review-reminder-sent`. A retry after a crash before that record finds the reminder still owed
 * and notifies again with the same keys, which sends nothing twice.
 */
@CommandHandler(SendPlanReviewReminderCommand)
export class SendPlanReviewReminderHandler implements ICommandHandler<SendPlanReviewReminderCommand> {
  private readonly logger = new Logger('PlanReviewReminder');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
    @Inject(CURRENT_COACHES) private readonly coaches: CurrentCoaches,
    @Inject(CONTACTS) private readonly contacts: Contacts,
    @Inject(NOTIFIER) private readonly notifier: Notifier,
  ) {}

  async execute({ metadata, learnerId, dueAt }: SendPlanReviewReminderCommand) {
    const { schoolId } = metadata.tenant;
    const streamId = planStreamId(schoolId, learnerId);
    const { state } = await loadState(this.store, developmentPlanDecider, streamId);
    if (!reviewReminderOwed(state, dueAt)) return { events: [] };
    const currentCoachId = await this.coaches.currentCoachOf(schoolId, learnerId);
    const learner = await this.contacts.contactOf(learnerId);
    const learnerName = learner?.displayName ?? learnerId;
    const focus = state.focusAreas.map((f) => f.title).join('; ');
    for (const recipientId of reviewReminderRecipients(learnerId, currentCoachId)) {
      const contact = recipientId === learnerId ? learner : await this.contacts.contactOf(recipientId);
      if (!contact) {
        this.logger.warn({ learnerId, recipientId, dueAt, msg: 'no e-mail address known for the recipient; plan review reminder skipped' });
        continue;
      }
      const whose = recipientId === learnerId ? 'your development plan' : `the development plan of ${learnerName}`;
      await this.notifier.notify({
        key: planReviewReminderKey(schoolId, learnerId, dueAt, recipientId),
        to: contact.email,
        subject: `Development plan review due ${dueAt.slice(0, 10)}`,
        text: `Hello ${contact.displayName},\n\nthe review of ${whose} is due on ${dueAt.slice(0, 16).replace('T', ' ')} UTC.\nFocus areas: ${focus}.\n`,
      });
    }
    const command = { type: 'SendReviewReminder' as const, data: { dueAt, currentCoachId, channel: this.notifier.channel } };
    return executeCommand(this.store, this.catalog, developmentPlanDecider, streamId, command, metadata);
  }
}

const SCHEDULING = new Set(['feedback.plan-revised', 'feedback.plan-reviewed']);

/** Schedules the review reminder of each plan's current due date (a reaction to this service's own plan events). */
@Injectable()
export class PlanReviewReminderScheduling implements Projection {
  readonly name = 'plan-review-reminders';

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PLAN_REVIEW_SCHEDULER) private readonly scheduler: PlanReviewScheduler,
  ) {}

  async apply(events: StoredEvent[]): Promise<void> {
    const touched = new Map(events.filter((e) => SCHEDULING.has(e.type)).map((e) => [e.streamId, e]));
    for (const [streamId, last] of touched) {
      const { state } = await loadState(this.store, developmentPlanDecider, streamId);
      if (state.status === 'none' || state.remindedFor.includes(state.nextReviewDue)) continue;
      // imported history: a review that was due before the platform learned of the plan is the past, not a reminder to send now
      if (Date.parse(state.nextReviewDue) <= Date.parse(last.recordedAt)) continue;
      await this.scheduler.schedule({ ...last.tenant, learnerId: state.ownerId, dueAt: state.nextReviewDue, correlationId: last.correlationId });
    }
  }
}
