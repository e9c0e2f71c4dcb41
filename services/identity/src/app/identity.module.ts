import { publicCatalog } from '@cbme/contracts';
import { IDENTITY_HANDLERS, SCHOOL_MEMBERS } from '@cbme/identity-application';
import { SchoolMembersProjection } from '@cbme/identity-infra';
import { ResolvedConfig, ServiceRuntimeModule } from '@cbme/service-runtime';
import { DynamicModule, Module } from '@nestjs/common';
import { IdentityController } from './http/identity.controller';

/** Institution, schools, users and their roles. Publishes; consumes nothing. */
@Module({})
export class IdentityModule {
  static register(config: ResolvedConfig): DynamicModule {
    return {
      module: IdentityModule,
      imports: [
        ServiceRuntimeModule.forRoot({
          config,
          catalog: publicCatalog(),
          projections: [{ source: 'events', use: SchoolMembersProjection }],
        }),
      ],
      controllers: [IdentityController],
      providers: [...IDENTITY_HANDLERS, { provide: SCHOOL_MEMBERS, useExisting: SchoolMembersProjection }],
    };
  }
}
