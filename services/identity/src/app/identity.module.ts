import { allPublicEvents, AuditExportEvents, RetentionEvents, DeadLetterEvents, DisclosureEvents, EventCatalog } from '@cbme/contracts';
import { EMAIL_RESERVATIONS, IDENTITY_HANDLERS, RETENTION_VIEWS, RetentionSweep, SCHOOL_DIRECTORY, SCHOOL_MEMBERS } from '@cbme/identity-application';
import { AUTH_REDIS, AUTH_SETTINGS, AuthService, Credentials, RetentionProjection, SchoolDirectoryProjection, SchoolMembersProjection, SigningKeys, SSO_SETTINGS, SsoService } from '@cbme/identity-infra';
import { LEARNER_STREAMS, REDIS, ResolvedConfig, ServiceRuntimeModule } from '@cbme/service-runtime';
import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { IdentityLearnerStreams } from './audit/identity-learner-streams';
import { AuthController } from './http/auth.controller';
import { IdentityController } from './http/identity.controller';
import { RetentionController } from './http/retention.controller';
import { SsoController } from './http/sso.controller';
import { BOOTSTRAP_SETTINGS, IdentityBootstrap } from './identity-bootstrap';
import { loadIdentitySettings } from './identity-config';
import { RETENTION_QUEUE, RetentionSweepProcessor, RetentionSweepSchedule } from './jobs/retention-sweep';

/** the HTTP surface (its OpenAPI document is checked against these) */
export const IDENTITY_CONTROLLERS = [IdentityController, RetentionController, AuthController, SsoController];

/** Institution, schools, users and their roles; sign-in (local and single sign-on) and the keys tokens are verified with. */
@Module({})
export class IdentityModule {
  static register(config: ResolvedConfig): DynamicModule {
    const settings = loadIdentitySettings(config);
    return {
      module: IdentityModule,
      imports: [
        ServiceRuntimeModule.forRoot({
          config,
          catalog: new EventCatalog([...allPublicEvents, ...Object.values(RetentionEvents), ...Object.values(AuditExportEvents), ...Object.values(DeadLetterEvents), ...Object.values(DisclosureEvents)]),
          projections: [{ source: 'events', use: SchoolMembersProjection }, { source: 'events', use: SchoolDirectoryProjection }, { source: 'events', use: RetentionProjection }],
        }),
        BullModule.registerQueue({ name: RETENTION_QUEUE }),
      ],
      controllers: IDENTITY_CONTROLLERS,
      providers: [
        ...IDENTITY_HANDLERS,
        { provide: LEARNER_STREAMS, useClass: IdentityLearnerStreams },
        { provide: SCHOOL_MEMBERS, useExisting: SchoolMembersProjection },
        { provide: SCHOOL_DIRECTORY, useExisting: SchoolDirectoryProjection },
        { provide: RETENTION_VIEWS, useExisting: RetentionProjection },
        RetentionSweep,
        RetentionSweepProcessor,
        RetentionSweepSchedule,
        {
          provide: SigningKeys,
          inject: [getConnectionToken()],
          useFactory: (connection: Connection) =>
            Object.assign(new SigningKeys(connection), { activationDelaySeconds: settings.keyActivationSeconds, tokenLifetimeSeconds: settings.auth.accessTokenSeconds }),
        },
        Credentials,
        { provide: EMAIL_RESERVATIONS, useExisting: Credentials },
        { provide: AUTH_REDIS, useExisting: REDIS },
        { provide: AUTH_SETTINGS, useValue: settings.auth },
        AuthService,
        { provide: SSO_SETTINGS, useValue: settings.sso },
        SsoService,
        { provide: BOOTSTRAP_SETTINGS, useValue: settings.bootstrap },
        IdentityBootstrap,
      ],
    };
  }
}
