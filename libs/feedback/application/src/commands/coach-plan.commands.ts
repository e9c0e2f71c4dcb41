import { EventMetadata } from '@cbme/contracts';
import { EVENT_CATALOG, EVENT_STORE, EventStore, executeCommand } from '@cbme/event-sourcing';
import { CoachFocusAreaWritten, coachPlanStreamId, developmentPlanDecider, PlanOwner, PlanViewerFacts } from '@cbme/feedback-domain';
import { EventCatalog } from '@cbme/contracts';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { SCHOOL_MEMBERS, SchoolMembers } from '../ports/read-model-ports';

/** What the decider needs to know of whoever acts on a coach's plan: only whether they act as the school's coaching lead. */
export const coachPlanViewer = (role: string): PlanViewerFacts => ({ currentCoachId: null, isCoachingLead: role === 'coaching-lead' });
const coachOwner = (coachId: string): PlanOwner => ({ kind: 'coach', id: coachId });

export class ReviseCoachPlanCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly input: { planId: string; focusAreas: CoachFocusAreaWritten[]; nextReviewDue: string; rationale?: string },
    readonly expectedVersion?: number,
  ) {}
}

export class RequestCoachPlanReviewCommand {
  constructor(readonly metadata: EventMetadata, readonly reviewerId: string) {}
}

export class ReviewCoachPlanCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly coachId: string,
    readonly input: { reviewId: string; whatChanged: string; nextSteps: string[]; nextReviewDue: string },
  ) {}
}

/** The coach writes their own plan: the first version, or a revision saying why (the learner plan's rules). */
@CommandHandler(ReviseCoachPlanCommand)
export class ReviseCoachPlanHandler implements ICommandHandler<ReviseCoachPlanCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
  ) {}

  execute({ metadata, input, expectedVersion }: ReviseCoachPlanCommand) {
    const coachId = metadata.actor.userId;
    const focusAreas = input.focusAreas.map((f) => ({ ...f, competencies: [] }));
    const data = { ...input, focusAreas, owner: coachOwner(coachId), revisedBy: coachId, goalIds: [], motivatedBy: [], today: metadata.occurredAt, goalOwners: {}, motivationOwners: {} };
    return executeCommand(this.store, this.catalog, developmentPlanDecider, coachPlanStreamId(metadata.tenant.schoolId, coachId), { type: 'RevisePlan', data }, metadata, { expectedVersion });
  }
}

/** The coach asks the school's coaching lead or a peer coach (any coach of the school: feedback keeps no communities). */
@CommandHandler(RequestCoachPlanReviewCommand)
export class RequestCoachPlanReviewHandler implements ICommandHandler<RequestCoachPlanReviewCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
    @Inject(SCHOOL_MEMBERS) private readonly members: SchoolMembers,
  ) {}

  async execute({ metadata, reviewerId }: RequestCoachPlanReviewCommand) {
    const coachId = metadata.actor.userId;
    const reviewerRoles = await this.members.rolesOf(metadata.tenant.schoolId, reviewerId);
    const data = { owner: coachOwner(coachId), requestedBy: coachId, viewer: coachPlanViewer(metadata.actor.role), reviewerId, reviewerRoles };
    return executeCommand(this.store, this.catalog, developmentPlanDecider, coachPlanStreamId(metadata.tenant.schoolId, coachId), { type: 'RequestPlanReview', data }, metadata);
  }
}

/** The reviewer the coach asked records the review: what changed, the next steps, the next review date. */
@CommandHandler(ReviewCoachPlanCommand)
export class ReviewCoachPlanHandler implements ICommandHandler<ReviewCoachPlanCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
  ) {}

  execute({ metadata, coachId, input }: ReviewCoachPlanCommand) {
    const data = { ...input, owner: coachOwner(coachId), reviewedBy: metadata.actor.userId, viewer: coachPlanViewer(metadata.actor.role), today: metadata.occurredAt };
    return executeCommand(this.store, this.catalog, developmentPlanDecider, coachPlanStreamId(metadata.tenant.schoolId, coachId), { type: 'ReviewPlan', data }, metadata);
  }
}
