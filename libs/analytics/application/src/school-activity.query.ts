import { summarizeSchool } from '@cbme/analytics-domain';
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ANALYTICS_FACTS, AnalyticsFacts, requireAnalyticsViewer, Viewer } from './analytics.ports';

export class GetSchoolActivityQuery {
  constructor(readonly viewer: Viewer, readonly schoolId: string) {}
}

/**
 * School totals for committees, leads and admins of that school (an institution admin sees every school).
 * Committee members get no per-coach breakdown.
 */
@QueryHandler(GetSchoolActivityQuery)
export class GetSchoolActivityHandler implements IQueryHandler<GetSchoolActivityQuery> {
  constructor(@Inject(ANALYTICS_FACTS) private readonly facts: AnalyticsFacts) {}

  async execute({ viewer, schoolId }: GetSchoolActivityQuery) {
    requireAnalyticsViewer(viewer, schoolId);
    const activity = summarizeSchool(schoolId, await this.facts.ofSchool(schoolId));
    if (viewer.role === 'committee-member') {
      const { learnersPerCoach: _hidden, ...coaching } = activity.coaching;
      return { ...activity, coaching };
    }
    return activity;
  }
}
