import { allPublicEvents, AuditExportEvents, DeadLetterEvents, EventCatalog } from '@cbme/contracts';
import { EMAIL_RESERVATIONS, IDENTITY_HANDLERS, SCHOOL_DIRECTORY, SCHOOL_MEMBERS } from '@cbme/identity-application';
import { AUTH_REDIS, AUTH_SETTINGS, AuthService, Credentials, SchoolDirectoryProjection, SchoolMembersProjection, SigningKeys, SSO_SETTINGS, SsoService } from '@cbme/identity-infra';
import { LEARNER_STREAMS, REDIS, ResolvedConfig, ServiceRuntimeModule } from '@cbme/service-runtime';
import { DynamicModule, Module } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { IdentityLearnerStreams } from './audit/identity-learner-streams';
import { AuthController } from './http/auth.controller';
import { IdentityController } from './http/identity.controller';
import { SsoController } from './http/sso.controller';
import { BOOTSTRAP_SETTINGS, IdentityBootstrap } from './identity-bootstrap';
import { loadIdentitySettings } from './identity-config';

/** the HTTP surface (its OpenAPI document is checked against these) */
export const IDENTITY_CONTROLLERS = [IdentityController, AuthController, SsoController];

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
          catalog: new EventCatalog([...allPublicEvents, ...Object.values(AuditExportEvents), ...Object.values(DeadLetterEvents)]),
          projections: [{ source: 'events', use: SchoolMembersProjection }, { source: 'events', use: SchoolDirectoryProjection }],
        }),
      ],
      controllers: IDENTITY_CONTROLLERS,
      providers: [
        ...IDENTITY_HANDLERS,
        { provide: LEARNER_STREAMS, useClass: IdentityLearnerStreams },
        { provide: SCHOOL_MEMBERS, useExisting: SchoolMembersProjection },
        { provide: SCHOOL_DIRECTORY, useExisting: SchoolDirectoryProjection },
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
