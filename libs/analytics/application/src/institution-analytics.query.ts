import { COMPARED_TABLES, compareSchools, computeSchoolAnalytics, DEFAULT_MINIMUM_GROUP_SIZE, Granularity, SchoolComparison } from '@cbme/analytics-domain';
import { DomainError } from '@cbme/decider';
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ANALYTICS_FACTS, ANALYTICS_SETTINGS, AnalyticsFacts, AnalyticsSettingsReadModel, Viewer } from './analytics.ports';

export class GetInstitutionAnalyticsQuery {
  constructor(readonly viewer: Viewer, readonly filters: { granularity: Granularity; period?: string }, readonly asOf: string) {}
}

/** Every school's headline figures side by side, for institution admins (each school de-identified by its own k). */
@QueryHandler(GetInstitutionAnalyticsQuery)
export class GetInstitutionAnalyticsHandler implements IQueryHandler<GetInstitutionAnalyticsQuery> {
  constructor(
    @Inject(ANALYTICS_FACTS) private readonly facts: AnalyticsFacts,
    @Inject(ANALYTICS_SETTINGS) private readonly settings: AnalyticsSettingsReadModel,
  ) {}

  async execute({ viewer, filters, asOf }: GetInstitutionAnalyticsQuery): Promise<SchoolComparison> {
    if (viewer.role !== 'institution-admin') throw new DomainError('forbidden', `a ${viewer.role} does not see the institution's schools side by side`);
    const schools = await Promise.all((await this.facts.schools()).map(async (schoolId) => {
      const [facts, minimumGroupSize] = await Promise.all([this.facts.ofSchool(schoolId), this.settings.minimumGroupSize(schoolId)]);
      return computeSchoolAnalytics(schoolId, facts, filters, { asOf, minimumGroupSize: minimumGroupSize ?? DEFAULT_MINIMUM_GROUP_SIZE, tables: COMPARED_TABLES });
    }));
    return compareSchools(schools, asOf, filters);
  }
}
