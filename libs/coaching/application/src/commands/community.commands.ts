import { EventCatalog, EventMetadata } from '@cbme/contracts';
import { CommunityCommand, communityStreamId, learningCommunityDecider, membershipTimeline, StoredSessionScheduled } from '@cbme/coaching-domain';
import { EVENT_CATALOG, EVENT_STORE, EventStore, executeCommand } from '@cbme/event-sourcing';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DIRECTORY, Directory } from '../coaching.ports';

export class CreateCommunityCommand {
  constructor(readonly metadata: EventMetadata, readonly input: { communityId: string; name: string }) {}
}
export class AddCoachToCommunityCommand {
  constructor(readonly metadata: EventMetadata, readonly communityId: string, readonly coachId: string) {}
}
export class RemoveCoachFromCommunityCommand {
  constructor(readonly metadata: EventMetadata, readonly communityId: string, readonly coachId: string) {}
}

abstract class CommunityHandler {
  constructor(
    @Inject(EVENT_STORE) protected readonly store: EventStore,
    @Inject(EVENT_CATALOG) protected readonly catalog: EventCatalog,
    @Inject(DIRECTORY) protected readonly directory: Directory,
  ) {}

  protected run(metadata: EventMetadata, communityId: string, command: CommunityCommand) {
    return executeCommand(this.store, this.catalog, learningCommunityDecider, communityStreamId(metadata.tenant.schoolId, communityId), command, metadata);
  }
}

@CommandHandler(CreateCommunityCommand)
export class CreateCommunityHandler extends CommunityHandler implements ICommandHandler<CreateCommunityCommand> {
  execute({ metadata, input }: CreateCommunityCommand) {
    return this.run(metadata, input.communityId, { type: 'CreateCommunity', data: input });
  }
}

@CommandHandler(AddCoachToCommunityCommand)
export class AddCoachToCommunityHandler extends CommunityHandler implements ICommandHandler<AddCoachToCommunityCommand> {
  async execute({ metadata, communityId, coachId }: AddCoachToCommunityCommand) {
    const coachIsCoachInSchool = (await this.directory.rolesOf(metadata.tenant.schoolId, coachId)).includes('coach');
    return this.run(metadata, communityId, { type: 'AddCoachToCommunity', data: { coachId, coachIsCoachInSchool } });
  }
}

@CommandHandler(RemoveCoachFromCommunityCommand)
export class RemoveCoachFromCommunityHandler extends CommunityHandler implements ICommandHandler<RemoveCoachFromCommunityCommand> {
  execute({ metadata, communityId, coachId }: RemoveCoachFromCommunityCommand) {
    return this.run(metadata, communityId, { type: 'RemoveCoachFromCommunity', data: { coachId } });
  }
}

export type SessionInput = Omit<StoredSessionScheduled, 'communityId'>;
export class ScheduleCommunitySessionCommand {
  constructor(readonly metadata: EventMetadata, readonly communityId: string, readonly input: SessionInput) {}
}
export class RescheduleCommunitySessionCommand {
  constructor(readonly metadata: EventMetadata, readonly communityId: string, readonly sessionId: string, readonly input: { startsAt: string; durationMinutes?: number; reason?: string }) {}
}
export class CancelCommunitySessionCommand {
  constructor(readonly metadata: EventMetadata, readonly communityId: string, readonly sessionId: string, readonly reason: string) {}
}
export class RecordCommunitySessionHeldCommand {
  constructor(readonly metadata: EventMetadata, readonly communityId: string, readonly sessionId: string, readonly input: { topics: string[]; attendees: string[] }) {}
}

@CommandHandler(ScheduleCommunitySessionCommand)
export class ScheduleCommunitySessionHandler extends CommunityHandler implements ICommandHandler<ScheduleCommunitySessionCommand> {
  execute({ metadata, communityId, input }: ScheduleCommunitySessionCommand) {
    return this.run(metadata, communityId, { type: 'ScheduleCommunitySession', data: { ...input, now: metadata.occurredAt } });
  }
}

@CommandHandler(RescheduleCommunitySessionCommand)
export class RescheduleCommunitySessionHandler extends CommunityHandler implements ICommandHandler<RescheduleCommunitySessionCommand> {
  execute({ metadata, communityId, sessionId, input }: RescheduleCommunitySessionCommand) {
    return this.run(metadata, communityId, { type: 'RescheduleCommunitySession', data: { sessionId, ...input, now: metadata.occurredAt } });
  }
}

@CommandHandler(CancelCommunitySessionCommand)
export class CancelCommunitySessionHandler extends CommunityHandler implements ICommandHandler<CancelCommunitySessionCommand> {
  execute({ metadata, communityId, sessionId, reason }: CancelCommunitySessionCommand) {
    return this.run(metadata, communityId, { type: 'CancelCommunitySession', data: { sessionId, reason } });
  }
}

/** Who belonged when is read from the stream's own times; the decider judges the attendance against it. */
@CommandHandler(RecordCommunitySessionHeldCommand)
export class RecordCommunitySessionHeldHandler extends CommunityHandler implements ICommandHandler<RecordCommunitySessionHeldCommand> {
  async execute({ metadata, communityId, sessionId, input }: RecordCommunitySessionHeldCommand) {
    const membership = membershipTimeline(await this.store.readStream(communityStreamId(metadata.tenant.schoolId, communityId)));
    return this.run(metadata, communityId, { type: 'RecordCommunitySessionHeld', data: { sessionId, ...input, now: metadata.occurredAt, membership } });
  }
}

export const COMMUNITY_HANDLERS = [
  CreateCommunityHandler, AddCoachToCommunityHandler, RemoveCoachFromCommunityHandler,
  ScheduleCommunitySessionHandler, RescheduleCommunitySessionHandler, CancelCommunitySessionHandler, RecordCommunitySessionHeldHandler,
];
