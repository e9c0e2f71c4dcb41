import { Fact } from '@cbme/analytics-domain';
import { Role } from '@cbme/contracts';
import { DomainError, notFound } from '@cbme/decider';

/** The fact records of one school (live generation). */
export interface AnalyticsFacts {
  ofSchool(schoolId: string): Promise<Fact[]>;
  /** the schools with any facts, sorted */
  schools(): Promise<string[]>;
}
export const ANALYTICS_FACTS = Symbol('ANALYTICS_FACTS');

/** Per-school settings as projected from analytics' own events. */
export interface AnalyticsSettingsReadModel {
  minimumGroupSize(schoolId: string): Promise<number | null>;
}
export const ANALYTICS_SETTINGS = Symbol('ANALYTICS_SETTINGS');

export interface Viewer {
  role: Role;
  schoolId: string;
}

const SCHOOL_ROLES: Role[] = ['committee-member', 'coaching-lead', 'school-admin'];

/** Committee members, coaching leads and admins of that school see its analytics; an institution admin sees every school's. */
export function requireAnalyticsViewer(viewer: Viewer, schoolId: string, roles: Role[] = SCHOOL_ROLES): void {
  if (viewer.role === 'institution-admin') return;
  if (viewer.schoolId !== schoolId) throw notFound(`no school ${schoolId} among those you may see`);
  if (!roles.includes(viewer.role)) throw new DomainError('forbidden', `a ${viewer.role} does not see or manage school analytics`);
}
