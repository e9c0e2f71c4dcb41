import { Service } from '../api/http';

/** The services that each keep a disclosure log of the reads they serve. */
export const LOG_SERVICES: Service[] = ['identity', 'coaching', 'feedback', 'analytics'];

/** One read as a service answers it (its full shape: libs/contracts audit/disclosure.ts). */
export interface DisclosureEntry {
  eventId: string;
  at: string;
  service: string;
  schoolId: string;
  reader: { userId: string; role: string };
  record: string;
  route: string;
}

/** One service's answer to `GET /learners/:id/disclosures[?month=YYYY-MM]`. */
export interface DisclosureLogPage {
  service: string;
  learnerId: string;
  months: { month: string; count: number }[];
  month: string | null;
  entries: DisclosureEntry[];
}

/** Every month any service has reads in, with the reads of all services together, newest first. */
export function mergedMonths(pages: Pick<DisclosureLogPage, 'months'>[]): { month: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const page of pages) for (const { month, count } of page.months) counts.set(month, (counts.get(month) ?? 0) + count);
  return [...counts].map(([month, count]) => ({ month, count })).sort((a, b) => b.month.localeCompare(a.month));
}

/** The services' reads of one month as one list, newest first. */
export function mergedEntries(lists: DisclosureEntry[][]): DisclosureEntry[] {
  return lists.flat().sort((a, b) => b.at.localeCompare(a.at) || a.service.localeCompare(b.service) || b.eventId.localeCompare(a.eventId));
}

/** Where a service's entries of `month` come from: the first answer already holds them, or the month must be asked for, or it has none. */
export function sourceOfMonth(first: DisclosureLogPage, month: string): 'first' | 'ask' | 'none' {
  if (first.month === month) return 'first';
  return first.months.some((m) => m.month === month) ? 'ask' : 'none';
}

const RECORDS: Record<string, string> = {
  'audit-export': 'verifiable export', 'assessment-results': 'assessment results', coaching: 'coaching relationship', dialogue: 'a dialogue',
  dialogues: 'dialogues', 'feedback-request': 'a feedback request', 'feedback-requests': 'feedback requests', goal: 'a goal', goals: 'goals',
  meeting: 'a meeting', 'meeting-summary': 'a meeting summary', meetings: 'meetings', plan: 'development plan', progress: 'goals and plan as of a date',
  'progress-diff': 'changes in goals and plan', reflections: 'reflections', 'self-assessments': 'self-assessments', 'self-vs-others': "self-assessment and others' view",
  timeline: 'timeline', 'timeline-export': 'timeline export',
};

/** What was read, in words. */
export const recordInWords = (record: string) => RECORDS[record] ?? record;

/** "December 2026" for "2026-12". */
export const monthInWords = (month: string) => new Date(`${month}-01T00:00:00.000Z`).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

const cell = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** The report as CSV, one line per read. */
export function disclosuresCsv(entries: DisclosureEntry[]): string {
  const lines = entries.map((e) => [e.at, e.reader.userId, e.reader.role, e.schoolId, e.record, e.route, e.service].map(cell).join(','));
  return ['at,reader,role,school,record,route,service', ...lines].join('\n') + '\n';
}
