import { useQuery } from '@tanstack/react-query';
import { Cohort, EnrollmentStatus, Member, School } from '../api/types';
import { useSignedIn } from '../auth/SessionProvider';

/** the roles a school admin grants (identity's SCHOOL_ROLES) */
export const SCHOOL_ROLES = ['learner', 'coach', 'coaching-lead', 'committee-member', 'school-admin'] as const;

export const membersKey = (schoolId: string) => ['members', schoolId];
export const cohortsKey = (schoolId: string) => ['cohorts', schoolId];
export const schoolsKey = ['schools'];

export function useMembers(schoolId: string, role?: string) {
  const { api } = useSignedIn();
  return useQuery({
    queryKey: [...membersKey(schoolId), role ?? 'all'],
    queryFn: async () => (await api<{ members: Member[] }>('identity', `/schools/${encodeURIComponent(schoolId)}/users`, { query: { role } })).members,
  });
}

export function useCohorts(schoolId: string) {
  const { api } = useSignedIn();
  return useQuery({
    queryKey: cohortsKey(schoolId),
    queryFn: async () => (await api<{ cohorts: Cohort[] }>('identity', `/schools/${encodeURIComponent(schoolId)}/cohorts`)).cohorts,
  });
}

export function useSchools() {
  const { api } = useSignedIn();
  return useQuery({ queryKey: schoolsKey, queryFn: async () => (await api<{ schools: School[] }>('identity', '/schools')).schools });
}

export interface Enrollment {
  cohortId: string;
  status: EnrollmentStatus;
}

/** Where a learner stands in the school: the cohort holding their latest enrollment change (one at a time). */
export function enrollmentOf(cohorts: Cohort[], userId: string): Enrollment | undefined {
  const found = cohorts.flatMap((c) => c.learners.filter((l) => l.userId === userId).map((l) => ({ cohortId: c.cohortId, status: l.status })));
  return found.find((e) => e.status === 'enrolled') ?? found[0];
}

export function describeEnrollment(enrollment: Enrollment | undefined): string {
  if (!enrollment) return 'not enrolled';
  const where = { enrolled: 'enrolled in', withdrawn: 'withdrawn from', graduated: 'graduated from' }[enrollment.status];
  return `${where} ${enrollment.cohortId}`;
}

/** A person matches when every word typed is in their name, e-mail, id or roles (any order, any case). */
export function matchesSearch(member: Member, text: string): boolean {
  const haystack = `${member.displayName} ${member.email} ${member.userId} ${member.roles.join(' ')}`.toLowerCase();
  return text.toLowerCase().split(/\s+/).filter(Boolean).every((word) => haystack.includes(word));
}
