import { describe, expect, it } from 'vitest';
import { describeEnrollment, enrollmentOf, matchesSearch } from './school-data';

const cohorts = [
  { cohortId: 'c2027', program: 'MD', graduationYear: 2027, learners: [{ userId: 'lena', status: 'withdrawn' as const }, { userId: 'omar', status: 'graduated' as const }] },
  { cohortId: 'c2028', program: 'MD', graduationYear: 2028, learners: [{ userId: 'lena', status: 'enrolled' as const }] },
];

describe('a learner\'s enrollment from the cohort list', () => {
  it('is the cohort they are enrolled in, even after a withdrawal from an earlier one', () => {
    expect(enrollmentOf(cohorts, 'lena')).toEqual({ cohortId: 'c2028', status: 'enrolled' });
    expect(describeEnrollment(enrollmentOf(cohorts, 'lena'))).toBe('enrolled in c2028');
  });
  it('is the last cohort left when not enrolled now, and nothing for someone never enrolled', () => {
    expect(describeEnrollment(enrollmentOf(cohorts, 'omar'))).toBe('graduated from c2027');
    expect(enrollmentOf(cohorts, 'nobody')).toBeUndefined();
    expect(describeEnrollment(undefined)).toBe('not enrolled');
  });
});

describe('the learner search', () => {
  const lena = { userId: 'lena', email: 'lena@inst.edu', displayName: 'Lena Learner', deactivated: false, roles: ['learner'] };
  it('matches every word typed in name, e-mail, id or roles, in any case and order', () => {
    expect(matchesSearch(lena, 'learner LENA')).toBe(true);
    expect(matchesSearch(lena, 'inst.edu')).toBe(true);
    expect(matchesSearch(lena, '')).toBe(true);
    expect(matchesSearch(lena, 'lena coach')).toBe(false);
  });
});
