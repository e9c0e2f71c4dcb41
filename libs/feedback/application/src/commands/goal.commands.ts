import { EventCatalog, EventMetadata, GoalStatus, GoalVisibility, MotivationKind } from '@cbme/contracts';
import { EVENT_CATALOG, EVENT_STORE, EventStore, executeCommand, loadState } from '@cbme/event-sourcing';
import { goalDecider, goalStreamId } from '@cbme/feedback-domain';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CURRENT_COACHES, CurrentCoaches } from '../ports/read-model-ports';
import { requireSchoolCompetencies } from './framework.commands';
import { learnerOfMotivation } from './motivations';

export class SetGoalCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly input: {
      goalId: string; description: string; measureOfSuccess: string | null; competencies: string[]; targetDate: string; visibility: GoalVisibility;
      /** a draft: not active (nor published as set) until the learner activates it */
      draft?: boolean;
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

export class NoteGoalProgressCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly goalId: string,
    readonly input: { noteId: string; note: string },
  ) {}
}

/** The learner links a goal to the dialogue or assessment result that motivated it. */
export class LinkGoalCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly goalId: string,
    readonly input: { kind: MotivationKind; targetId: string },
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
    const data = { ...input, changedBy: metadata.actor.userId, today: metadata.occurredAt };
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

@CommandHandler(NoteGoalProgressCommand)
export class NoteGoalProgressHandler implements ICommandHandler<NoteGoalProgressCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
    @Inject(CURRENT_COACHES) private readonly coaches: CurrentCoaches,
  ) {}

  async execute({ metadata, goalId, input }: NoteGoalProgressCommand) {
    const { state } = await loadState(this.store, goalDecider, goalStreamId(goalId));
    const currentCoachId = state.status === 'none' ? null : await this.coaches.currentCoachOf(metadata.tenant.schoolId, state.learnerId);
    const data = { ...input, authorId: metadata.actor.userId, currentCoachId };
    return executeCommand(this.store, this.catalog, goalDecider, goalStreamId(goalId), { type: 'NoteGoalProgress', data }, metadata);
  }
}

@CommandHandler(LinkGoalCommand)
export class LinkGoalHandler extends GoalHandler implements ICommandHandler<LinkGoalCommand> {
  async execute({ metadata, goalId, input }: LinkGoalCommand) {
    const targetLearnerId = await learnerOfMotivation(this.store, metadata.tenant.schoolId, input.kind, input.targetId);
    const data = { ...input, targetLearnerId, linkedBy: metadata.actor.userId };
    return executeCommand(this.store, this.catalog, goalDecider, goalStreamId(goalId), { type: 'LinkGoal', data }, metadata);
  }
}
