import { Role } from '@cbme/contracts';

/** One row of a roster file as read, with its line number in the file (the header is line 1). */
export interface RosterRow {
  line: number;
  email?: string;
  displayName?: string;
  role?: string;
  cohortId?: string;
}

export interface RosterFacts {
  /** e-mail addresses that already have an account */
  registeredEmails: Set<string>;
  /** cohorts of this school */
  cohorts: Set<string>;
}

export interface ValidRosterRow {
  line: number;
  email: string;
  displayName: string;
  role: Extract<Role, 'learner' | 'coach'>;
  cohortId?: string;
}

export interface RosterCheck {
  valid: ValidRosterRow[];
  errors: { line: number; reasons: string[] }[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ROSTER_ROLES = ['learner', 'coach'];

/** Checks every row of a roster and says, per line, everything that is wrong with it. */
export function checkRoster(rows: RosterRow[], facts: RosterFacts): RosterCheck {
  const seen = new Map<string, number>();
  const result: RosterCheck = { valid: [], errors: [] };
  for (const row of rows) {
    const reasons: string[] = [];
    const email = row.email?.trim().toLowerCase() ?? '';
    const displayName = row.displayName?.trim() ?? '';
    const role = row.role?.trim() ?? '';
    const cohortId = row.cohortId?.trim() || undefined;
    if (!EMAIL.test(email)) reasons.push(`email "${row.email ?? ''}" is not an e-mail address`);
    else if (seen.has(email)) reasons.push(`email ${email} already appears on line ${seen.get(email)}`);
    else if (facts.registeredEmails.has(email)) reasons.push(`email ${email} already has an account`);
    if (!displayName) reasons.push('displayName is empty');
    else if (displayName.length > 200) reasons.push('displayName is longer than 200 characters');
    if (!ROSTER_ROLES.includes(role)) reasons.push(`role "${role}" must be learner or coach`);
    if (cohortId && role !== 'learner') reasons.push('only learners are enrolled in a cohort');
    if (cohortId && !facts.cohorts.has(cohortId)) reasons.push(`cohort ${cohortId} does not exist in this school`);
    if (email && !seen.has(email)) seen.set(email, row.line);
    if (reasons.length > 0) result.errors.push({ line: row.line, reasons });
    else result.valid.push({ line: row.line, email, displayName, role: role as ValidRosterRow['role'], ...(cohortId ? { cohortId } : {}) });
  }
  return result;
}
