import { EventCatalog, EventMetadata, Role } from '@cbme/contracts';
import { EVENT_CATALOG, EVENT_STORE, EventStore, executeCommand, loadState } from '@cbme/event-sourcing';
import {
  checkRoster, RosterCheck, RosterRow,
  cohortDecider, cohortStreamId, institutionDecider, institutionStreamId, schoolDecider, schoolStreamId, userDecider, userStreamId,
} from '@cbme/identity-domain';
import { invalidState, notFound } from '@cbme/decider';
import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { createHash } from 'node:crypto';

export class CreateInstitutionCommand {
  constructor(readonly metadata: EventMetadata, readonly input: { institutionId: string; name: string }) {}
}
export class CreateSchoolCommand {
  constructor(readonly metadata: EventMetadata, readonly input: { schoolId: string; name: string }) {}
}
export class RegisterUserCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly input: { userId: string; email: string; displayName: string; schoolId: string; role: Role },
    /** kept with the e-mail's claim, never in the event */
    readonly password?: string,
  ) {}
}
export class RevokeRoleCommand {
  constructor(readonly metadata: EventMetadata, readonly input: { userId: string; schoolId: string; role: Role }) {}
}
export class DeactivateUserCommand {
  constructor(readonly metadata: EventMetadata, readonly input: { userId: string; reason: string }) {}
}
export class EraseSubjectCommand {
  constructor(readonly metadata: EventMetadata, readonly input: { userId: string }) {}
}
export class GrantRoleCommand {
  constructor(readonly metadata: EventMetadata, readonly input: { userId: string; schoolId: string; role: Role }) {}
}

export abstract class IdentityHandler {
  constructor(
    @Inject(EVENT_STORE) protected readonly store: EventStore,
    @Inject(EVENT_CATALOG) protected readonly catalog: EventCatalog,
  ) {}

  /** Schools live in this service's own store, so this is no call to anyone. */
  protected async schoolExists(schoolId: string, institutionId: string): Promise<boolean> {
    const { state } = await loadState(this.store, schoolDecider, schoolStreamId(schoolId));
    return state.exists && state.institutionId === institutionId;
  }
}

@CommandHandler(CreateInstitutionCommand)
export class CreateInstitutionHandler extends IdentityHandler implements ICommandHandler<CreateInstitutionCommand> {
  execute({ metadata, input }: CreateInstitutionCommand) {
    return executeCommand(this.store, this.catalog, institutionDecider, institutionStreamId(input.institutionId), { type: 'CreateInstitution', data: input }, metadata, { schoolScoped: false });
  }
}

@CommandHandler(CreateSchoolCommand)
export class CreateSchoolHandler extends IdentityHandler implements ICommandHandler<CreateSchoolCommand> {
  execute({ metadata, input }: CreateSchoolCommand) {
    const data = { ...input, institutionId: metadata.tenant.institutionId };
    const scoped = { ...metadata, tenant: { ...metadata.tenant, schoolId: input.schoolId } };
    return executeCommand(this.store, this.catalog, schoolDecider, schoolStreamId(input.schoolId), { type: 'CreateSchool', data }, scoped);
  }
}

/** One account per e-mail address, claimed atomically before the user is registered. */
export interface EmailReservations {
  isTaken(email: string): Promise<boolean>;
  /**
   * Claims the address for the user; true if it is theirs (a repeated claim by the same user too). A password is
   * stored with a new claim only, before the registration: a registration whose answer was lost, retried, finds its
   * account with the password (one set after the event was lost with a crash in between).
   */
  reserve(email: string, userId: string, password?: string): Promise<boolean>;
  release(email: string, userId: string): Promise<void>;
}
export const EMAIL_RESERVATIONS = Symbol('EMAIL_RESERVATIONS');

