import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';

export interface SchoolSummary {
  schoolId: string;
  name: string;
}

export type EnrollmentStatus = 'enrolled' | 'withdrawn' | 'graduated';

export interface CohortSummary {
  cohortId: string;
  program: string;
  graduationYear: number;
  /** each learner ever enrolled in the cohort, with where they stand now */
  learners: { userId: string; status: EnrollmentStatus }[];
}

/** The institution's schools, and a school's cohorts with their learners' enrollment (identity's read model). */
export interface SchoolDirectory {
  schools(): Promise<SchoolSummary[]>;
  cohorts(schoolId: string): Promise<CohortSummary[]>;
}
export const SCHOOL_DIRECTORY = Symbol('SCHOOL_DIRECTORY');

export class ListSchoolsQuery {}

export class ListCohortsQuery {
  constructor(readonly schoolId: string) {}
}

@QueryHandler(ListSchoolsQuery)
export class ListSchoolsHandler implements IQueryHandler<ListSchoolsQuery> {
  constructor(@Inject(SCHOOL_DIRECTORY) private readonly directory: SchoolDirectory) {}

  async execute() {
    return { schools: await this.directory.schools() };
  }
}

@QueryHandler(ListCohortsQuery)
export class ListCohortsHandler implements IQueryHandler<ListCohortsQuery> {
  constructor(@Inject(SCHOOL_DIRECTORY) private readonly directory: SchoolDirectory) {}

  async execute({ schoolId }: ListCohortsQuery) {
    return { schoolId, cohorts: await this.directory.cohorts(schoolId) };
  }
}
