import { DomainError } from '@cbme/decider';
import { CreateInstitutionCommand, RegisterUserCommand } from '@cbme/identity-application';
import { Credentials } from '@cbme/identity-infra';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';

export interface BootstrapSettings {
  institutionId: string;
  institutionName: string;
  adminEmail?: string;
  adminPassword?: string;
}
export const BOOTSTRAP_SETTINGS = Symbol('BOOTSTRAP_SETTINGS');

const alreadyDone = (error: unknown) => {
  if (!(error instanceof DomainError && error.kind === 'invalid-state')) throw error;
};

/**
 * A new deployment needs someone who may create schools: with BOOTSTRAP_ADMIN_EMAIL and
 * BOOTSTRAP_ADMIN_PASSWORD set, identity makes sure the institution and its first admin exist.
 * Idempotent: running it again changes nothing but the password.
 */
@Injectable()
export class IdentityBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('IdentityBootstrap');

  constructor(
    private readonly commands: CommandBus,
    private readonly credentials: Credentials,
    @Inject(BOOTSTRAP_SETTINGS) private readonly settings: BootstrapSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { institutionId, institutionName, adminEmail, adminPassword } = this.settings;
    if (!adminEmail || !adminPassword) return;
    const metadata = {
      occurredAt: new Date().toISOString(), tenant: { institutionId, schoolId: '*' }, actor: { userId: 'system', role: 'system' as const },
      correlationId: randomUUID(), causationId: null,
    };
    await this.commands.execute(new CreateInstitutionCommand(metadata, { institutionId, name: institutionName })).catch(alreadyDone);
    await this.commands
      .execute(new RegisterUserCommand(metadata, { userId: 'institution-admin', email: adminEmail, displayName: 'Institution admin', schoolId: '*', role: 'institution-admin' }))
      .catch(alreadyDone);
    await this.credentials.setPassword(adminEmail, adminPassword);
    this.logger.log(`institution ${institutionId} and its admin ${adminEmail} are in place`);
  }
}