@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler extends IdentityHandler implements ICommandHandler<RegisterUserCommand> {
  @Inject(EMAIL_RESERVATIONS) private readonly emails: EmailReservations;

  async execute({ metadata, input, password }: RegisterUserCommand) {
    const schoolExists = await this.schoolExists(input.schoolId, metadata.tenant.institutionId);
    const scoped = { ...metadata, tenant: { ...metadata.tenant, schoolId: input.schoolId } };
    if (!(await this.emails.reserve(input.email, input.userId, password))) throw invalidState(`${input.email.toLowerCase()} already belongs to another account`);
    try {
      return await executeCommand(this.store, this.catalog, userDecider, userStreamId(input.userId), { type: 'RegisterUser', data: { ...input, schoolExists } }, scoped, { schoolScoped: false, readAhead: 1 });
    } catch (error) {
      // the registration did not happen: free the address, unless this user already had it
      const existing = await loadState(this.store, userDecider, userStreamId(input.userId));
      if (!existing.state.registered || existing.state.email !== input.email.toLowerCase()) await this.emails.release(input.email, input.userId);
      throw error;
    }
  }
}

@CommandHandler(GrantRoleCommand)
export class GrantRoleHandler extends IdentityHandler implements ICommandHandler<GrantRoleCommand> {
  async execute({ metadata, input }: GrantRoleCommand) {
    const schoolExists = await this.schoolExists(input.schoolId, metadata.tenant.institutionId);
    const scoped = { ...metadata, tenant: { ...metadata.tenant, schoolId: input.schoolId } };
    return executeCommand(this.store, this.catalog, userDecider, userStreamId(input.userId), { type: 'GrantRole', data: { ...input, schoolExists } }, scoped, { schoolScoped: false });
  }
}

@CommandHandler(RevokeRoleCommand)
export class RevokeRoleHandler extends IdentityHandler implements ICommandHandler<RevokeRoleCommand> {
  execute({ metadata, input }: RevokeRoleCommand) {
    const scoped = { ...metadata, tenant: { ...metadata.tenant, schoolId: input.schoolId } };
    return executeCommand(this.store, this.catalog, userDecider, userStreamId(input.userId), { type: 'RevokeRole', data: input }, scoped, { schoolScoped: false });
  }
}

@CommandHandler(DeactivateUserCommand)
export class DeactivateUserHandler extends IdentityHandler implements ICommandHandler<DeactivateUserCommand> {
  execute({ metadata, input }: DeactivateUserCommand) {
    return executeCommand(this.store, this.catalog, userDecider, userStreamId(input.userId), { type: 'DeactivateUser', data: input }, metadata, { schoolScoped: false });
  }
}

/**
 * Erases a person: `identity.subject-erased` (every service then destroys its data key for them, this one included),
 * and the sign-in by their address goes (the credentials are keyed by it).
 */
@CommandHandler(EraseSubjectCommand)
export class EraseSubjectHandler extends IdentityHandler implements ICommandHandler<EraseSubjectCommand> {
  @Inject(EMAIL_RESERVATIONS) private readonly emails: EmailReservations;

  async execute({ metadata, input }: EraseSubjectCommand) {
    const { state } = await loadState(this.store, userDecider, userStreamId(input.userId));
    const result = await executeCommand(this.store, this.catalog, userDecider, userStreamId(input.userId), { type: 'EraseSubject', data: input }, metadata, { schoolScoped: false });
    if (state.registered) await this.emails.release(state.email, input.userId);
    return result;
  }
}

export class CreateCohortCommand {
  constructor(readonly metadata: EventMetadata, readonly input: { cohortId: string; schoolId: string; program: string; graduationYear: number }) {}
}

/** Enrollment, withdrawal and graduation of a learner in one school. */
export class ChangeEnrollmentCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly input:
      | { change: 'enroll'; userId: string; schoolId: string; cohortId: string }
      | { change: 'withdraw'; userId: string; schoolId: string; reason: string }
      | { change: 'graduate'; userId: string; schoolId: string },
  ) {}
}

