import { DEFAULT_MINIMUM_GROUP_SIZE, summarizeSchool, summarizeSchoolForCommittee } from '@cbme/analytics-domain';
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ANALYTICS_FACTS, ANALYTICS_SETTINGS, AnalyticsFacts, AnalyticsSettingsReadModel, requireAnalyticsViewer, Viewer } from './analytics.ports';

export class GetSchoolActivityQuery {
  constructor(readonly viewer: Viewer, readonly schoolId: string, readonly asOf: string) {}
}

/**
 * School totals for committees, leads and admins of that school (an institution admin sees every school).
 * Committee members get them de-identified like the analytics tables (null where those suppress), and no per-coach breakdown.
 */
@QueryHandler(GetSchoolActivityQuery)
export class GetSchoolActivityHandler implements IQueryHandler<GetSchoolActivityQuery> {
  constructor(
    @Inject(ANALYTICS_FACTS) private readonly facts: AnalyticsFacts,
    @Inject(ANALYTICS_SETTINGS) private readonly settings: AnalyticsSettingsReadModel,
  ) {}

  async execute({ viewer, schoolId, asOf }: GetSchoolActivityQuery) {
    requireAnalyticsViewer(viewer, schoolId);
    if (viewer.role === 'committee-member') {
      const [facts, minimumGroupSize] = await Promise.all([this.facts.ofSchool(schoolId), this.settings.minimumGroupSize(schoolId)]);
      return summarizeSchoolForCommittee(schoolId, facts, { asOf, minimumGroupSize: minimumGroupSize ?? DEFAULT_MINIMUM_GROUP_SIZE });
    }
    return summarizeSchool(schoolId, await this.facts.ofSchool(schoolId));
  }
}
