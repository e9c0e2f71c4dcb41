import { ACTIVITY_RECORDS, GetSchoolActivityHandler } from '@cbme/analytics-application';
import { ANALYTICS_EVENT_TYPES } from '@cbme/analytics-domain';
import { ActivityRecordsProjection } from '@cbme/analytics-infra';
import { publicCatalog } from '@cbme/contracts';
import { ResolvedConfig, ServiceRuntimeModule } from '@cbme/service-runtime';
import { DynamicModule, Module } from '@nestjs/common';
import { AnalyticsController } from './http/analytics.controller';

/** Read models over every service's events. Publishes nothing. */
@Module({})
export class AnalyticsModule {
  static register(config: ResolvedConfig): DynamicModule {
    return {
      module: AnalyticsModule,
      imports: [
        ServiceRuntimeModule.forRoot({
          config,
          catalog: publicCatalog(),
          publication: 'none',
          consumes: { contexts: ['identity', 'coaching', 'feedback'], accepts: (type) => ANALYTICS_EVENT_TYPES.includes(type) },
          projections: [{ source: 'inbox', use: ActivityRecordsProjection }],
        }),
      ],
      controllers: [AnalyticsController],
      providers: [GetSchoolActivityHandler, { provide: ACTIVITY_RECORDS, useExisting: ActivityRecordsProjection }],
    };
  }
}
