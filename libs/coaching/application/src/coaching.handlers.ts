import { EventCatalog, EventMetadata, Role } from '@cbme/contracts';
import { coachingRelationshipDecider, learnerCoachingStreamId } from '@cbme/coaching-domain';
import { DomainError } from '@cbme/decider';
import { EVENT_CATALOG, EVENT_STORE, EventStore, executeCommand } from '@cbme/event-sourcing';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DIRECTORY, Directory, RELATIONSHIPS, Relationships } from './coaching.ports';

export class AssignCoachCommand {
  constructor(readonly metadata: EventMetadata, readonly input: { relationshipId: string; learnerId: string; coachId: string }) {}
}

@CommandHandler(AssignCoachCommand)
export class AssignCoachHandler implements ICommandHandler<AssignCoachCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
    @Inject(DIRECTORY) private readonly directory: Directory,
  ) {}

  async execute({ metadata, input }: AssignCoachCommand) {
    const schoolId = metadata.tenant.schoolId;
    const [learnerRoles, coachRoles] = await Promise.all([this.directory.rolesOf(schoolId, input.learnerId), this.directory.rolesOf(schoolId, input.coachId)]);
    const data = { ...input, learnerIsLearnerInSchool: learnerRoles.includes('learner'), coachIsCoachInSchool: coachRoles.includes('coach'), coachLoad: 0, coachCapacity: Number.MAX_SAFE_INTEGER };
    return executeCommand(this.store, this.catalog, coachingRelationshipDecider, learnerCoachingStreamId(schoolId, input.learnerId), { type: 'AssignCoach', data }, metadata);
  }
}

export class ListRelationshipsQuery {
  constructor(readonly viewer: { userId: string; role: Role; schoolId: string }, readonly filter: { coachId?: string; learnerId?: string }) {}
}

/** Leads and admins see the school's relationships; a coach sees their own coachees; a learner sees their own. */
@QueryHandler(ListRelationshipsQuery)
export class ListRelationshipsHandler implements IQueryHandler<ListRelationshipsQuery> {
  constructor(@Inject(RELATIONSHIPS) private readonly relationships: Relationships) {}

  async execute({ viewer, filter }: ListRelationshipsQuery) {
    const scoped =
      viewer.role === 'coaching-lead' || viewer.role === 'school-admin' || viewer.role === 'institution-admin' ? filter
      : viewer.role === 'coach' ? { ...filter, coachId: viewer.userId }
      : viewer.role === 'learner' ? { ...filter, learnerId: viewer.userId }
      : null;
    if (!scoped) throw new DomainError('forbidden', `a ${viewer.role} does not see coaching relationships`);
    if ((filter.coachId && filter.coachId !== scoped.coachId) || (filter.learnerId && filter.learnerId !== scoped.learnerId)) {
      return { schoolId: viewer.schoolId, relationships: [] };
    }
    return { schoolId: viewer.schoolId, relationships: await this.relationships.list(viewer.schoolId, scoped) };
  }
}

export const COACHING_HANDLERS = [AssignCoachHandler, ListRelationshipsHandler];
