import {
  CoachFocusArea, CoachPlanFocusArea, CoachPlanReviewed, CoachPlanReviewerRole, CoachPlanReviewRequested, CoachPlanRevised, Motivation, PlanFocusArea, PlanReviewed,
  PlanReviewReminderSent, PlanRevised, Role,
} from '@cbme/contracts';
import { assertNever, Decider, DomainError, notFound, ruleViolated } from '@cbme/decider';

/**
 * One development plan, whoever keeps it: a learner (reviewed with their current coach) or a coach (reviewed with the
 * school's coaching lead or a peer coach they ask). The rules are written once below; what differs by owner is in
 * OWNERS: who may read, who reviews, and the names of the stored events (the learner's events keep their old shape).
 */
export type PlanOwnerKind = 'learner' | 'coach';
export interface PlanOwner {
  kind: PlanOwnerKind;
  id: string;
}

/** The stored form always has focus-area titles; the published form leaves them (and all other plan text) out. */
export type FocusArea = PlanFocusArea & { title: string };
export type CoachFocusAreaWritten = CoachPlanFocusArea & { title: string };
export type PlanRevisedWritten = PlanRevised & { focusAreas: FocusArea[]; rationale?: string };
export type PlanReviewedWritten = PlanReviewed & { whatChanged?: string; nextSteps?: string[] };
export type CoachPlanRevisedWritten = Omit<CoachPlanRevised, 'focusAreas'> & { focusAreas: CoachFocusAreaWritten[]; rationale?: string };
export type CoachPlanReviewedWritten = CoachPlanReviewed & { whatChanged: string; nextSteps: string[] };
/** A focus area in the state: a learner's names competencies, a coach's one of the coaching areas (and no competencies). */
export type PlanArea = FocusArea & { area?: CoachFocusArea };

export type PlanEvent =
  | { type: 'feedback.plan-revised'; data: PlanRevisedWritten }
  | { type: 'feedback.plan-reviewed'; data: PlanReviewedWritten }
  | { type: 'feedback.plan-review-reminder-sent'; data: PlanReviewReminderSent }
  | { type: 'feedback.coach-plan-revised'; data: CoachPlanRevisedWritten }
  | { type: 'feedback.coach-plan-review-requested'; data: CoachPlanReviewRequested }
  | { type: 'feedback.coach-plan-reviewed'; data: CoachPlanReviewedWritten };

/**
 * What the handler knows of the person acting before deciding: the learner's current coach (learner plans), whether
 * they are a coaching lead of the school (coach plans).
 */
export interface PlanViewerFacts {
  currentCoachId: string | null;
  isCoachingLead: boolean;
  /** a read, judged before the plan is loaded: the reviewers' read model says the owner asked this person */
  askedToReview?: boolean;
}

/**
 * Facts the handler reads before deciding: whose each named goal is (null: no such goal in this school),
 * whose each motivating dialogue or result is, and who coaches the learner now. `today`: the request's instant.
 */
export type PlanCommand =
  | {
      type: 'RevisePlan';
      data: {
        owner: PlanOwner; planId: string; revisedBy: string; focusAreas: PlanArea[]; goalIds: string[]; motivatedBy: Motivation[];
        nextReviewDue: string; rationale?: string; today: string;
        goalOwners: Record<string, string | null>; motivationOwners: Record<string, string | null>;
      };
    }
  | { type: 'RequestPlanReview'; data: { owner: PlanOwner; requestedBy: string; viewer: PlanViewerFacts; reviewerId: string; reviewerRoles: Role[] } }
  | {
      type: 'ReviewPlan';
      data: { owner: PlanOwner; reviewId: string; reviewedBy: string; viewer: PlanViewerFacts; whatChanged: string; nextSteps: string[]; nextReviewDue: string; today: string };
    }
  | { type: 'SendReviewReminder'; data: { dueAt: string; currentCoachId: string | null; channel: string } };

export type PlanState =
  | { status: 'none' }
  | {
      status: 'active'; ownerKind: PlanOwnerKind; ownerId: string; planId: string; version: number; focusAreas: PlanArea[]; goalIds: string[]; motivatedBy: Motivation[];
      nextReviewDue: string; reviews: number; remindedFor: string[];
      /** everyone the owner asked to review (they may read the plan), and those who have not reviewed since */
      reviewers: string[]; awaiting: PlanReviewer[];
    };
