import { PlanReviewReminderSent } from '@cbme/contracts';
import { notFound } from '@cbme/decider';
import { EVENT_STORE, EventStore, toDomainEvent } from '@cbme/event-sourcing';
import { developmentPlanDecider, hiddenPlan, mayReadPlan, PlanEvent, PlanReviewedWritten, PlanRevisedWritten, planStreamId } from '@cbme/feedback-domain';
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CURRENT_COACHES, CurrentCoaches } from '../ports/read-model-ports';
import { Viewer } from './feedback.queries';

export class GetPlanQuery {
  constructor(readonly viewer: Viewer, readonly learnerId: string) {}
}

/** The learner's plan with every version and review, for the learner and their current coach. */
@QueryHandler(GetPlanQuery)
export class GetPlanHandler implements IQueryHandler<GetPlanQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CURRENT_COACHES) private readonly coaches: CurrentCoaches,
  ) {}

  async execute({ viewer, learnerId }: GetPlanQuery) {
    const owner = { kind: 'learner' as const, id: learnerId };
    if (viewer.userId !== learnerId && !mayReadPlan(owner, viewer.userId, { currentCoachId: await this.coaches.currentCoachOf(viewer.schoolId, learnerId), isCoachingLead: false })) throw hiddenPlan(owner);
    const history = await this.store.readStream(planStreamId(viewer.schoolId, learnerId));
    const state = history.map(toDomainEvent<PlanEvent>).reduce(developmentPlanDecider.evolve, developmentPlanDecider.initialState);
    if (state.status === 'none') throw notFound(`no development plan for ${learnerId} yet`);
    const { planId, focusAreas, goalIds, motivatedBy, nextReviewDue } = state;
    return {
      status: state.status, planId, learnerId, focusAreas, goalIds, motivatedBy, nextReviewDue,
      versions: history.filter((e) => e.type === 'feedback.plan-revised').map((e) => {
        const { version, focusAreas, goalIds, motivatedBy, nextReviewDue, rationale } = e.data as PlanRevisedWritten;
        return { version, at: e.occurredAt, by: e.actor.userId, focusAreas, goalIds, motivatedBy, nextReviewDue, rationale: rationale ?? null };
      }),
      reviews: history.filter((e) => e.type === 'feedback.plan-reviewed').map((e) => {
        const { reviewId, coachId, planVersion, whatChanged, nextSteps, nextReviewDue } = e.data as PlanReviewedWritten;
        return { reviewId, at: e.occurredAt, recordedBy: e.actor.userId, coachId, planVersion, whatChanged: whatChanged ?? '', nextSteps: nextSteps ?? [], nextReviewDue };
      }),
      reminders: history.filter((e) => e.type === 'feedback.plan-review-reminder-sent').map((e) => {
        const { dueAt, recipientIds, channel } = e.data as PlanReviewReminderSent;
        return { dueAt, recipientIds, channel, at: e.occurredAt };
      }),
      version: history[history.length - 1].streamVersion,
    };
  }
}
