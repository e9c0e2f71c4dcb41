import { Motivation, PlanFocusArea, PlanReviewed, PlanReviewReminderSent, PlanRevised } from '@cbme/contracts';
import { assertNever, Decider, DomainError, notFound, ruleViolated } from '@cbme/decider';

/** The stored form always has focus-area titles; the published form leaves them (and all other plan text) out. */
export type FocusArea = PlanFocusArea & { title: string };
export type PlanRevisedWritten = PlanRevised & { focusAreas: FocusArea[] };

export type PlanEvent =
  | { type: 'feedback.plan-revised'; data: PlanRevisedWritten }
  | { type: 'feedback.plan-reviewed'; data: PlanReviewed }
  | { type: 'feedback.plan-review-reminder-sent'; data: PlanReviewReminderSent };

/**
 * Facts the handler reads before deciding: whose each named goal is (null: no such goal in this school),
 * whose each motivating dialogue or result is, and who coaches the learner now. `today`: the request's instant.
 */
export type PlanCommand =
  | {
      type: 'RevisePlan';
      data: {
        planId: string; learnerId: string; revisedBy: string; focusAreas: FocusArea[]; goalIds: string[]; motivatedBy: Motivation[];
        nextReviewDue: string; rationale?: string; today: string;
        goalOwners: Record<string, string | null>; motivationOwners: Record<string, string | null>;
      };
    }
  | {
      type: 'ReviewPlan';
      data: { learnerId: string; reviewId: string; reviewedBy: string; currentCoachId: string | null; whatChanged: string; nextSteps: string[]; nextReviewDue: string; today: string };
    }
  | { type: 'SendReviewReminder'; data: { dueAt: string; currentCoachId: string | null; channel: string } };

export type PlanState =
  | { status: 'none' }
  | {
      status: 'active'; planId: string; learnerId: string; version: number; focusAreas: FocusArea[]; goalIds: string[]; motivatedBy: Motivation[];
      nextReviewDue: string; reviews: number; remindedFor: string[];
    };

const motivationKey = (m: Motivation) => `${m.kind}:${m.targetId}`;

/** What someone who may not see a learner's plan is told, exactly as for a learner id that does not exist. */
export const NO_LEARNER = 'no learner with that id among the people you may see';

/** Who may see a learner's plan: the learner and their current coach. Reads ask the same. */
export const mayReadPlan = (learnerId: string, userId: string, currentCoachId: string | null) => userId === learnerId || (!!currentCoachId && userId === currentCoachId);

/** A reminder is owed for the plan's current due date, once: a job for a date the plan no longer has, or one already reminded of, is not. */
export const reviewReminderOwed = (state: PlanState, dueAt: string): state is Extract<PlanState, { status: 'active' }> => state.status === 'active' && dueAt === state.nextReviewDue && !state.remindedFor.includes(dueAt);

/** who a review reminder goes to: the learner and, when there is one, their coach */
export const reviewReminderRecipients = (learnerId: string, currentCoachId: string | null) => [learnerId, ...(currentCoachId ? [currentCoachId] : [])];

function requireFuture(due: string, today: string) {
  if (Date.parse(due) <= Date.parse(today)) throw ruleViolated(`the next review (${due}) must be after now (${today})`);
}

function decide(command: PlanCommand, state: PlanState): PlanEvent[] {
  switch (command.type) {
    case 'RevisePlan': {
      const { revisedBy, today, goalOwners, motivationOwners, ...plan } = command.data;
      if (revisedBy !== plan.learnerId) throw new DomainError('forbidden', 'a learner revises their own development plan');
      if (plan.focusAreas.length === 0) throw ruleViolated('a plan has at least one focus area');
      requireFuture(plan.nextReviewDue, today);
      const foreignGoals = plan.goalIds.filter((id) => goalOwners[id] !== plan.learnerId);
      if (foreignGoals.length > 0) throw ruleViolated(`not goals of ${plan.learnerId}: ${foreignGoals.join(', ')}`);
      const foreign = plan.motivatedBy.filter((m) => motivationOwners[motivationKey(m)] !== plan.learnerId).map(motivationKey);
      if (foreign.length > 0) throw ruleViolated(`not dialogues or results of ${plan.learnerId}: ${foreign.join(', ')}`);
      if (state.status === 'active' && !plan.rationale) throw ruleViolated('a revision of the plan says why (rationale)');
      const version = state.status === 'none' ? 1 : state.version + 1;
      const planId = state.status === 'none' ? plan.planId : state.planId;
      const competencies = [...new Set(plan.focusAreas.flatMap((f) => f.competencies))];
      return [{ type: 'feedback.plan-revised', data: { ...plan, planId, version, competencies } }];
    }
    case 'ReviewPlan': {
      const { learnerId, reviewId, reviewedBy, currentCoachId, whatChanged, nextSteps, nextReviewDue, today } = command.data;
      // who may see the plan may review it; anyone else learns neither that it exists nor whether the learner has a coach
      if (!mayReadPlan(learnerId, reviewedBy, currentCoachId)) throw notFound(NO_LEARNER);
      const plan = requirePlan(state, learnerId);
      if (!currentCoachId) throw ruleViolated(`${plan.learnerId} has no coach now to review the plan with`);
      requireFuture(nextReviewDue, today);
      return [{
        type: 'feedback.plan-reviewed',
        data: { planId: plan.planId, learnerId: plan.learnerId, reviewId, coachId: currentCoachId, planVersion: plan.version, nextReviewDue, whatChanged, nextSteps },
      }];
    }
    case 'SendReviewReminder': {
      if (state.status === 'none') throw notFound('no development plan');
      const { dueAt, currentCoachId, channel } = command.data;
      if (!reviewReminderOwed(state, dueAt)) return [];
      return [{
        type: 'feedback.plan-review-reminder-sent',
        data: { planId: state.planId, learnerId: state.learnerId, dueAt, recipientIds: reviewReminderRecipients(state.learnerId, currentCoachId), channel },
      }];
    }
    default:
      return assertNever(command);
  }
}

function requirePlan(state: PlanState, learnerId: string) {
  if (state.status === 'none') throw notFound(`no development plan for ${learnerId} yet`);
  return state;
}

function evolve(state: PlanState, event: PlanEvent): PlanState {
  switch (event.type) {
    case 'feedback.plan-revised': {
      const { planId, learnerId, version, focusAreas, goalIds, motivatedBy, nextReviewDue } = event.data;
      const kept = state.status === 'none' ? { reviews: 0, remindedFor: [] } : { reviews: state.reviews, remindedFor: state.remindedFor };
      return { status: 'active', planId, learnerId, version, focusAreas, goalIds, motivatedBy, nextReviewDue, ...kept };
    }
    case 'feedback.plan-reviewed':
      return state.status === 'none' ? state : { ...state, nextReviewDue: event.data.nextReviewDue, reviews: state.reviews + 1 };
    case 'feedback.plan-review-reminder-sent':
      return state.status === 'none' ? state : { ...state, remindedFor: [...state.remindedFor, event.data.dueAt] };
    default:
      return assertNever(event);
  }
}

export const developmentPlanDecider: Decider<PlanCommand, PlanEvent, PlanState> = { decide, evolve, initialState: { status: 'none' } };

export const planStreamId = (schoolId: string, learnerId: string) => `feedback-plan-${schoolId}-${learnerId}`;