type ActivePlan = Extract<PlanState, { status: 'active' }>;
export interface PlanReviewer {
  reviewerId: string;
  reviewerRole: CoachPlanReviewerRole;
}

const motivationKey = (m: Motivation) => `${m.kind}:${m.targetId}`;

/** What someone who may not see a learner's plan is told, exactly as for a learner id that does not exist. */
export const NO_LEARNER = 'no learner with that id among the people you may see';
/** What someone who may not see a coach's plan is told, exactly as for a coach without a plan. */
export const NO_COACH_PLAN = 'no development plan of that coach among those you may see';

interface OwnerRules {
  /** the 404 for someone who may not see the plan */
  hidden: string;
  /** who may see the plan (and so learn it exists); `reviewers`: whom the owner asked (none before the plan exists) */
  mayRead(ownerId: string, userId: string, viewer: PlanViewerFacts, reviewers: string[]): boolean;
  /** who records a review and with whom it was held (throws when this person may not, or nobody can) */
  reviewer(plan: ActivePlan, reviewedBy: string, viewer: PlanViewerFacts): PlanReviewer;
  /** the owner-specific part of a revision */
  checkRevision(command: Extract<PlanCommand, { type: 'RevisePlan' }>['data']): void;
  revised(plan: { planId: string; ownerId: string; version: number; focusAreas: PlanArea[]; goalIds: string[]; motivatedBy: Motivation[]; nextReviewDue: string; rationale?: string }): PlanEvent;
  reviewed(plan: ActivePlan, review: PlanReviewer & { reviewId: string; nextReviewDue: string; whatChanged: string; nextSteps: string[] }): PlanEvent;
}

const OWNERS: Record<PlanOwnerKind, OwnerRules> = {
  learner: {
    hidden: NO_LEARNER,
    mayRead: (learnerId, userId, { currentCoachId }) => userId === learnerId || (!!currentCoachId && userId === currentCoachId),
    // the learner or the coach records it; it is always held with the current coach
    reviewer: (plan, _by, { currentCoachId }) => {
      if (!currentCoachId) throw ruleViolated(`${plan.ownerId} has no coach now to review the plan with`);
      return { reviewerId: currentCoachId, reviewerRole: 'coach' };
    },
    checkRevision: ({ owner, goalIds, motivatedBy, goalOwners, motivationOwners }) => {
      const foreignGoals = goalIds.filter((id) => goalOwners[id] !== owner.id);
      if (foreignGoals.length > 0) throw ruleViolated(`not goals of ${owner.id}: ${foreignGoals.join(', ')}`);
      const foreign = motivatedBy.filter((m) => motivationOwners[motivationKey(m)] !== owner.id).map(motivationKey);
      if (foreign.length > 0) throw ruleViolated(`not dialogues or results of ${owner.id}: ${foreign.join(', ')}`);
    },
    revised: ({ ownerId, focusAreas, ...plan }) => ({
      type: 'feedback.plan-revised',
      data: { ...plan, learnerId: ownerId, focusAreas: focusAreas.map(({ focusId, title, competencies }) => ({ focusId, title, competencies })), competencies: [...new Set(focusAreas.flatMap((f) => f.competencies))] },
    }),
    reviewed: (plan, { reviewId, reviewerId, nextReviewDue, whatChanged, nextSteps }) => ({
      type: 'feedback.plan-reviewed',
      data: { planId: plan.planId, learnerId: plan.ownerId, reviewId, coachId: reviewerId, planVersion: plan.version, nextReviewDue, whatChanged, nextSteps },
    }),
  },
  coach: {
    hidden: NO_COACH_PLAN,
    // the school's coaching leads see every coach's plan; a peer only once asked; learners and other coaches never
    mayRead: (coachId, userId, { isCoachingLead, askedToReview }, reviewers) => userId === coachId || isCoachingLead || askedToReview === true || reviewers.includes(userId),
    // recorded by the reviewer the coach asked, themselves
    reviewer: (plan, reviewedBy) => {
      const asked = plan.awaiting.find((r) => r.reviewerId === reviewedBy);
      if (!asked) throw new DomainError('forbidden', 'only a reviewer the coach asked, and who has not reviewed since, records a review');
      return asked;
    },
    checkRevision: ({ focusAreas, goalIds, motivatedBy }) => {
      if (focusAreas.some((f) => !f.area)) throw ruleViolated('each focus area of a coach\'s plan names one of the coaching areas', 'focusAreas');
      if (goalIds.length > 0 || motivatedBy.length > 0) throw ruleViolated('a coach\'s plan holds focus areas, not learners\' goals or dialogues');
    },
    revised: ({ ownerId, focusAreas, goalIds: _g, motivatedBy: _m, ...plan }) => ({
      type: 'feedback.coach-plan-revised',
      data: { ...plan, coachId: ownerId, focusAreas: focusAreas.flatMap(({ focusId, area, title }) => (area ? [{ focusId, area, title }] : [])) },
    }),
    reviewed: (plan, review) => ({ type: 'feedback.coach-plan-reviewed', data: { planId: plan.planId, coachId: plan.ownerId, planVersion: plan.version, ...review } }),
  },
};

