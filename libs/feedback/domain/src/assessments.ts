import { ASSESSMENT_KINDS, AssessmentImported, AssessmentKind, AssessmentResultRecorded, RATING_SCALE, Role, SelfAssessmentRecorded, SelfRating } from '@cbme/contracts';
import { assertNever, Decider, DomainError, invalidState, ruleViolated } from '@cbme/decider';
import { RowError } from './competency-frameworks';

/** One row of an assessment file as read: every field still text. */
export interface AssessmentRow {
  line: number;
  learnerId?: string;
  competency?: string;
  kind?: string;
  instrument?: string;
  score?: string;
  maxScore?: string;
  assessedOn?: string;
}

export type CheckedResult = Omit<AssessmentResultRecorded, 'resultId' | 'importId'> & { line: number };

export interface AssessmentCheck {
  /** a learner of the school, as identity's events said */
  isKnownLearner(learnerId: string): boolean;
  /** why a code cannot be referenced (unknown, retired), or null when it can */
  competencyProblem(code: string): string | null;
  /** the import's day (YYYY-MM-DD or an instant): nothing is assessed in the future */
  today: string;
}

export const MAX_ASSESSMENT_ROWS = 5000;

/**
 * Checks every row of an assessment file: a known learner, current competencies (several joined by ';'),
 * a kind, an instrument, 0 <= score <= maxScore, a real date not after today. Reports every bad row by line.
 */
export function checkAssessmentRows(rows: AssessmentRow[], check: AssessmentCheck): { results: CheckedResult[]; errors: RowError[] } {
  const results: CheckedResult[] = [];
  const errors: RowError[] = [];
  if (rows.length === 0) return { results, errors: [{ line: 1, reasons: ['the file has no rows'] }] };
  if (rows.length > MAX_ASSESSMENT_ROWS) return { results, errors: [{ line: rows[MAX_ASSESSMENT_ROWS].line, reasons: [`a file holds at most ${MAX_ASSESSMENT_ROWS} rows`] }] };
  for (const row of rows) {
    const reasons: string[] = [];
    const learnerId = row.learnerId?.trim() ?? '';
    if (!learnerId) reasons.push('learnerId is missing');
    else if (!check.isKnownLearner(learnerId)) reasons.push(`${learnerId} is not a learner of this school`);
    const competencies = (row.competency ?? '').split(';').map((c) => c.trim()).filter(Boolean);
    if (competencies.length === 0) reasons.push('competency is missing');
    for (const code of competencies) {
      const problem = check.competencyProblem(code);
      if (problem) reasons.push(problem);
    }
    const kind = row.kind?.trim() ?? '';
    if (!(ASSESSMENT_KINDS as readonly string[]).includes(kind)) reasons.push(`kind must be one of ${ASSESSMENT_KINDS.join(', ')}`);
    const instrument = row.instrument?.trim() ?? '';
    if (!instrument) reasons.push('instrument is missing');
    else if (instrument.length > 200) reasons.push('instrument is longer than 200 characters');
    const score = Number(row.score);
    const maxScore = Number(row.maxScore);
    if (!row.score?.trim() || !Number.isFinite(score) || score < 0) reasons.push('score must be a number >= 0');
    if (!row.maxScore?.trim() || !Number.isFinite(maxScore) || maxScore <= 0) reasons.push('maxScore must be a number > 0');
    else if (Number.isFinite(score) && score > maxScore) reasons.push(`score ${score} is above maxScore ${maxScore}`);
    const assessedOn = row.assessedOn?.trim() ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(assessedOn) || Number.isNaN(Date.parse(assessedOn)) || new Date(assessedOn).toISOString().slice(0, 10) !== assessedOn) {
      reasons.push('assessedOn must be a date YYYY-MM-DD');
    } else if (assessedOn > check.today.slice(0, 10)) reasons.push(`assessedOn ${assessedOn} is in the future`);
    if (reasons.length > 0) errors.push({ line: row.line, reasons });
    else results.push({ line: row.line, learnerId, competencies, kind: kind as AssessmentKind, instrument, score, maxScore, assessedOn });
  }
  return { results, errors };
}

