import { ApiError } from '../api/http';
import { HistoryImportStatus } from '../api/types';

/** The services that import a school's history, with the records each holds (docs/history-import.md). */
export const HISTORY_SERVICES = [
  { service: 'coaching', label: 'Coaching: relationships and meetings' },
  { service: 'feedback', label: 'Feedback: dialogues, goals, development plans, assessments' },
] as const;
export type HistoryService = (typeof HISTORY_SERVICES)[number]['service'];

/** The file's Content-Type: CSV by its name or type, else JSON Lines. */
export function mediaTypeOf(file: { name: string; type: string }): 'text/csv' | 'application/x-ndjson' {
  return file.type === 'text/csv' || /\.csv$/i.test(file.name) ? 'text/csv' : 'application/x-ndjson';
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

/**
 * What the page says about a refused upload: a 413 as "too large" with the limit the service (or nginx, in the same
 * words) named; a 404 from a service that has no history import yet; otherwise the server's own message.
 */
export function uploadProblem(error: unknown, service: HistoryService): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  if (error.status === 413) {
    const limit = /larger than ([0-9]{1,15}) bytes/.exec(error.message)?.[1];
    return `The file is too large (limit ${limit ? formatBytes(Number(limit)) : 'unknown'}). Split it into smaller files: records already imported are recognised by their source id.`;
  }
  if (error.status === 404) return `The ${service} service does not take history imports yet. Nothing was imported.`;
  return undefined;
}

/** The progress bar's place: records processed of those to process; a finished import is full, even an empty one. */
/** The bar of an import: records applied of those to apply; none (an indeterminate bar) while the file is being checked. */
export function progressOf(status: Pick<HistoryImportStatus, 'state' | 'phase' | 'progress'> | undefined): { value: number; max: number; percent: number } | null {
  if (!status || status.phase === 'queued' || status.phase === 'validating') return null;
  if (status.phase === 'invalid') return { value: 0, max: 1, percent: 0 };
  const { processed, total } = status.progress;
  if (status.state === 'completed') return { value: Math.max(1, total), max: Math.max(1, total), percent: 100 };
  const max = Math.max(1, total);
  const value = Math.min(processed, max);
  return { value, max, percent: Math.floor((value / max) * 100) };
}

/** What the job is doing, in words. */
export function stageOf(s: Pick<HistoryImportStatus, 'state' | 'phase' | 'linesChecked' | 'invalidLines' | 'progress'>): string {
  if (s.state === 'failed') return 'Failed';
  switch (s.phase) {
    case 'queued': return 'Waiting';
    case 'validating': return `Checking the file: ${s.linesChecked} lines checked`;
    case 'invalid': return `Refused: ${s.invalidLines} ${s.invalidLines === 1 ? 'line is' : 'lines are'} invalid; nothing was imported`;
    case 'applying': return `Importing: ${s.progress.processed} of ${s.progress.total} records`;
    case 'completed': return `Completed: ${s.progress.processed} of ${s.progress.total} records`;
  }
}

export const isFinished = (state: HistoryImportStatus['state'] | undefined) => state === 'completed' || state === 'failed';

/** An import sent from this browser tab, kept in sessionStorage so the list survives moving between pages. */
export interface SentImport {
  service: HistoryService;
  importId: string;
  fileName: string;
  sentAt: string;
  validOnly: boolean;
}

/** The stored list, or nothing when what is stored is not such a list (an older shape, a hand edit). */
export function readSentImports(stored: string | null): SentImport[] {
  try {
    const parsed: unknown = JSON.parse(stored ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((i): i is SentImport =>
      typeof i === 'object' && i !== null && HISTORY_SERVICES.some((s) => s.service === i.service)
      && typeof i.importId === 'string' && typeof i.fileName === 'string' && typeof i.sentAt === 'string' && typeof i.validOnly === 'boolean');
  } catch {
    return [];
  }
}
