import { EventCatalog, EventMetadata, GoalStatus, GoalVisibility, MotivationKind } from '@cbme/contracts';
import { EVENT_CATALOG, EVENT_STORE, EventStore, executeCommand } from '@cbme/event-sourcing';
import { GoalCommand, goalDecider, goalStreamId } from '@cbme/feedback-domain';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CURRENT_COACHES, CurrentCoaches } from '../ports/read-model-ports';
import { actingUser, currentCoachOfStream } from './current-coach';
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
    /** the learner, when a history import records it (see actingUser) */
    readonly recordedBy?: string,
  ) {}
}

export class ReviseGoalCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly goalId: string,
    readonly input: { description: string; targetDate: string; rationale: string },
    readonly expectedVersion?: number,
    readonly recordedBy?: string,
  ) {}
}

export class ChangeGoalStatusCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly goalId: string,
    readonly input: { to: GoalStatus; note?: string },
    readonly recordedBy?: string,
  ) {}
}

/** The learner shares a goal with their coach, or keeps it private. */
export class ChangeGoalSharingCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly goalId: string,
    readonly input: { visibility: GoalVisibility },
    readonly recordedBy?: string,
  ) {}
}

export class NoteGoalProgressCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly goalId: string,
    readonly input: { noteId: string; note: string },
    readonly recordedBy?: string,
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

/**
 * Runs a command on a goal with the facts its decider needs: who coaches the learner (now, or at a backdated
 * command's date), which says who may see the goal, and when the goal was set.
 */
abstract class GoalHandler {
  constructor(
    @Inject(EVENT_STORE) protected readonly store: EventStore,
    @Inject(EVENT_CATALOG) protected readonly catalog: EventCatalog,
    @Inject(CURRENT_COACHES) protected readonly coaches: CurrentCoaches,
  ) {}

  protected async run(metadata: EventMetadata, goalId: string, command: (currentCoachId: string | null, setAt?: string) => GoalCommand, expectedVersion?: number) {
    const currentCoachId = await currentCoachOfStream(this.store, this.coaches, metadata, goalStreamId(goalId));
    const setAt = metadata.backdated ? await setAtOf(this.store, goalId) : undefined;
    return executeCommand(this.store, this.catalog, goalDecider, goalStreamId(goalId), command(currentCoachId, setAt), metadata, { expectedVersion });
  }
}

/** When the goal was set (a draft: when it became active). Only a backdated command can come before that. */
async function setAtOf(store: EventStore, goalId: string): Promise<string | undefined> {
  return (await store.readStream(goalStreamId(goalId))).find((e) => e.type === 'feedback.goal-set')?.occurredAt;
}

@CommandHandler(SetGoalCommand)
export class SetGoalHandler extends GoalHandler implements ICommandHandler<SetGoalCommand> {
  async execute({ metadata, input, recordedBy }: SetGoalCommand) {
    await requireSchoolCompetencies(this.store, metadata, input.competencies);
    const learnerId = actingUser(metadata, recordedBy);
    const data = { ...input, learnerId, setBy: learnerId, today: metadata.occurredAt };
    return executeCommand(this.store, this.catalog, goalDecider, goalStreamId(input.goalId), { type: 'SetGoal', data }, metadata);
  }
}

@CommandHandler(ReviseGoalCommand)
export class ReviseGoalHandler extends GoalHandler implements ICommandHandler<ReviseGoalCommand> {
  execute({ metadata, goalId, input, expectedVersion, recordedBy }: ReviseGoalCommand) {
    return this.run(metadata, goalId, (currentCoachId) => ({
      type: 'ReviseGoal', data: { ...input, revisedBy: actingUser(metadata, recordedBy), today: metadata.occurredAt, currentCoachId },
    }), expectedVersion);
  }
}

@CommandHandler(ChangeGoalStatusCommand)
export class ChangeGoalStatusHandler extends GoalHandler implements ICommandHandler<ChangeGoalStatusCommand> {
  execute({ metadata, goalId, input, recordedBy }: ChangeGoalStatusCommand) {
    return this.run(metadata, goalId, (currentCoachId, setAt) => ({
      type: 'ChangeGoalStatus', data: { ...input, changedBy: actingUser(metadata, recordedBy), today: metadata.occurredAt, setAt, currentCoachId },
    }));
  }
}

@CommandHandler(ChangeGoalSharingCommand)
export class ChangeGoalSharingHandler extends GoalHandler implements ICommandHandler<ChangeGoalSharingCommand> {
  execute({ metadata, goalId, input, recordedBy }: ChangeGoalSharingCommand) {
    return this.run(metadata, goalId, (currentCoachId) => ({ type: 'ChangeGoalSharing', data: { ...input, changedBy: actingUser(metadata, recordedBy), currentCoachId } }));
  }
}

@CommandHandler(NoteGoalProgressCommand)
export class NoteGoalProgressHandler extends GoalHandler implements ICommandHandler<NoteGoalProgressCommand> {
  execute({ metadata, goalId, input, recordedBy }: NoteGoalProgressCommand) {
    return this.run(metadata, goalId, (currentCoachId) => ({ type: 'NoteGoalProgress', data: { ...input, authorId: actingUser(metadata, recordedBy), currentCoachId } }));
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
