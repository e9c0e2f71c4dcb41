import { EntryVisibility, EventCatalog, EventMetadata } from '@cbme/contracts';
import { EVENT_CATALOG, EVENT_STORE, EventStore, executeCommand } from '@cbme/event-sourcing';
import { dialogueStreamId, feedbackDialogueDecider } from '@cbme/feedback-domain';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CURRENT_COACHES, CurrentCoaches } from '../ports/read-model-ports';

export class OpenFeedbackDialogueCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly input: { dialogueId: string; learnerId: string; coachId: string; topic: string; competencies: string[] },
  ) {}
}

export class AddDialogueEntryCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly dialogueId: string,
    readonly input: { entryId: string; text: string; visibility: EntryVisibility },
    readonly expectedVersion?: number,
  ) {}
}

export class CloseFeedbackDialogueCommand {
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
  ) {}

  async execute({ metadata, input }: OpenFeedbackDialogueCommand) {
    const currentCoach = await this.coaches.currentCoachOf(metadata.tenant.schoolId, input.learnerId);
    const data = { ...input, requestedBy: metadata.actor.userId, coachIsCurrentCoach: currentCoach === input.coachId };
    return executeCommand(this.store, this.catalog, feedbackDialogueDecider, dialogueStreamId(input.dialogueId), { type: 'OpenFeedbackDialogue', data }, metadata);
  }
}

@CommandHandler(AddDialogueEntryCommand)
export class AddDialogueEntryHandler implements ICommandHandler<AddDialogueEntryCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
  ) {}

  execute({ metadata, dialogueId, input, expectedVersion }: AddDialogueEntryCommand) {
    const command = { type: 'AddDialogueEntry' as const, data: { ...input, authorId: metadata.actor.userId } };
    return executeCommand(this.store, this.catalog, feedbackDialogueDecider, dialogueStreamId(dialogueId), command, metadata, { expectedVersion });
  }
}

@CommandHandler(CloseFeedbackDialogueCommand)
export class CloseFeedbackDialogueHandler implements ICommandHandler<CloseFeedbackDialogueCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
  ) {}

  execute({ metadata, dialogueId }: CloseFeedbackDialogueCommand) {
    const command = { type: 'CloseFeedbackDialogue' as const, data: { closedBy: metadata.actor.userId, role: metadata.actor.role } };
    return executeCommand(this.store, this.catalog, feedbackDialogueDecider, dialogueStreamId(dialogueId), command, metadata);
  }
}
