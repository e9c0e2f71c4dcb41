/** What the analytics service answers (see libs/analytics/domain/src/school-analytics.ts). */
export interface Cell {
  value: number | null;
  suppressed: boolean;
}
export interface AnalyticsTable {
  id: string;
  title: string;
  rowHeader: string;
  columns: { id: string; label: string }[];
  rows: { id: string; label: string; total?: boolean; cells: Cell[] }[];
  note?: string;
}
export interface SchoolAnalytics {
  /** the framework version competencies were read under, when one was asked for */
  frameworkVersion?: { frameworkId: string; version: number; unmapped: string[] };
  schoolId: string;
  asOf: string;
  minimumGroupSize: number;
  cohorts: { cohortId: string; program: string; graduationYear: number }[];
  competencies: string[];
  periods: string[];
  tables: AnalyticsTable[];
}
/** Institution admins: every school's all-cohort figures side by side. */
export interface SchoolComparison {
  asOf: string;
  schools: string[];
  table: AnalyticsTable;
}
export type Granularity = 'week' | 'month' | 'term';
export interface Filters {
  granularity: Granularity;
  cohortId?: string;
  competency?: string;
  period?: string;
  /** an ISO instant: the figures as they stood then */
  asOf?: string;
}

/** A table as CSV: header, one line per row; a suppressed cell reads "suppressed". */
export function toCsv(table: AnalyticsTable): string {
  const quote = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const lines = [[table.rowHeader, ...table.columns.map((c) => c.label)]];
  for (const row of table.rows) lines.push([row.label, ...row.cells.map((c) => (c.suppressed ? 'suppressed' : c.value === null ? '' : String(c.value)))]);
  return lines.map((line) => line.map(quote).join(',')).join('\n') + '\n';
}

export function downloadCsv(table: AnalyticsTable, schoolId: string): void {
  const url = URL.createObjectURL(new Blob([toCsv(table)], { type: 'text/csv' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: `${schoolId}-${table.id}.csv` });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A readable value of one cell, or null when it is suppressed or missing. */
export function valueOf(table: AnalyticsTable | undefined, rowIndex: number, columnId: string): number | null {
  const c = table?.columns.findIndex((x) => x.id === columnId) ?? -1;
  const cell = c < 0 ? undefined : table?.rows[rowIndex]?.cells[c];
  return cell && !cell.suppressed ? cell.value : null;
}
