import { publicCatalog } from '@cbme/contracts';
import { EMAIL_RESERVATIONS, IDENTITY_HANDLERS, SCHOOL_MEMBERS } from '@cbme/identity-application';
import { AUTH_REDIS, AUTH_SETTINGS, AuthService, Credentials, SchoolMembersProjection, SigningKeys } from '@cbme/identity-infra';
import { REDIS, ResolvedConfig, ServiceRuntimeModule } from '@cbme/service-runtime';
import { DynamicModule, Module } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { AuthController } from './http/auth.controller';
import { IdentityController } from './http/identity.controller';
import { BOOTSTRAP_SETTINGS, BootstrapSettings, IdentityBootstrap } from './identity-bootstrap';

const seconds = (name: string, fallback: number, minimum = 10) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < minimum) throw new Error(`identity: invalid configuration: ${name} must be a whole number of seconds >= ${minimum}`);
  return value;
};

/** Institution, schools, users and their roles; sign-in and the keys tokens are verified with. */
@Module({})
export class IdentityModule {
  static register(config: ResolvedConfig): DynamicModule {
    const bootstrap: BootstrapSettings = {
      institutionId: config.institutionId,
      institutionName: process.env['INSTITUTION_NAME'] ?? 'Demo University',
      adminEmail: process.env['BOOTSTRAP_ADMIN_EMAIL'],
      adminPassword: process.env['BOOTSTRAP_ADMIN_PASSWORD'],
    };
    return {
      module: IdentityModule,
      imports: [
        ServiceRuntimeModule.forRoot({
          config,
          catalog: publicCatalog(),
          projections: [{ source: 'events', use: SchoolMembersProjection }],
        }),
      ],
      controllers: [IdentityController, AuthController],
      providers: [
        ...IDENTITY_HANDLERS,
        { provide: SCHOOL_MEMBERS, useExisting: SchoolMembersProjection },
        {
          provide: SigningKeys,
          inject: [getConnectionToken()],
          useFactory: (connection: Connection) => Object.assign(new SigningKeys(connection), { activationDelaySeconds: seconds('KEY_ACTIVATION_SECONDS', 10, 0) }),
        },
        Credentials,
        { provide: EMAIL_RESERVATIONS, useExisting: Credentials },
        { provide: AUTH_REDIS, useExisting: REDIS },
        {
          provide: AUTH_SETTINGS,
          useValue: {
            issuer: config.auth.issuer, audience: config.auth.audience, institutionId: config.institutionId, namespace: config.namespace,
            accessTokenSeconds: seconds('ACCESS_TOKEN_SECONDS', 900), refreshTokenSeconds: seconds('REFRESH_TOKEN_SECONDS', 12 * 3600),
          },
        },
        AuthService,
        { provide: BOOTSTRAP_SETTINGS, useValue: bootstrap },
        IdentityBootstrap,
      ],
    };
  }
}
