import {
  ANALYTICS_FACTS, ANALYTICS_SETTINGS, GetAnalyticsSettingsHandler, GetInstitutionAnalyticsHandler, GetSchoolActivityHandler, GetSchoolAnalyticsHandler,
  SetMinimumGroupSizeHandler,
} from '@cbme/analytics-application';
import { analyticsAccepts } from '@cbme/analytics-domain';
import { AnalyticsFactsProjection, AnalyticsSettingsProjection } from '@cbme/analytics-infra';
import { AnalyticsEvents, allPublicEvents, AuditExportEvents, DeadLetterEvents, EventCatalog } from '@cbme/contracts';
import { ResolvedConfig, ServiceRuntimeModule } from '@cbme/service-runtime';
import { DynamicModule, Module } from '@nestjs/common';
import { AnalyticsController, InstitutionAnalyticsController } from './http/analytics.controller';

/** the HTTP surface (its OpenAPI document is checked against these) */
export const ANALYTICS_CONTROLLERS = [AnalyticsController, InstitutionAnalyticsController];

/** Read models over every service's events, and analytics' own settings. Publishes nothing. */
@Module({})
export class AnalyticsModule {
  static register(config: ResolvedConfig): DynamicModule {
    return {
      module: AnalyticsModule,
      imports: [
        ServiceRuntimeModule.forRoot({
          config,
          catalog: new EventCatalog([...allPublicEvents, ...Object.values(AnalyticsEvents), ...Object.values(AuditExportEvents), ...Object.values(DeadLetterEvents)]),
          publication: 'none',
          consumes: { contexts: ['identity', 'coaching', 'feedback'], accepts: analyticsAccepts },
          projections: [{ source: 'inbox', use: AnalyticsFactsProjection }, { source: 'events', use: AnalyticsSettingsProjection }],
        }),
      ],
      controllers: ANALYTICS_CONTROLLERS,
      providers: [
        GetSchoolActivityHandler, GetSchoolAnalyticsHandler, GetInstitutionAnalyticsHandler, GetAnalyticsSettingsHandler, SetMinimumGroupSizeHandler,
        { provide: ANALYTICS_FACTS, useExisting: AnalyticsFactsProjection },
        { provide: ANALYTICS_SETTINGS, useExisting: AnalyticsSettingsProjection },
      ],
    };
  }
}