/** Who may see a plan of this owner: the same question for every command and for reads, asked before anything else. */
export const mayReadPlan = (owner: PlanOwner, userId: string, viewer: PlanViewerFacts, state: PlanState = { status: 'none' }) =>
  OWNERS[owner.kind].mayRead(owner.id, userId, viewer, state.status === 'active' ? state.reviewers : []);

/** The 404 for a plan this person may not see: the same whether it exists or not. */
export const hiddenPlan = (owner: PlanOwner) => notFound(OWNERS[owner.kind].hidden);

/** A reminder is owed for the plan's current due date, once: a job for a date the plan no longer has, or one already reminded of, is not. */
export const reviewReminderOwed = (state: PlanState, dueAt: string): state is Extract<PlanState, { status: 'active' }> => state.status === 'active' && dueAt === state.nextReviewDue && !state.remindedFor.includes(dueAt);

/** who a review reminder goes to: the learner and, when there is one, their coach */
export const reviewReminderRecipients = (learnerId: string, currentCoachId: string | null) => [learnerId, ...(currentCoachId ? [currentCoachId] : [])];

function requireFuture(due: string, today: string) {
  if (Date.parse(due) <= Date.parse(today)) throw ruleViolated(`the next review (${due}) must be after now (${today})`, 'nextReviewDue');
}

function requirePlan(state: PlanState, ownerId: string) {
  if (state.status === 'none') throw notFound(`no development plan for ${ownerId} yet`);
  return state;
}

function decide(command: PlanCommand, state: PlanState): PlanEvent[] {
  switch (command.type) {
    case 'RevisePlan': {
      const { owner, revisedBy, today, planId, focusAreas, goalIds, motivatedBy, nextReviewDue, rationale } = command.data;
      if (revisedBy !== owner.id) throw new DomainError('forbidden', `a ${owner.kind} revises their own development plan`);
      if (focusAreas.length === 0) throw ruleViolated('a plan has at least one focus area', 'focusAreas');
      requireFuture(nextReviewDue, today);
      OWNERS[owner.kind].checkRevision(command.data);
      if (state.status === 'active' && !rationale) throw ruleViolated('a revision of the plan says why (rationale)', 'rationale');
      const version = state.status === 'none' ? 1 : state.version + 1;
      const kept = state.status === 'none' ? planId : state.planId;
      return [OWNERS[owner.kind].revised({ planId: kept, ownerId: owner.id, version, focusAreas, goalIds, motivatedBy, nextReviewDue, ...(rationale ? { rationale } : {}) })];
    }
    case 'RequestPlanReview': {
      const { owner, requestedBy, viewer, reviewerId, reviewerRoles } = command.data;
      if (!mayReadPlan(owner, requestedBy, viewer, state)) throw hiddenPlan(owner);
      if (owner.kind !== 'coach') throw ruleViolated('a learner\'s plan is reviewed with their current coach, who needs no asking');
      if (requestedBy !== owner.id) throw new DomainError('forbidden', 'a coach asks for reviews of their own plan');
      const plan = requirePlan(state, owner.id);
      if (reviewerId === owner.id) throw ruleViolated('a coach asks someone else to review their plan', 'reviewerId');
      const reviewerRole = reviewerRoles.includes('coaching-lead') ? 'coaching-lead' : reviewerRoles.includes('coach') ? 'coach' : null;
      if (!reviewerRole) throw ruleViolated(`${reviewerId} is neither a coaching lead nor a coach of this school`, 'reviewerId');
      if (plan.awaiting.some((r) => r.reviewerId === reviewerId)) return [];
      return [{ type: 'feedback.coach-plan-review-requested', data: { planId: plan.planId, coachId: owner.id, reviewerId, reviewerRole, planVersion: plan.version } }];
    }
    case 'ReviewPlan': {
      const { owner, reviewId, reviewedBy, viewer, whatChanged, nextSteps, nextReviewDue, today } = command.data;
      // who may see the plan may review it; anyone else learns neither that it exists nor whether the learner has a coach
      if (!mayReadPlan(owner, reviewedBy, viewer, state)) throw hiddenPlan(owner);
      const plan = requirePlan(state, owner.id);
      const reviewer = OWNERS[owner.kind].reviewer(plan, reviewedBy, viewer);
      requireFuture(nextReviewDue, today);
      return [OWNERS[owner.kind].reviewed(plan, { ...reviewer, reviewId, nextReviewDue, whatChanged, nextSteps })];
    }
    case 'SendReviewReminder': {
      if (state.status === 'none') throw notFound('no development plan');
      const { dueAt, currentCoachId, channel } = command.data;
      if (!reviewReminderOwed(state, dueAt)) return [];
      return [{
        type: 'feedback.plan-review-reminder-sent',
        data: { planId: state.planId, learnerId: state.ownerId, dueAt, recipientIds: reviewReminderRecipients(state.ownerId, currentCoachId), channel },
      }];
    }
    default:
      return assertNever(command);
  }
}

