import { CoachPlanReviewRequested } from '@cbme/contracts';
import { DomainError, notFound } from '@cbme/decider';
import { EVENT_STORE, EventStore, toDomainEvent } from '@cbme/event-sourcing';
import { CoachPlanReviewedWritten, CoachPlanRevisedWritten, coachPlanStreamId, developmentPlanDecider, hiddenPlan, mayReadPlan, PlanEvent } from '@cbme/feedback-domain';
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { coachPlanViewer } from '../commands/coach-plan.commands';
import { CONTACTS, Contacts } from '../ports/notifier';
import { COACH_PLANS, CoachPlans } from '../ports/read-model-ports';
import { Viewer } from './feedback.queries';

export class GetCoachPlanQuery {
  constructor(readonly viewer: Viewer, readonly coachId: string) {}
}

export class ListCoachPlansQuery {
  constructor(readonly viewer: Viewer) {}
}

/** Display names of people by id, looked up once each (by `_id`); an unknown or deactivated account shows its id. */
async function namesOf(contacts: Contacts, userIds: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(userIds)];
  const found = await Promise.all(unique.map(async (id) => [id, (await contacts.contactOf(id))?.displayName ?? id] as const));
  return new Map(found);
}

/**
 * A coach's plan with every version, request and review: for the coach, the reviewers they asked and the school's
 * coaching leads. Anyone else gets the 404 of a coach without a plan, whatever the plan's state.
 */
@QueryHandler(GetCoachPlanQuery)
export class GetCoachPlanHandler implements IQueryHandler<GetCoachPlanQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(COACH_PLANS) private readonly plans: CoachPlans,
    @Inject(CONTACTS) private readonly contacts: Contacts,
  ) {}

  async execute({ viewer, coachId }: GetCoachPlanQuery) {
    const owner = { kind: 'coach' as const, id: coachId };
    // the decider's question, asked before the plan is read: whether the coach asked this person comes from the reviewers' read model
    const facts = coachPlanViewer(viewer.role);
    const asked = viewer.userId !== coachId && !facts.isCoachingLead && (await this.plans.askedOf(viewer.schoolId, viewer.userId)).some((r) => r.coachId === coachId);
    if (!mayReadPlan(owner, viewer.userId, { ...facts, askedToReview: asked })) throw hiddenPlan(owner);
    const history = await this.store.readStream(coachPlanStreamId(viewer.schoolId, coachId));
    const state = history.map(toDomainEvent<PlanEvent>).reduce(developmentPlanDecider.evolve, developmentPlanDecider.initialState);
    if (state.status === 'none') throw notFound(`no development plan for ${coachId} yet`);
    const of = (type: PlanEvent['type']) => history.filter((e) => e.type === type);
    const reviewerIds = [...of('feedback.coach-plan-review-requested'), ...of('feedback.coach-plan-reviewed')].map((e) => (e.data as { reviewerId: string }).reviewerId);
    const names = await namesOf(this.contacts, [coachId, ...reviewerIds]);
    const nameOf = (id: string) => names.get(id) ?? id;
    return {
      coachId, coachName: nameOf(coachId), planId: state.planId, planVersion: state.version, nextReviewDue: state.nextReviewDue,
      focusAreas: state.focusAreas.map(({ focusId, area, title }) => ({ focusId, area, title })),
      awaiting: state.awaiting.map((r) => ({ ...r, reviewerName: nameOf(r.reviewerId) })),
      versions: of('feedback.coach-plan-revised').map((e) => {
        const { version, focusAreas, nextReviewDue, rationale } = e.data as CoachPlanRevisedWritten;
        return { version, at: e.occurredAt, by: e.actor.userId, focusAreas, nextReviewDue, rationale: rationale ?? null };
      }),
      requests: of('feedback.coach-plan-review-requested').map((e) => {
        const { reviewerId, reviewerRole, planVersion } = e.data as CoachPlanReviewRequested;
        return { reviewerId, reviewerName: nameOf(reviewerId), reviewerRole, planVersion, at: e.occurredAt };
      }),
      reviews: of('feedback.coach-plan-reviewed').map((e) => {
        const { reviewId, reviewerId, reviewerRole, planVersion, whatChanged, nextSteps, nextReviewDue } = e.data as CoachPlanReviewedWritten;
        return { reviewId, at: e.occurredAt, reviewerId, reviewerName: nameOf(reviewerId), reviewerRole, planVersion, whatChanged, nextSteps, nextReviewDue };
      }),
      version: history[history.length - 1].streamVersion,
    };
  }
}

/**
 * The reviewer's list: a coaching lead sees every coach's plan of the school, a coach the plans they were asked to
 * review; each says whether it awaits the caller's review. Learners have no such list (403).
 */
@QueryHandler(ListCoachPlansQuery)
export class ListCoachPlansHandler implements IQueryHandler<ListCoachPlansQuery> {
  constructor(
    @Inject(COACH_PLANS) private readonly plans: CoachPlans,
    @Inject(CONTACTS) private readonly contacts: Contacts,
  ) {}

  async execute({ viewer }: ListCoachPlansQuery) {
    if (viewer.role !== 'coach' && viewer.role !== 'coaching-lead') throw new DomainError('forbidden', 'coaches\' plans are listed for coaches and coaching leads');
    const [all, asked] = await Promise.all([this.plans.ofSchool(viewer.schoolId), this.plans.askedOf(viewer.schoolId, viewer.userId)]);
    const askedFor = new Map(asked.map((r) => [r.coachId, r]));
    const visible = viewer.role === 'coaching-lead' ? all : all.filter((p) => askedFor.has(p.coachId));
    const names = await namesOf(this.contacts, visible.map((p) => p.coachId));
    const items = visible.map((p) => {
      const request = askedFor.get(p.coachId);
      return { ...p, coachName: names.get(p.coachId) ?? p.coachId, awaitingMyReview: request?.awaiting ?? false, askedAt: request?.askedAt ?? null };
    });
    // awaiting my review first, then the review that is due soonest
    items.sort((a, b) => Number(b.awaitingMyReview) - Number(a.awaitingMyReview) || a.nextReviewDue.localeCompare(b.nextReviewDue) || a.coachId.localeCompare(b.coachId));
    return { items };
  }
}
