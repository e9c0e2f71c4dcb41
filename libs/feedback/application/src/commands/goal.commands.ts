import { EventCatalog, EventMetadata, GoalStatus, GoalVisibility } from '@cbme/contracts';
import { EVENT_CATALOG, EVENT_STORE, EventStore, executeCommand } from '@cbme/event-sourcing';
import { goalDecider, goalStreamId } from '@cbme/feedback-domain';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { requireSchoolCompetencies } from './framework.commands';

export class SetGoalCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly input: {
      goalId: string; description: string; measureOfSuccess: string | null; competencies: string[]; targetDate: string; visibility: GoalVisibility;
    },
  ) {}
}

export class ReviseGoalCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly goalId: string,
    readonly input: { description: string; targetDate: string; rationale: string },
    readonly expectedVersion?: number,
  ) {}
}

export class ChangeGoalStatusCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly goalId: string,
    readonly input: { to: GoalStatus; note?: string },
  ) {}
}

/** The learner shares a goal with their coach, or keeps it private. */
export class ChangeGoalSharingCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly goalId: string,
    readonly input: { visibility: GoalVisibility },
  ) {}
}

abstract class GoalHandler {
  constructor(
    @Inject(EVENT_STORE) protected readonly store: EventStore,
    @Inject(EVENT_CATALOG) protected readonly catalog: EventCatalog,
  ) {}
}

@CommandHandler(SetGoalCommand)
export class SetGoalHandler extends GoalHandler implements ICommandHandler<SetGoalCommand> {
  async execute({ metadata, input }: SetGoalCommand) {
    await requireSchoolCompetencies(this.store, metadata.tenant.schoolId, input.competencies);
    const data = { ...input, learnerId: metadata.actor.userId, setBy: metadata.actor.userId, today: metadata.occurredAt };
    return executeCommand(this.store, this.catalog, goalDecider, goalStreamId(input.goalId), { type: 'SetGoal', data }, metadata);
  }
}

@CommandHandler(ReviseGoalCommand)
export class ReviseGoalHandler extends GoalHandler implements ICommandHandler<ReviseGoalCommand> {
  execute({ metadata, goalId, input, expectedVersion }: ReviseGoalCommand) {
    const data = { ...input, revisedBy: metadata.actor.userId, today: metadata.occurredAt };
    return executeCommand(this.store, this.catalog, goalDecider, goalStreamId(goalId), { type: 'ReviseGoal', data }, metadata, { expectedVersion });
  }
}

@CommandHandler(ChangeGoalStatusCommand)
export class ChangeGoalStatusHandler extends GoalHandler implements ICommandHandler<ChangeGoalStatusCommand> {
  execute({ metadata, goalId, input }: ChangeGoalStatusCommand) {
    const data = { ...input, changedBy: metadata.actor.userId };
    return executeCommand(this.store, this.catalog, goalDecider, goalStreamId(goalId), { type: 'ChangeGoalStatus', data }, metadata);
  }
}

@CommandHandler(ChangeGoalSharingCommand)
export class ChangeGoalSharingHandler extends GoalHandler implements ICommandHandler<ChangeGoalSharingCommand> {
  execute({ metadata, goalId, input }: ChangeGoalSharingCommand) {
    const data = { ...input, changedBy: metadata.actor.userId };
    return executeCommand(this.store, this.catalog, goalDecider, goalStreamId(goalId), { type: 'ChangeGoalSharing', data }, metadata);
  }
}
