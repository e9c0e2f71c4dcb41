import { EntryVisibility, EventCatalog, EventMetadata } from '@cbme/contracts';
import { EVENT_CATALOG, EVENT_STORE, EventStore, executeCommand, loadState } from '@cbme/event-sourcing';
import { dialogueStreamId, feedbackDialogueDecider } from '@cbme/feedback-domain';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CURRENT_COACHES, CurrentCoaches } from '../ports/read-model-ports';
import { requireSchoolCompetencies } from './framework.commands';

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
    await requireSchoolCompetencies(this.store, metadata.tenant.schoolId, input.competencies);
    const currentCoach = await this.coaches.currentCoachOf(metadata.tenant.schoolId, input.learnerId);
    const data = { ...input, requestedBy: metadata.actor.userId, coachIsCurrentCoach: currentCoach === input.coachId };
    return executeCommand(this.store, this.catalog, feedbackDialogueDecider, dialogueStreamId(input.dialogueId), { type: 'OpenFeedbackDialogue', data }, metadata);
  }
}

/**
 * Who coaches the dialogue's learner now (null: nobody, or no such dialogue): the fact the decider needs to
 * let a coach write only while current. Read before deciding; a change that lands in between is seen next time.
 */
async function currentCoachOfDialogue(store: EventStore, coaches: CurrentCoaches, schoolId: string, dialogueId: string) {
  const { state } = await loadState(store, feedbackDialogueDecider, dialogueStreamId(dialogueId));
  return state.status === 'none' ? null : coaches.currentCoachOf(schoolId, state.learnerId);
}

@CommandHandler(AddDialogueEntryCommand)
export class AddDialogueEntryHandler implements ICommandHandler<AddDialogueEntryCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
    @Inject(CURRENT_COACHES) private readonly coaches: CurrentCoaches,
  ) {}

  async execute({ metadata, dialogueId, input, expectedVersion }: AddDialogueEntryCommand) {
    const currentCoachId = await currentCoachOfDialogue(this.store, this.coaches, metadata.tenant.schoolId, dialogueId);
    const command = { type: 'AddDialogueEntry' as const, data: { ...input, authorId: metadata.actor.userId, currentCoachId } };
    return executeCommand(this.store, this.catalog, feedbackDialogueDecider, dialogueStreamId(dialogueId), command, metadata, { expectedVersion });
  }
}

@CommandHandler(CloseFeedbackDialogueCommand)
export class CloseFeedbackDialogueHandler implements ICommandHandler<CloseFeedbackDialogueCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
    @Inject(CURRENT_COACHES) private readonly coaches: CurrentCoaches,
  ) {}

  async execute({ metadata, dialogueId }: CloseFeedbackDialogueCommand) {
    const currentCoachId = await currentCoachOfDialogue(this.store, this.coaches, metadata.tenant.schoolId, dialogueId);
    const command = { type: 'CloseFeedbackDialogue' as const, data: { closedBy: metadata.actor.userId, role: metadata.actor.role, currentCoachId } };
    return executeCommand(this.store, this.catalog, feedbackDialogueDecider, dialogueStreamId(dialogueId), command, metadata);
  }
}
