import { checkRoster } from './roster';

describe('roster check', () => {
  const facts = { registeredEmails: new Set(['taken@school.edu']), cohorts: new Set(['md-2030']) };

  it('accepts good rows and reports every bad one with its line and all its reasons', () => {
    const result = checkRoster([
      { line: 2, email: 'Ada@School.edu', displayName: 'Ada', role: 'learner', cohortId: 'md-2030' },
      { line: 3, email: 'ben@school.edu', displayName: 'Ben', role: 'coach' },
      { line: 4, email: 'not-an-email', displayName: '', role: 'dean' },
      { line: 5, email: 'ada@school.edu', displayName: 'Ada again', role: 'learner' },
      { line: 6, email: 'taken@school.edu', displayName: 'T', role: 'coach', cohortId: 'md-2030' },
      { line: 7, email: 'cy@school.edu', displayName: 'Cy', role: 'learner', cohortId: 'md-1999' },
    ], facts);
    expect(result.valid).toEqual([
      { line: 2, email: 'ada@school.edu', displayName: 'Ada', role: 'learner', cohortId: 'md-2030' },
      { line: 3, email: 'ben@school.edu', displayName: 'Ben', role: 'coach' },
    ]);
    expect(result.errors).toEqual([
      { line: 4, reasons: ['email "not-an-email" is not an e-mail address', 'displayName is empty', 'role "dean" must be learner or coach'] },
      { line: 5, reasons: ['email ada@school.edu already appears on line 2'] },
      { line: 6, reasons: ['email taken@school.edu already has an account', 'only learners are enrolled in a cohort'] },
      { line: 7, reasons: ['cohort md-1999 does not exist in this school'] },
    ]);
  });
});
