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
  schoolId: string;
  asOf: string;
  minimumGroupSize: number;
  filters: Filters;
  cohorts: { cohortId: string; program: string; graduationYear: number }[];
  competencies: string[];
  periods: string[];
  tables: AnalyticsTable[];
}
/** Institution admins: every school's all-cohort figures side by side (see school-comparison.ts). */
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
}

export interface Session {
  token: string;
  email: string;
  /** roles per school from the token ("*": institution-wide) */
  schools: Record<string, string[]>;
}

export interface DashboardConfig {
  identityUrl: string;
}

export async function loadConfig(): Promise<DashboardConfig> {
  const response = await fetch('/dashboard/config.json');
  if (!response.ok) throw new Error(`dashboard configuration: ${response.status}`);
  return response.json();
}

/** Signs in with identity (which allows this page's origin) and reads the roles from the access token. */
export async function signIn(config: DashboardConfig, email: string, password: string): Promise<Session> {
  const response = await fetch(`${config.identityUrl}/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message ?? `sign-in failed (${response.status})`);
  const payload = JSON.parse(atob(body.accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  return { token: body.accessToken, email, schools: payload.schools ?? {} };
}

async function getJson<T>(session: Session, path: string, query: object, schoolId?: string): Promise<T> {
  const search = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== '') as [string, string][]);
  const response = await fetch(`${path}?${search}`, { headers: { authorization: `Bearer ${session.token}`, ...(schoolId ? { 'x-school-id': schoolId } : {}) } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message ?? `analytics: ${response.status}`);
  return body;
}

export const fetchAnalytics = (session: Session, schoolId: string, filters: Filters) =>
  getJson<SchoolAnalytics>(session, `/schools/${encodeURIComponent(schoolId)}/analytics`, filters, schoolId);

export const fetchSchoolComparison = (session: Session, { granularity, period }: Filters) =>
  getJson<SchoolComparison>(session, '/institution/analytics', { granularity, period });

/** A table as CSV: header, one line per row; a suppressed cell reads "suppressed". */
export function toCsv(table: AnalyticsTable): string {
  const quote = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const lines = [[table.rowHeader, ...table.columns.map((c) => c.label)]];
  for (const row of table.rows) lines.push([row.label, ...row.cells.map((c) => (c.suppressed ? 'suppressed' : c.value === null ? '' : String(c.value)))]);
  return lines.map((line) => line.map(quote).join(',')).join('\n') + '\n';
}

export function downloadCsv(table: AnalyticsTable, schoolId: string): void {
  const url = URL.createObjectURL(new Blob([toCsv(table)], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${schoolId}-${table.id}.csv`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
