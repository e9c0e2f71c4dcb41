import { COACHING_HANDLERS, DIRECTORY, RELATIONSHIPS } from '@cbme/coaching-application';
import { DirectoryProjection, RelationshipsProjection } from '@cbme/coaching-infra';
import { publicCatalog } from '@cbme/contracts';
import { ResolvedConfig, ServiceRuntimeModule } from '@cbme/service-runtime';
import { DynamicModule, Module } from '@nestjs/common';
import { CoachingController } from './http/coaching.controller';

/** Coaching relationships. Learns people and roles from identity's events. */
@Module({})
export class CoachingModule {
  static register(config: ResolvedConfig): DynamicModule {
    return {
      module: CoachingModule,
      imports: [
        ServiceRuntimeModule.forRoot({
          config,
          catalog: publicCatalog(),
          consumes: { contexts: ['identity'], accepts: (type) => type === 'identity.role-granted' || type === 'identity.role-revoked' },
          projections: [
            { source: 'inbox', use: DirectoryProjection },
            { source: 'events', use: RelationshipsProjection },
          ],
        }),
      ],
      controllers: [CoachingController],
      providers: [
        ...COACHING_HANDLERS,
        { provide: DIRECTORY, useExisting: DirectoryProjection },
        { provide: RELATIONSHIPS, useExisting: RelationshipsProjection },
      ],
    };
  }
}
