import { AnalyticsFilters, computeSchoolAnalytics, DEFAULT_MINIMUM_GROUP_SIZE, FrameworkVersion, latestFrameworkVersion, SchoolAnalytics } from '@cbme/analytics-domain';
import { notFound, ruleViolated } from '@cbme/decider';
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ANALYTICS_FACTS, ANALYTICS_SETTINGS, AnalyticsFacts, AnalyticsSettingsReadModel, requireAnalyticsViewer, Viewer } from './analytics.ports';

export class GetSchoolAnalyticsQuery {
  constructor(readonly viewer: Viewer, readonly schoolId: string, readonly filters: AnalyticsFilters, readonly asOf: string, readonly frameworkVersion?: FrameworkVersion) {}
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

  async execute({ viewer, schoolId, filters, asOf, frameworkVersion }: GetSchoolAnalyticsQuery): Promise<SchoolAnalytics> {
    requireAnalyticsViewer(viewer, schoolId);
    const [facts, minimumGroupSize] = await Promise.all([this.facts.ofSchool(schoolId), this.settings.minimumGroupSize(schoolId)]);
    if (frameworkVersion) {
      // analytics knows a school's own frameworks from feedback's published events (a moment behind)
      const latest = latestFrameworkVersion(facts, frameworkVersion.frameworkId);
      if (latest === undefined) throw notFound(`no framework ${frameworkVersion.frameworkId} with versions in this school (yet)`);
      if (frameworkVersion.version > latest) throw ruleViolated(`${frameworkVersion.frameworkId} has no version ${frameworkVersion.version} (its latest is ${latest})`, 'frameworkVersion');
    }
    return computeSchoolAnalytics(schoolId, facts, filters, {
      frameworkVersion,
      asOf, minimumGroupSize: minimumGroupSize ?? DEFAULT_MINIMUM_GROUP_SIZE,
      includeCoachDetail: viewer.role !== 'committee-member', committee: viewer.role === 'committee-member',
    });
  }
}
