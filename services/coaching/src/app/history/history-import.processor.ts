import { CoachingHistoryImporter } from '@cbme/coaching-application';
import { EventCatalog, EventMetadata } from '@cbme/contracts';
import { applyHistory, EVENT_CATALOG, EVENT_STORE, EventStore, historyLines, HistoryLedger, HistoryLineError } from '@cbme/event-sourcing';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { Job } from 'bullmq';
import { rm } from 'node:fs/promises';

export const HISTORY_IMPORT_QUEUE = 'history-import';
export const HISTORY_LEDGER = Symbol('HISTORY_LEDGER');

export interface HistoryImportJob {
  importId: string;
  path: string;
  fileSha256: string;
  metadata: EventMetadata;
  validOnly: boolean;
  validation: { lines: number; valid: number; alreadyImported: number; invalid: number };
  skipLines: number[];
  errors: HistoryLineError[];
}

/**
 * Applies a validated history file, reporting progress. Run again (a retry after a crash, or the same file sent
 * again) it completes what is missing: records already applied under their sourceId are skipped.
 */
@Processor(HISTORY_IMPORT_QUEUE)
export class HistoryImportProcessor extends WorkerHost {
  constructor(
    private readonly importer: CoachingHistoryImporter,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
    @Inject(HISTORY_LEDGER) private readonly ledger: HistoryLedger,
  ) {
    super();
  }

  async process(job: Job<HistoryImportJob>) {
    const { importId, path, fileSha256, metadata, validOnly, validation, skipLines } = job.data;
    const result = await applyHistory(
      historyLines(path), this.importer, { store: this.store, catalog: this.catalog, ledger: this.ledger, context: 'coaching' },
      { importId, fileSha256, metadata, validOnly, total: validation.valid + validation.alreadyImported, skipLines: new Set(skipLines) },
      (progress) => job.updateProgress({ ...progress }),
    );
    await rm(path, { force: true });
    return result;
  }
}