export type AssessmentImportEvent =
  | { type: 'feedback.assessment-imported'; data: AssessmentImported }
  | { type: 'feedback.assessment-result-recorded'; data: AssessmentResultRecorded };

/** The rows were checked by `checkAssessmentRows`; an import with any bad row is refused whole. */
export type AssessmentImportCommand = {
  type: 'ImportAssessmentResults';
  data: { importId: string; fileName?: string; results: CheckedResult[]; errors: RowError[]; role: Role };
};

export type AssessmentImportState = { imported: boolean };

/** `<importId>.<line>`: the result says which import stream holds it. */
export const resultIdOf = (importId: string, line: number) => `${importId}.${line}`;

function decideImport(command: AssessmentImportCommand, state: AssessmentImportState): AssessmentImportEvent[] {
  switch (command.type) {
    case 'ImportAssessmentResults': {
      const { importId, fileName, results, errors, role } = command.data;
      if (role !== 'school-admin' && role !== 'institution-admin') throw new DomainError('forbidden', 'only a school admin imports assessment results');
      if (state.imported) throw invalidState(`import ${importId} was already made`);
      if (errors.length > 0) throw ruleViolated(`${errors.length} rows are invalid; nothing was imported`);
      if (results.length === 0) throw ruleViolated('the file has no rows');
      return [
        { type: 'feedback.assessment-imported', data: { importId, rows: results.length, ...(fileName ? { fileName } : {}) } },
        ...results.map(({ line, ...result }): AssessmentImportEvent => ({
          type: 'feedback.assessment-result-recorded', data: { resultId: resultIdOf(importId, line), importId, ...result },
        })),
      ];
    }
    default:
      return assertNever(command.type);
  }
}

export const assessmentImportDecider: Decider<AssessmentImportCommand, AssessmentImportEvent, AssessmentImportState> = {
  decide: decideImport,
  evolve: (state, event) => (event.type === 'feedback.assessment-imported' ? { imported: true } : state),
  initialState: { imported: false },
};

export type SelfAssessmentEvent = { type: 'feedback.self-assessment-recorded'; data: SelfAssessmentRecorded };
export type SelfAssessmentCommand = { type: 'RecordSelfAssessment'; data: SelfAssessmentRecorded & { recordedBy: string } };

/** A learner rates themselves; each self-assessment is a new event in the learner's stream, none replaces another. */
export const selfAssessmentDecider: Decider<SelfAssessmentCommand, SelfAssessmentEvent, { count: number }> = {
  decide(command) {
    const { recordedBy, ...assessment } = command.data;
    if (recordedBy !== assessment.learnerId) throw new DomainError('forbidden', 'a learner assesses only themselves');
    if (assessment.ratings.length === 0) throw ruleViolated('a self-assessment rates at least one competency');
    const twice = assessment.ratings.map((r: SelfRating) => r.competency).filter((c, i, all) => all.indexOf(c) !== i);
    if (twice.length > 0) throw ruleViolated(`rated twice: ${[...new Set(twice)].join(', ')}`);
    const outOfScale = assessment.ratings.filter((r) => !Number.isInteger(r.level) || r.level < RATING_SCALE.min || r.level > RATING_SCALE.max);
    if (outOfScale.length > 0) throw ruleViolated(`levels go from ${RATING_SCALE.min} (novice) to ${RATING_SCALE.max} (expert)`);
    return [{ type: 'feedback.self-assessment-recorded', data: assessment }];
  },
  evolve: (state) => ({ count: state.count + 1 }),
  initialState: { count: 0 },
};

export const assessmentImportStreamId = (importId: string) => `feedback-assessment-import-${importId}`;
export const selfAssessmentStreamId = (schoolId: string, learnerId: string) => `feedback-self-assessments-${schoolId}-${learnerId}`;
