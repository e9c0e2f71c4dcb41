import { CompetencyRating, DialogueAssessor, DialogueContext, EntryKind, EntryVisibility, EventCatalog, EventMetadata } from '@cbme/contracts';
import { ruleViolated } from '@cbme/decider';
import { EVENT_CATALOG, EVENT_STORE, EventStore, executeCommand } from '@cbme/event-sourcing';
import { DialogueCommand, dialogueStreamId, feedbackDialogueDecider } from '@cbme/feedback-domain';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CURRENT_COACHES, CurrentCoaches, SCHOOL_MEMBERS, SchoolMembers, STAFF_ROLES } from '../ports/read-model-ports';
import { actingUser, coachOf, currentCoachOfStream } from './current-coach';
import { requireSchoolCompetencies } from './framework.commands';

export class OpenFeedbackDialogueCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly input: {
      dialogueId: string; learnerId: string; topic: string; competencies: string[];
      /** the learner's current coach when not named */
      coachId?: string; context?: DialogueContext; assessor?: DialogueAssessor;
    },
    /** the learner who opened it, when a history import records it (see actingUser) */
    readonly recordedBy?: string,
  ) {}
}

export class AddDialogueEntryCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly dialogueId: string,
    readonly input: { entryId: string; text: string; visibility: EntryVisibility; kind?: EntryKind; ratings?: CompetencyRating[] },
    readonly expectedVersion?: number,
    /** the author, when a history import records it (see actingUser) */
    readonly recordedBy?: string,
  ) {}
}

export class AgreeActionItemCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly dialogueId: string,
    readonly input: { actionId: string; description: string; ownerId: string; dueDate?: string },
    readonly recordedBy?: string,
  ) {}
}

/** The owner of an action item, or the dialogue's learner, marks it done with what came of it. */
export class CompleteActionItemCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly dialogueId: string,
    readonly actionId: string,
    readonly outcome: string,
    readonly recordedBy?: string,
  ) {}
}

/** The owner of an action item, or the dialogue's learner, drops it with a reason. */
export class DropActionItemCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly dialogueId: string,
    readonly actionId: string,
    readonly reason: string,
    readonly recordedBy?: string,
  ) {}
}

export class CloseFeedbackDialogueCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly dialogueId: string,
    readonly recordedBy?: string,
  ) {}
}

export class ReopenFeedbackDialogueCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly dialogueId: string,
    readonly recordedBy?: string,
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

  async execute({ metadata, input, recordedBy }: OpenFeedbackDialogueCommand) {
    const { schoolId } = metadata.tenant;
    await requireSchoolCompetencies(this.store, metadata, input.competencies);
    const currentCoach = await coachOf(this.coaches, metadata, input.learnerId);
    const coachId = input.coachId ?? currentCoach;
    if (!coachId) throw ruleViolated(`${input.learnerId} has no coach now; feedback dialogues are held with the current coach`);
    const assessorId = input.assessor?.userId;
    const assessorIsStaff = assessorId ? (await this.members.rolesOf(schoolId, assessorId)).some((r) => STAFF_ROLES.includes(r)) : false;
    const data = { ...input, coachId, requestedBy: actingUser(metadata, recordedBy), coachIsCurrentCoach: currentCoach === coachId, assessorIsStaff };
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
    const currentCoachId = await currentCoachOfStream(this.store, this.coaches, metadata, dialogueStreamId(dialogueId));
    return executeCommand(this.store, this.catalog, feedbackDialogueDecider, dialogueStreamId(dialogueId), command(currentCoachId), metadata, { expectedVersion });
  }
}

@CommandHandler(AddDialogueEntryCommand)
export class AddDialogueEntryHandler extends DialogueHandler implements ICommandHandler<AddDialogueEntryCommand> {
  execute({ metadata, dialogueId, input, expectedVersion, recordedBy }: AddDialogueEntryCommand) {
    return this.run(metadata, dialogueId, (currentCoachId) => ({ type: 'AddDialogueEntry', data: { ...input, authorId: actingUser(metadata, recordedBy), currentCoachId } }), expectedVersion);
  }
}

@CommandHandler(AgreeActionItemCommand)
export class AgreeActionItemHandler extends DialogueHandler implements ICommandHandler<AgreeActionItemCommand> {
  execute({ metadata, dialogueId, input, recordedBy }: AgreeActionItemCommand) {
    return this.run(metadata, dialogueId, (currentCoachId) => ({
      type: 'AgreeActionItem', data: { ...input, agreedBy: actingUser(metadata, recordedBy), currentCoachId, today: metadata.occurredAt },
    }));
  }
}

@CommandHandler(CompleteActionItemCommand)
export class CompleteActionItemHandler extends DialogueHandler implements ICommandHandler<CompleteActionItemCommand> {
  execute({ metadata, dialogueId, actionId, outcome, recordedBy }: CompleteActionItemCommand) {
    return this.run(metadata, dialogueId, (currentCoachId) => ({ type: 'CompleteActionItem', data: { actionId, completedBy: actingUser(metadata, recordedBy), outcome, currentCoachId } }));
  }
}

@CommandHandler(DropActionItemCommand)
export class DropActionItemHandler extends DialogueHandler implements ICommandHandler<DropActionItemCommand> {
  execute({ metadata, dialogueId, actionId, reason, recordedBy }: DropActionItemCommand) {
    return this.run(metadata, dialogueId, (currentCoachId) => ({ type: 'DropActionItem', data: { actionId, droppedBy: actingUser(metadata, recordedBy), reason, currentCoachId } }));
  }
}

@CommandHandler(CloseFeedbackDialogueCommand)
export class CloseFeedbackDialogueHandler extends DialogueHandler implements ICommandHandler<CloseFeedbackDialogueCommand> {
  execute({ metadata, dialogueId, recordedBy }: CloseFeedbackDialogueCommand) {
    return this.run(metadata, dialogueId, (currentCoachId) => ({ type: 'CloseFeedbackDialogue', data: { closedBy: actingUser(metadata, recordedBy), role: metadata.actor.role, currentCoachId } }));
  }
}

@CommandHandler(ReopenFeedbackDialogueCommand)
export class ReopenFeedbackDialogueHandler extends DialogueHandler implements ICommandHandler<ReopenFeedbackDialogueCommand> {
  execute({ metadata, dialogueId, recordedBy }: ReopenFeedbackDialogueCommand) {
    return this.run(metadata, dialogueId, (currentCoachId) => ({ type: 'ReopenFeedbackDialogue', data: { reopenedBy: actingUser(metadata, recordedBy), currentCoachId } }));
  }
}
