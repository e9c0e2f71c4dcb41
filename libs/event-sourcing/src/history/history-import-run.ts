import { EventCatalog, EventMetadata } from '@cbme/contracts';
import { EventStore } from '../store/event-store';
import { applyHistory, HistoryApplyProgress, HistoryImporter, historyLines, HistoryLedger, HistoryLineError, validateHistory } from './history-import';

/** What a history import job is given: the uploaded file on disk and the importing admin's request. */
export interface HistoryImportRequest {
  importId: string;
  path: string;
  fileSha256: string;
  metadata: EventMetadata;
  validOnly: boolean;
  /** lines of the upload that could not be read as records at all (a CSV's bad rows): reported with the validation's */
  unreadLines?: HistoryLineError[];
}

export interface HistoryValidationSummary {
  lines: number;
  valid: number;
  alreadyImported: number;
  invalid: number;
}

/** Where a job stands, reported after every batch: validating the whole file first, then applying it. */
export type HistoryImportProgress = HistoryApplyProgress & {
  phase: 'validating' | 'applying' | 'invalid' | 'completed';
  /** lines validated so far */
  linesChecked: number;
  /** once the whole file is validated */
  validation: HistoryValidationSummary | null;
};

export interface HistoryImportOutcome {
  phase: 'invalid' | 'completed';
  validation: HistoryValidationSummary;
  progress: HistoryImportProgress;
  /** the bad lines (the first LISTED_HISTORY_ERRORS of them), then the records refused while applying */
  errors: HistoryLineError[];
  /** all bad lines, listed or not */
  invalidLines: number;
}

/** bad lines kept with a job (a 422 and the status list these; the count says how many there were in all) */
export const LISTED_HISTORY_ERRORS = 10_000;

/**
 * A history import job: validates the whole file on a dry run (nothing written unless all of it is valid, or only
 * the valid records were asked for), then applies it. Run again after a crash, the validation counts what was applied
 * as already imported and the apply completes the rest.
 */
export async function runHistoryImport(
  request: HistoryImportRequest,
  service: HistoryImporter,
  deps: { store: EventStore; catalog: EventCatalog; ledger: HistoryLedger; context: string; batchSize?: number },
  report: (progress: HistoryImportProgress) => Promise<void>,
): Promise<HistoryImportOutcome> {
  const importer = service.forRun?.() ?? service;
  const context = { importId: request.importId, fileSha256: request.fileSha256, metadata: request.metadata };
  const idle = { processed: 0, total: 0, applied: 0, alreadyImported: 0, failed: 0 };
  const validation = await validateHistory(historyLines(request.path), importer, deps, context,
    (linesChecked) => report({ phase: 'validating', linesChecked, validation: null, ...idle }));
  const unread = request.unreadLines ?? [];
  const invalid = [...unread, ...validation.errors].sort((a, b) => a.line - b.line);
  const summary: HistoryValidationSummary = { lines: validation.lines + unread.length, valid: validation.valid, alreadyImported: validation.alreadyImported, invalid: invalid.length };
  const listed = invalid.slice(0, LISTED_HISTORY_ERRORS);
  const total = validation.valid + validation.alreadyImported;
  if (invalid.length > 0 && !request.validOnly) {
    const progress: HistoryImportProgress = { phase: 'invalid', linesChecked: summary.lines, validation: summary, ...idle, total };
    await report(progress);
    return { phase: 'invalid', validation: summary, progress, errors: listed, invalidLines: invalid.length };
  }
  await report({ phase: 'applying', linesChecked: summary.lines, validation: summary, ...idle, total });
  const applied = await applyHistory(historyLines(request.path), importer, deps,
    { ...context, validOnly: request.validOnly, total, skipLines: new Set(validation.errors.map((e) => e.line)), batchSize: deps.batchSize, newStreams: validation.newStreams },
    (p) => report({ phase: 'applying', linesChecked: summary.lines, validation: summary, ...p }));
  const { errors, ...counts } = applied;
  const progress: HistoryImportProgress = { phase: 'completed', linesChecked: summary.lines, validation: summary, ...counts };
  await report(progress);
  return { phase: 'completed', validation: summary, progress, errors: [...listed, ...errors], invalidLines: invalid.length };
}
