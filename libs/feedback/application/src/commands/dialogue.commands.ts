import { DialogueAssessor, DialogueContext, EntryKind, EntryVisibility, EventCatalog, EventMetadata } from '@cbme/contracts';
import { ruleViolated } from '@cbme/decider';
import { EVENT_CATALOG, EVENT_STORE, EventStore, executeCommand } from '@cbme/event-sourcing';
import { DialogueCommand, dialogueStreamId, feedbackDialogueDecider } from '@cbme/feedback-domain';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CURRENT_COACHES, CurrentCoaches, SCHOOL_MEMBERS, SchoolMembers, STAFF_ROLES } from '../ports/read-model-ports';
import { currentCoachOfStream } from './current-coach';
import { requireSchoolCompetencies } from './framework.commands';

export class OpenFeedbackDialogueCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly input: {
      dialogueId: string; learnerId: string; topic: string; competencies: string[];
      /** the learner's current coach when not named */
      coachId?: string; context?: DialogueContext; assessor?: DialogueAssessor;
    },
  ) {}
}

export class AddDialogueEntryCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly dialogueId: string,
    readonly input: { entryId: string; text: string; visibility: EntryVisibility; kind?: EntryKind },
    readonly expectedVersion?: number,
  ) {}
}

export class AgreeActionItemCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly dialogueId: string,
    readonly input: { actionId: string; description: string; ownerId: string; dueDate?: string },
  ) {}
}

/** The owner of an action item, or the dialogue's learner, marks it done with what came of it. */
export class CompleteActionItemCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly dialogueId: string,
    readonly actionId: string,
    readonly outcome: string,
  ) {}
}

/** The owner of an action item, or the dialogue's learner, drops it with a reason. */
export class DropActionItemCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly dialogueId: string,
    readonly actionId: string,
    readonly reason: string,
  ) {}
}

export class CloseFeedbackDialogueCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly dialogueId: string,
  ) {}
}

export class ReopenFeedbackDialogueCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly dialogueId: string,
  ) {}
}

@CommandHandler(OpenFeedbackDialogueCommand)
export class OpenFeedbackDialogueHandler implements ICommandHandler<OpenFeedbackDialogueCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
    @Inject(CURRENT_COACHES) private readonly coaches: CurrentCoaches,
    @Inject(SCHOOL_MEMBERS) private readonly members: SchoolMembers,
  ) {}

  async execute({ metadata, input }: OpenFeedbackDialogueCommand) {
    const { schoolId } = metadata.tenant;
    await requireSchoolCompetencies(this.store, schoolId, input.competencies);
    const currentCoach = await this.coaches.currentCoachOf(schoolId, input.learnerId);
    const coachId = input.coachId ?? currentCoach;
    if (!coachId) throw ruleViolated(`${input.learnerId} has no coach now; feedback dialogues are held with the current coach`);
    const assessorId = input.assessor?.userId;
    const assessorIsStaff = assessorId ? (await this.members.rolesOf(schoolId, assessorId)).some((r) => STAFF_ROLES.includes(r)) : false;
    const data = { ...input, coachId, requestedBy: metadata.actor.userId, coachIsCurrentCoach: currentCoach === coachId, assessorIsStaff };
    const result = await executeCommand(this.store, this.catalog, feedbackDialogueDecider, dialogueStreamId(input.dialogueId), { type: 'OpenFeedbackDialogue', data }, metadata);
    return { ...result, coachId };
  }
}

abstract class DialogueHandler {
  constructor(
    @Inject(EVENT_STORE) protected readonly store: EventStore,
    @Inject(EVENT_CATALOG) protected readonly catalog: EventCatalog,
    @Inject(CURRENT_COACHES) protected readonly coaches: CurrentCoaches,
  ) {}

  protected async run(metadata: EventMetadata, dialogueId: string, command: (currentCoachId: string | null) => DialogueCommand, expectedVersion?: number) {
    const currentCoachId = await currentCoachOfStream(this.store, this.coaches, metadata.tenant.schoolId, dialogueStreamId(dialogueId));
    return executeCommand(this.store, this.catalog, feedbackDialogueDecider, dialogueStreamId(dialogueId), command(currentCoachId), metadata, { expectedVersion });
  }
}

@CommandHandler(AddDialogueEntryCommand)
export class AddDialogueEntryHandler extends DialogueHandler implements ICommandHandler<AddDialogueEntryCommand> {
  execute({ metadata, dialogueId, input, expectedVersion }: AddDialogueEntryCommand) {
    return this.run(metadata, dialogueId, (currentCoachId) => ({ type: 'AddDialogueEntry', data: { ...input, authorId: metadata.actor.userId, currentCoachId } }), expectedVersion);
  }
}

@CommandHandler(AgreeActionItemCommand)
export class AgreeActionItemHandler extends DialogueHandler implements ICommandHandler<AgreeActionItemCommand> {
  execute({ metadata, dialogueId, input }: AgreeActionItemCommand) {
    return this.run(metadata, dialogueId, (currentCoachId) => ({
      type: 'AgreeActionItem', data: { ...input, agreedBy: metadata.actor.userId, currentCoachId, today: metadata.occurredAt },
    }));
  }
}

@CommandHandler(CompleteActionItemCommand)
export class CompleteActionItemHandler extends DialogueHandler implements ICommandHandler<CompleteActionItemCommand> {
  execute({ metadata, dialogueId, actionId, outcome }: CompleteActionItemCommand) {
    return this.run(metadata, dialogueId, (currentCoachId) => ({ type: 'CompleteActionItem', data: { actionId, completedBy: metadata.actor.userId, outcome, currentCoachId } }));
  }
}

@CommandHandler(DropActionItemCommand)
export class DropActionItemHandler extends DialogueHandler implements ICommandHandler<DropActionItemCommand> {
  execute({ metadata, dialogueId, actionId, reason }: DropActionItemCommand) {
    return this.run(metadata, dialogueId, (currentCoachId) => ({ type: 'DropActionItem', data: { actionId, droppedBy: metadata.actor.userId, reason, currentCoachId } }));
  }
}

@CommandHandler(CloseFeedbackDialogueCommand)
export class CloseFeedbackDialogueHandler extends DialogueHandler implements ICommandHandler<CloseFeedbackDialogueCommand> {
  execute({ metadata, dialogueId }: CloseFeedbackDialogueCommand) {
    return this.run(metadata, dialogueId, (currentCoachId) => ({ type: 'CloseFeedbackDialogue', data: { closedBy: metadata.actor.userId, role: metadata.actor.role, currentCoachId } }));
  }
}

@CommandHandler(ReopenFeedbackDialogueCommand)
export class ReopenFeedbackDialogueHandler extends DialogueHandler implements ICommandHandler<ReopenFeedbackDialogueCommand> {
  execute({ metadata, dialogueId }: ReopenFeedbackDialogueCommand) {
    return this.run(metadata, dialogueId, (currentCoachId) => ({ type: 'ReopenFeedbackDialogue', data: { reopenedBy: metadata.actor.userId, currentCoachId } }));
  }
}
