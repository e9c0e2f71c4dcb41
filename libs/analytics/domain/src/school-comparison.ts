import { Granularity } from './periods';
import { AnalyticsTable, Cell, SchoolAnalytics } from './school-analytics';

/**
 * Institution admins compare their schools side by side. Each row is one school's "all cohorts" figures exactly as
 * that school's own tables show them, suppressed by that school's own minimum group size. There is no institution
 * total row: with one school's figure suppressed, the total would give it away.
 */
export interface SchoolComparison {
  asOf: string;
  filters: { granularity: Granularity; period?: string };
  schools: string[];
  table: AnalyticsTable;
}

const COMPARED: { table: string; column: string; label: string }[] = [
  { table: 'dialogues', column: 'learners', label: 'Learners' },
  { table: 'dialogues', column: 'perLearner', label: 'Dialogues per learner' },
  { table: 'dialogues', column: 'shareClosed', label: 'Dialogues closed (%)' },
  { table: 'dialogues', column: 'medianHoursToFirstResponse', label: 'Median hours to first response' },
  { table: 'goals', column: 'set', label: 'Goals set' },
  { table: 'goals', column: 'achieved', label: 'Goals achieved' },
  { table: 'goals', column: 'medianDaysToAchievement', label: 'Median days to achievement' },
  { table: 'coaching', column: 'withCoach', label: 'Learners with a coach' },
  { table: 'coaching', column: 'shareHeld', label: 'Meetings held vs expected (%)' },
  { table: 'coaching', column: 'behindCadence', label: 'Relationships behind cadence' },
];

/** the tables a comparison reads: a school's analytics need no others computed for it */
export const COMPARED_TABLES = [...new Set(COMPARED.map((c) => c.table))];

const ABSENT: Cell = { value: null, suppressed: false };

/** A column's figure in a table's total row, as published (absent when the table or column is not there). */
export function totalOf(school: SchoolAnalytics, tableId: string, columnId: string): Cell {
  const table = school.tables.find((t) => t.id === tableId);
  const column = table?.columns.findIndex((c) => c.id === columnId) ?? -1;
  const total = table?.rows.find((r) => r.total);
  return column < 0 || !total ? ABSENT : total.cells[column];
}

/** One row per school (in the order given), from each school's already de-identified analytics. */
export function compareSchools(schools: SchoolAnalytics[], asOf: string, filters: SchoolComparison['filters']): SchoolComparison {
  return {
    asOf,
    filters,
    schools: schools.map((s) => s.schoolId),
    table: {
      id: 'schools',
      title: 'Schools compared',
      rowHeader: 'School',
      columns: COMPARED.map(({ table, column, label }) => ({ id: `${table}.${column}`, label })),
      rows: schools.map((school) => ({
        id: school.schoolId,
        label: `${school.schoolId} (k = ${school.minimumGroupSize})`,
        cells: COMPARED.map(({ table, column }) => totalOf(school, table, column)),
      })),
      note: 'Each school\'s figures for all its cohorts, suppressed by its own minimum group size k. Coaching figures are as of now, whatever the period.',
    },
  };
}