@CommandHandler(CreateCohortCommand)
export class CreateCohortHandler extends IdentityHandler implements ICommandHandler<CreateCohortCommand> {
  async execute({ metadata, input }: CreateCohortCommand) {
    const schoolExists = await this.schoolExists(input.schoolId, metadata.tenant.institutionId);
    const scoped = { ...metadata, tenant: { ...metadata.tenant, schoolId: input.schoolId } };
    return executeCommand(this.store, this.catalog, cohortDecider, cohortStreamId(input.schoolId, input.cohortId), { type: 'CreateCohort', data: { ...input, schoolExists } }, scoped);
  }
}

@CommandHandler(ChangeEnrollmentCommand)
export class ChangeEnrollmentHandler extends IdentityHandler implements ICommandHandler<ChangeEnrollmentCommand> {
  async execute({ metadata, input }: ChangeEnrollmentCommand) {
    const scoped = { ...metadata, tenant: { ...metadata.tenant, schoolId: input.schoolId } };
    const stream = userStreamId(input.userId);
    const options = { schoolScoped: false };
    switch (input.change) {
      case 'enroll': {
        const { change: _c, ...data } = input;
        const cohort = await loadState(this.store, cohortDecider, cohortStreamId(input.schoolId, input.cohortId));
        return executeCommand(this.store, this.catalog, userDecider, stream, { type: 'EnrollLearner', data: { ...data, cohortExists: cohort.state.exists } }, scoped, options);
      }
      case 'withdraw': {
        const { change: _c, ...data } = input;
        return executeCommand(this.store, this.catalog, userDecider, stream, { type: 'WithdrawLearner', data }, scoped, options);
      }
      case 'graduate': {
        const { change: _c, ...data } = input;
        return executeCommand(this.store, this.catalog, userDecider, stream, { type: 'GraduateLearner', data }, scoped, options);
      }
    }
  }
}

export class ImportRosterCommand {
  constructor(readonly metadata: EventMetadata, readonly schoolId: string, readonly rows: RosterRow[], readonly validRowsOnly: boolean) {}
}

export type RosterImport = RosterCheck & { imported: number };

/**
 * Bulk onboarding: every row is checked first; nothing is imported from a file with a bad row unless the admin
 * asked for the valid rows only. User ids derive from school and e-mail, so re-sending a file after an
 * interruption finishes the import instead of duplicating anyone.
 */
@CommandHandler(ImportRosterCommand)
export class ImportRosterHandler extends IdentityHandler implements ICommandHandler<ImportRosterCommand> {
  @Inject(EMAIL_RESERVATIONS) private readonly emails: EmailReservations;
  @Inject(CommandBus) private readonly commands: CommandBus;

  async execute({ metadata, schoolId, rows, validRowsOnly }: ImportRosterCommand): Promise<RosterImport> {
    if (!(await this.schoolExists(schoolId, metadata.tenant.institutionId))) throw notFound(`unknown school ${schoolId}`);
    const emails = [...new Set(rows.map((r) => r.email?.trim().toLowerCase()).filter((e): e is string => !!e))];
    const taken = await Promise.all(emails.map(async (email) => ((await this.emails.isTaken(email)) ? email : null)));
    const cohortIds = [...new Set(rows.map((r) => r.cohortId?.trim()).filter((c): c is string => !!c))];
    const cohorts = await Promise.all(cohortIds.map(async (id) => ((await loadState(this.store, cohortDecider, cohortStreamId(schoolId, id))).state.exists ? id : null)));
    const check = checkRoster(rows, { registeredEmails: new Set(taken.filter((e): e is string => !!e)), cohorts: new Set(cohorts.filter((c): c is string => !!c)) });
    if (check.errors.length > 0 && !validRowsOnly) return { ...check, imported: 0 };
    for (const row of check.valid) {
      const userId = `${schoolId}-${createHash('sha256').update(row.email).digest('hex').slice(0, 12)}`;
      await this.commands.execute(new RegisterUserCommand(metadata, { userId, email: row.email, displayName: row.displayName, schoolId, role: row.role }));
      if (row.cohortId) await this.commands.execute(new ChangeEnrollmentCommand(metadata, { change: 'enroll', userId, schoolId, cohortId: row.cohortId }));
    }
    return { ...check, imported: check.valid.length };
  }
}
