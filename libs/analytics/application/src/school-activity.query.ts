import { ActivityRecord, summarizeSchool } from '@cbme/analytics-domain';
import { Role } from '@cbme/contracts';
import { DomainError, notFound } from '@cbme/decider';
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';

export interface ActivityRecords {
  ofSchool(schoolId: string): Promise<ActivityRecord[]>;
}
export const ACTIVITY_RECORDS = Symbol('ACTIVITY_RECORDS');

export class GetSchoolActivityQuery {
  constructor(readonly viewer: { role: Role; schoolId: string }, readonly schoolId: string) {}
}

const SCHOOL_ROLES: Role[] = ['committee-member', 'coaching-lead', 'school-admin'];

/**
 * School totals for committees, leads and admins of that school (an institution admin sees every school).
 * Committee members get no per-coach breakdown.
 */
@QueryHandler(GetSchoolActivityQuery)
export class GetSchoolActivityHandler implements IQueryHandler<GetSchoolActivityQuery> {
  constructor(@Inject(ACTIVITY_RECORDS) private readonly records: ActivityRecords) {}

  async execute({ viewer, schoolId }: GetSchoolActivityQuery) {
    if (viewer.role !== 'institution-admin') {
      if (viewer.schoolId !== schoolId) throw notFound(`no school ${schoolId} among those you may see`);
      if (!SCHOOL_ROLES.includes(viewer.role)) throw new DomainError('forbidden', `a ${viewer.role} does not see school analytics`);
    }
    const activity = summarizeSchool(schoolId, await this.records.ofSchool(schoolId));
    if (viewer.role === 'committee-member') {
      const { learnersPerCoach: _hidden, ...coaching } = activity.coaching;
      return { ...activity, coaching };
    }
    return activity;
  }
}
