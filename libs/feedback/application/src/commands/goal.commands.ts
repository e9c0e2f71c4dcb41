import { EventCatalog, EventMetadata, GoalStatus, GoalVisibility, MotivationKind } from '@cbme/contracts';
import { EVENT_CATALOG, EVENT_STORE, EventStore, executeCommand } from '@cbme/event-sourcing';
import { GoalCommand, goalDecider, goalStreamId } from '@cbme/feedback-domain';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CURRENT_COACHES, CurrentCoaches } from '../ports/read-model-ports';
import { currentCoachOfStream } from './current-coach';
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

/** The learner takes back a link of a goal. */
export class UnlinkGoalCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly goalId: string,
    readonly input: { kind: MotivationKind; targetId: string },
  ) {}
}

/** Runs a command on a goal with the fact its decider needs to tell who may see it: who coaches the learner now. */
abstract class GoalHandler {
  constructor(
    @Inject(EVENT_STORE) protected readonly store: EventStore,
    @Inject(EVENT_CATALOG) protected readonly catalog: EventCatalog,
    @Inject(CURRENT_COACHES) protected readonly coaches: CurrentCoaches,
  ) {}

  protected async run(metadata: EventMetadata, goalId: string, command: (currentCoachId: string | null) => GoalCommand, expectedVersion?: number) {
    const currentCoachId = await currentCoachOfStream(this.store, this.coaches, metadata.tenant.schoolId, goalStreamId(goalId));
    return executeCommand(this.store, this.catalog, goalDecider, goalStreamId(goalId), command(currentCoachId), metadata, { expectedVersion });
  }
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
    return this.run(metadata, goalId, (currentCoachId) => ({
      type: 'ReviseGoal', data: { ...input, revisedBy: metadata.actor.userId, today: metadata.occurredAt, currentCoachId },
    }), expectedVersion);
  }
}

@CommandHandler(ChangeGoalStatusCommand)
export class ChangeGoalStatusHandler extends GoalHandler implements ICommandHandler<ChangeGoalStatusCommand> {
  execute({ metadata, goalId, input }: ChangeGoalStatusCommand) {
    return this.run(metadata, goalId, (currentCoachId) => ({
      type: 'ChangeGoalStatus', data: { ...input, changedBy: metadata.actor.userId, today: metadata.occurredAt, currentCoachId },
    }));
  }
}

@CommandHandler(ChangeGoalSharingCommand)
export class ChangeGoalSharingHandler extends GoalHandler implements ICommandHandler<ChangeGoalSharingCommand> {
  execute({ metadata, goalId, input }: ChangeGoalSharingCommand) {
    return this.run(metadata, goalId, (currentCoachId) => ({ type: 'ChangeGoalSharing', data: { ...input, changedBy: metadata.actor.userId, currentCoachId } }));
  }
}

@CommandHandler(NoteGoalProgressCommand)
export class NoteGoalProgressHandler extends GoalHandler implements ICommandHandler<NoteGoalProgressCommand> {
  execute({ metadata, goalId, input }: NoteGoalProgressCommand) {
    return this.run(metadata, goalId, (currentCoachId) => ({ type: 'NoteGoalProgress', data: { ...input, authorId: metadata.actor.userId, currentCoachId } }));
  }
}

@CommandHandler(LinkGoalCommand)
export class LinkGoalHandler extends GoalHandler implements ICommandHandler<LinkGoalCommand> {
  async execute({ metadata, goalId, input }: LinkGoalCommand) {
    const targetLearnerId = await learnerOfMotivation(this.store, metadata.tenant.schoolId, input.kind, input.targetId);
    return this.run(metadata, goalId, (currentCoachId) => ({ type: 'LinkGoal', data: { ...input, targetLearnerId, linkedBy: metadata.actor.userId, currentCoachId } }));
  }
}

@CommandHandler(UnlinkGoalCommand)
export class UnlinkGoalHandler extends GoalHandler implements ICommandHandler<UnlinkGoalCommand> {
  execute({ metadata, goalId, input }: UnlinkGoalCommand) {
    return this.run(metadata, goalId, (currentCoachId) => ({ type: 'UnlinkGoal', data: { ...input, unlinkedBy: metadata.actor.userId, currentCoachId } }));
  }
}
