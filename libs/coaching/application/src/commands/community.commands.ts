import { EventCatalog, EventMetadata } from '@cbme/contracts';
import { CommunityCommand, communityStreamId, learningCommunityDecider } from '@cbme/coaching-domain';
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

export const COMMUNITY_HANDLERS = [CreateCommunityHandler, AddCoachToCommunityHandler, RemoveCoachFromCommunityHandler];