function revisedState(state: PlanState, ownerKind: PlanOwnerKind, ownerId: string, data: { planId: string; version: number; nextReviewDue: string }, areas: PlanArea[], goalIds: string[], motivatedBy: Motivation[]): PlanState {
  const kept = state.status === 'none' ? { reviews: 0, remindedFor: [], reviewers: [], awaiting: [] } : { reviews: state.reviews, remindedFor: state.remindedFor, reviewers: state.reviewers, awaiting: state.awaiting };
  return { status: 'active', ownerKind, ownerId, planId: data.planId, version: data.version, focusAreas: areas, goalIds, motivatedBy, nextReviewDue: data.nextReviewDue, ...kept };
}

function evolve(state: PlanState, event: PlanEvent): PlanState {
  switch (event.type) {
    case 'feedback.plan-revised':
      return revisedState(state, 'learner', event.data.learnerId, event.data, event.data.focusAreas, event.data.goalIds, event.data.motivatedBy);
    case 'feedback.coach-plan-revised':
      return revisedState(state, 'coach', event.data.coachId, event.data, event.data.focusAreas.map((f) => ({ ...f, competencies: [] })), [], []);
    case 'feedback.plan-reviewed':
      return state.status === 'none' ? state : { ...state, nextReviewDue: event.data.nextReviewDue, reviews: state.reviews + 1 };
    case 'feedback.coach-plan-reviewed':
      return state.status === 'none' ? state : { ...state, nextReviewDue: event.data.nextReviewDue, reviews: state.reviews + 1, awaiting: state.awaiting.filter((r) => r.reviewerId !== event.data.reviewerId) };
    case 'feedback.coach-plan-review-requested': {
      if (state.status === 'none') return state;
      const { reviewerId, reviewerRole } = event.data;
      return { ...state, reviewers: state.reviewers.includes(reviewerId) ? state.reviewers : [...state.reviewers, reviewerId], awaiting: [...state.awaiting, { reviewerId, reviewerRole }] };
    }
    case 'feedback.plan-review-reminder-sent':
      return state.status === 'none' ? state : { ...state, remindedFor: [...state.remindedFor, event.data.dueAt] };
    default:
      return assertNever(event);
  }
}

export const developmentPlanDecider: Decider<PlanCommand, PlanEvent, PlanState> = { decide, evolve, initialState: { status: 'none' } };

export const planStreamId = (schoolId: string, learnerId: string) => `feedback-plan-${schoolId}-${learnerId}`;
/** A coach's own plan: its own stream per school and coach, beside (never among) the learners' plans. */
export const coachPlanStreamId = (schoolId: string, coachId: string) => `feedback-coach-plan-${schoolId}-${coachId}`;
export const planStreamOf = (schoolId: string, owner: PlanOwner) => (owner.kind === 'learner' ? planStreamId(schoolId, owner.id) : coachPlanStreamId(schoolId, owner.id));
