import { AnalyticsFilters, computeSchoolAnalytics, DEFAULT_MINIMUM_GROUP_SIZE, SchoolAnalytics } from '@cbme/analytics-domain';
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ANALYTICS_FACTS, ANALYTICS_SETTINGS, AnalyticsFacts, AnalyticsSettingsReadModel, requireAnalyticsViewer, Viewer } from './analytics.ports';

export class GetSchoolAnalyticsQuery {
  constructor(readonly viewer: Viewer, readonly schoolId: string, readonly filters: AnalyticsFilters, readonly asOf: string) {}
}

/**
 * The de-identified tables of one school. Learner ids stay inside: cells are suppressed below the school's
 * minimum group size; committee members get no per-coach table, and asOf by whole months (see computeSchoolAnalytics).
 */
@QueryHandler(GetSchoolAnalyticsQuery)
export class GetSchoolAnalyticsHandler implements IQueryHandler<GetSchoolAnalyticsQuery> {
  constructor(
    @Inject(ANALYTICS_FACTS) private readonly facts: AnalyticsFacts,
    @Inject(ANALYTICS_SETTINGS) private readonly settings: AnalyticsSettingsReadModel,
  ) {}

  async execute({ viewer, schoolId, filters, asOf }: GetSchoolAnalyticsQuery): Promise<SchoolAnalytics> {
    requireAnalyticsViewer(viewer, schoolId);
    const [facts, minimumGroupSize] = await Promise.all([this.facts.ofSchool(schoolId), this.settings.minimumGroupSize(schoolId)]);
    return computeSchoolAnalytics(schoolId, facts, filters, {
      asOf, minimumGroupSize: minimumGroupSize ?? DEFAULT_MINIMUM_GROUP_SIZE,
      includeCoachDetail: viewer.role !== 'committee-member', committee: viewer.role === 'committee-member',
    });
  }
}
