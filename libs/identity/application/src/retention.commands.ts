import { EventMetadata } from '@cbme/contracts';
import { DomainError, notFound } from '@cbme/decider';
import { executeCommand, loadState } from '@cbme/event-sourcing';
import {
  dueOn, erasureProposalDecider, erasureProposalStreamId, ProposalStatus, retentionPolicyDecider, retentionPolicyStreamId, schoolDecider, schoolStreamId, standingIn, userStreamId,
} from '@cbme/identity-domain';
import { Inject, Injectable } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { IdentityHandler } from './identity.commands';
import { SCHOOL_DIRECTORY, SchoolDirectory } from './school-directory.port';

export interface RetentionProposal {
  userId: string;
  /** null once erased, or when identity never had it */
  name: string | null;
  leftAt: string;
  dueOn: string;
  policyYears: number;
  status: ProposalStatus;
  proposedAt: string;
  dismissal?: { reason: string; keepUntil?: string; at: string };
}

export interface SchoolRetention {
  schoolId: string;
  policy: { yearsAfterLeaving: number; reason: string; setAt: string } | null;
  proposals: RetentionProposal[];
}

/** A school's policy, its proposals and who left it when (identity's read model, one document a school). */
export interface RetentionViews {
  retention(schoolId: string): Promise<SchoolRetention & { leavers: { userId: string; leftAt: string }[] }>;
}
export const RETENTION_VIEWS = Symbol('RETENTION_VIEWS');

export class SetRetentionPolicyCommand {
  constructor(readonly metadata: EventMetadata, readonly input: { schoolId: string; yearsAfterLeaving: number; reason: string }) {}
}
export class ProposeErasureCommand {
  constructor(readonly metadata: EventMetadata, readonly input: { schoolId: string; userId: string; asOf: string }) {}
}
export class DismissErasureProposalCommand {
  constructor(readonly metadata: EventMetadata, readonly input: { schoolId: string; userId: string; reason: string; keepUntil?: string }) {}
}
export class GetRetentionQuery {
  constructor(readonly schoolId: string) {}
}

/** the calendar date (UTC) of an instant */
export const calendarDate = (instant: string) => instant.slice(0, 10);

/** A retention stream belongs to its school. */
const inSchool = (metadata: EventMetadata, schoolId: string): EventMetadata => ({ ...metadata, tenant: { ...metadata.tenant, schoolId } });

abstract class RetentionHandler extends IdentityHandler {
  protected async standing(schoolId: string, userId: string) {
    return standingIn(schoolId, await this.store.readStream(userStreamId(userId)));
  }
}

@CommandHandler(SetRetentionPolicyCommand)
export class SetRetentionPolicyHandler extends RetentionHandler implements ICommandHandler<SetRetentionPolicyCommand> {
  async execute({ metadata, input }: SetRetentionPolicyCommand) {
    const schoolExists = await this.schoolExists(input.schoolId, metadata.tenant.institutionId);
    const command = { type: 'SetRetentionPolicy' as const, data: { ...input, byRole: metadata.actor.role, schoolExists } };
    return executeCommand(this.store, this.catalog, retentionPolicyDecider, retentionPolicyStreamId(input.schoolId), command, inSchool(metadata, input.schoolId));
  }
}

/**
 * Proposes one learner's erasure as of a date, judged on the write model (the school's policy, the learner's user
 * stream). A proposal stream per school and learner, appended at the version read: of two sweeps at once one
 * appends, the other re-decides on what it wrote and is refused ("already proposed").
 */
@CommandHandler(ProposeErasureCommand)
export class ProposeErasureHandler extends RetentionHandler implements ICommandHandler<ProposeErasureCommand> {
  async execute({ metadata, input }: ProposeErasureCommand) {
    const { schoolId, userId, asOf } = input;
    const [{ state: policy }, learner] = await Promise.all([loadState(this.store, retentionPolicyDecider, retentionPolicyStreamId(schoolId)), this.standing(schoolId, userId)]);
    const command = { type: 'ProposeErasure' as const, data: { userId, schoolId, asOf, byRole: metadata.actor.role, policyYears: policy.policy?.yearsAfterLeaving ?? null, learner } };
    return executeCommand(this.store, this.catalog, erasureProposalDecider, erasureProposalStreamId(schoolId, userId), command, inSchool(metadata, schoolId));
  }
}

@CommandHandler(DismissErasureProposalCommand)
export class DismissErasureProposalHandler extends RetentionHandler implements ICommandHandler<DismissErasureProposalCommand> {
  async execute({ metadata, input }: DismissErasureProposalCommand) {
    const { erased } = await this.standing(input.schoolId, input.userId);
    const command = { type: 'DismissErasureProposal' as const, data: { ...input, asOf: calendarDate(metadata.occurredAt), byRole: metadata.actor.role, erased } };
    return executeCommand(this.store, this.catalog, erasureProposalDecider, erasureProposalStreamId(input.schoolId, input.userId), command, inSchool(metadata, input.schoolId));
  }
}

@QueryHandler(GetRetentionQuery)
export class GetRetentionHandler extends RetentionHandler implements IQueryHandler<GetRetentionQuery> {
  @Inject(RETENTION_VIEWS) private readonly views: RetentionViews;

  async execute({ schoolId }: GetRetentionQuery): Promise<SchoolRetention> {
    const { state } = await loadState(this.store, schoolDecider, schoolStreamId(schoolId));
    if (!state.exists) throw notFound(`unknown school ${schoolId}`);
    const { leavers: _l, ...retention } = await this.views.retention(schoolId);
    return retention;
  }
}

export interface SweepResult {
  asOf: string;
  proposed: { schoolId: string; userId: string; dueOn: string }[];
}

/**
 * The retention sweep: in each school with a policy (or the one asked), proposes the erasure of every learner whose
 * retention is over as of `asOf`. The read model only narrows down whom to ask about; each proposal is decided on
 * the write model, so running it twice, or on two instances at once, proposes nothing new.
 */
@Injectable()
export class RetentionSweep {
  constructor(
    private readonly commands: CommandBus,
    @Inject(RETENTION_VIEWS) private readonly views: RetentionViews,
    @Inject(SCHOOL_DIRECTORY) private readonly directory: SchoolDirectory,
  ) {}

  async run(metadata: EventMetadata, asOf: string, schoolId?: string): Promise<SweepResult> {
    const schoolIds = schoolId ? [schoolId] : (await this.directory.schools()).map((s) => s.schoolId);
    const proposed: SweepResult['proposed'] = [];
    for (const id of schoolIds) {
      const { policy, proposals, leavers } = await this.views.retention(id);
      if (!policy) continue;
      const pending = new Set(proposals.filter((p) => p.status !== 'dismissed').map((p) => p.userId));
      for (const { userId, leftAt } of leavers) {
        if (pending.has(userId) || dueOn(leftAt, policy.yearsAfterLeaving) > asOf) continue;
        try {
          const { events } = await this.commands.execute(new ProposeErasureCommand(metadata, { schoolId: id, userId, asOf }));
          for (const e of events as { data: { dueOn: string } }[]) proposed.push({ schoolId: id, userId, dueOn: e.data.dueOn });
        } catch (error) {
          // not (or no longer) due, kept, erased meanwhile, or another sweep was first: nothing to propose
          if (!(error instanceof DomainError && error.kind === 'invalid-state')) throw error;
        }
      }
    }
    return { asOf, proposed };
  }
}

export const RETENTION_HANDLERS = [SetRetentionPolicyHandler, ProposeErasureHandler, DismissErasureProposalHandler, GetRetentionHandler];
