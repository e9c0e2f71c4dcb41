import { EndReason, EventCatalog, EventMetadata } from '@cbme/contracts';
import {
  coachCapacityDecider, coachCapacityStreamId, coachingProgramDecider, coachingRelationshipDecider, learnerCoachingStreamId, programStreamId,
  LoadFacts, RelationshipCommand,
} from '@cbme/coaching-domain';
import { EVENT_CATALOG, EVENT_STORE, EventStore, executeCommand } from '@cbme/event-sourcing';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { COACHING_SETTINGS, CoachingSettings, DIRECTORY, Directory, RELATIONSHIPS, Relationships } from '../coaching.ports';

export class AssignCoachCommand {
  constructor(readonly metadata: EventMetadata, readonly input: { relationshipId: string; learnerId: string; coachId: string; capacityOverride?: string }) {}
}
export class TransferLearnerCommand {
  constructor(readonly metadata: EventMetadata, readonly learnerId: string, readonly input: { newRelationshipId: string; toCoachId: string; reason: string; capacityOverride?: string }) {}
}
export class PauseRelationshipCommand {
  constructor(readonly metadata: EventMetadata, readonly learnerId: string, readonly input: { reason: string }) {}
}
export class ResumeRelationshipCommand {
  constructor(readonly metadata: EventMetadata, readonly learnerId: string, readonly input: { reason?: string } = {}) {}
}
export class EndRelationshipCommand {
  constructor(readonly metadata: EventMetadata, readonly learnerId: string, readonly input: { reason: EndReason; note?: string; onlyIfCurrent?: boolean }) {}
}
export class ConfigureProgramCommand {
  constructor(readonly metadata: EventMetadata, readonly input: { meetingCadenceDays: number; defaultCoachCapacity: number }) {}
}
export class SetCoachCapacityCommand {
  constructor(readonly metadata: EventMetadata, readonly input: { coachId: string; capacity: number; reason?: string }) {}
}

/** Runs a command on the learner's relationship stream in the caller's school. */
abstract class RelationshipHandler {
  constructor(
    @Inject(EVENT_STORE) protected readonly store: EventStore,
    @Inject(EVENT_CATALOG) protected readonly catalog: EventCatalog,
    @Inject(DIRECTORY) protected readonly directory: Directory,
    @Inject(RELATIONSHIPS) protected readonly relationships: Relationships,
    @Inject(COACHING_SETTINGS) protected readonly settings: CoachingSettings,
  ) {}

  protected run(metadata: EventMetadata, learnerId: string, command: RelationshipCommand) {
    return executeCommand(this.store, this.catalog, coachingRelationshipDecider, learnerCoachingStreamId(metadata.tenant.schoolId, learnerId), command, metadata);
  }

  /**
   * The coach's current load and capacity, read when deciding (capacity is a soft limit a lead may override); a
   * history import (backdated, a trusted caller) records the past, which the decider does not judge by today's load.
   */
  protected async loadOf(metadata: EventMetadata, coachId: string): Promise<LoadFacts> {
    if (metadata.backdated) return { importedBy: metadata.actor.userId };
    const schoolId = metadata.tenant.schoolId;
    const [current, capacity] = await Promise.all([this.relationships.list(schoolId, { coachId, currentOnly: true }), this.settings.capacityOf(schoolId, coachId)]);
    return { coachLoad: current.length, coachCapacity: capacity };
  }

  protected async isCoach(schoolId: string, userId: string) {
    return (await this.directory.rolesOf(schoolId, userId)).includes('coach');
  }
}

@CommandHandler(AssignCoachCommand)
export class AssignCoachHandler extends RelationshipHandler implements ICommandHandler<AssignCoachCommand> {
  async execute({ metadata, input }: AssignCoachCommand) {
    const schoolId = metadata.tenant.schoolId;
    const [learnerRoles, coachIsCoachInSchool, load] = await Promise.all([
      this.directory.rolesOf(schoolId, input.learnerId), this.isCoach(schoolId, input.coachId), this.loadOf(metadata, input.coachId),
    ]);
    const data = { ...input, learnerIsLearnerInSchool: learnerRoles.includes('learner'), coachIsCoachInSchool, ...load };
    return this.run(metadata, input.learnerId, { type: 'AssignCoach', data });
  }
}

@CommandHandler(TransferLearnerCommand)
export class TransferLearnerHandler extends RelationshipHandler implements ICommandHandler<TransferLearnerCommand> {
  async execute({ metadata, learnerId, input }: TransferLearnerCommand) {
    const schoolId = metadata.tenant.schoolId;
    const [coachIsCoachInSchool, load] = await Promise.all([this.isCoach(schoolId, input.toCoachId), this.loadOf(metadata, input.toCoachId)]);
    return this.run(metadata, learnerId, { type: 'TransferLearner', data: { ...input, coachIsCoachInSchool, ...load } });
  }
}

@CommandHandler(PauseRelationshipCommand)
export class PauseRelationshipHandler extends RelationshipHandler implements ICommandHandler<PauseRelationshipCommand> {
  execute({ metadata, learnerId, input }: PauseRelationshipCommand) {
    return this.run(metadata, learnerId, { type: 'PauseRelationship', data: input });
  }
}

@CommandHandler(ResumeRelationshipCommand)
export class ResumeRelationshipHandler extends RelationshipHandler implements ICommandHandler<ResumeRelationshipCommand> {
  execute({ metadata, learnerId, input }: ResumeRelationshipCommand) {
    return this.run(metadata, learnerId, { type: 'ResumeRelationship', data: input });
  }
}

@CommandHandler(EndRelationshipCommand)
export class EndRelationshipHandler extends RelationshipHandler implements ICommandHandler<EndRelationshipCommand> {
  execute({ metadata, learnerId, input }: EndRelationshipCommand) {
    return this.run(metadata, learnerId, { type: 'EndRelationship', data: input });
  }
}

@CommandHandler(ConfigureProgramCommand)
export class ConfigureProgramHandler extends RelationshipHandler implements ICommandHandler<ConfigureProgramCommand> {
  execute({ metadata, input }: ConfigureProgramCommand) {
    return executeCommand(this.store, this.catalog, coachingProgramDecider, programStreamId(metadata.tenant.schoolId), { type: 'ConfigureProgram', data: input }, metadata);
  }
}

@CommandHandler(SetCoachCapacityCommand)
export class SetCoachCapacityHandler extends RelationshipHandler implements ICommandHandler<SetCoachCapacityCommand> {
  async execute({ metadata, input }: SetCoachCapacityCommand) {
    const schoolId = metadata.tenant.schoolId;
    const data = { ...input, coachIsCoachInSchool: await this.isCoach(schoolId, input.coachId) };
    return executeCommand(this.store, this.catalog, coachCapacityDecider, coachCapacityStreamId(schoolId, input.coachId), { type: 'SetCoachCapacity', data }, metadata);
  }
}

export const RELATIONSHIP_HANDLERS = [
  AssignCoachHandler, TransferLearnerHandler, PauseRelationshipHandler, ResumeRelationshipHandler, EndRelationshipHandler, ConfigureProgramHandler, SetCoachCapacityHandler,
];
