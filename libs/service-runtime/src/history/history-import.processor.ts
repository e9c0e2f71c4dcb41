import { EVENT_CATALOG, EVENT_STORE, EventStore, HistoryImporter, HistoryImportRequest, HistoryLedger, runHistoryImport } from '@cbme/event-sourcing';
import { EventCatalog } from '@cbme/contracts';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { Job } from 'bullmq';
import { rm } from 'node:fs/promises';
import { HistoryImportSettings } from './history-import.config';

export const HISTORY_IMPORT_QUEUE = 'history-import';
export const HISTORY_IMPORTER = Symbol('HISTORY_IMPORTER');
export const HISTORY_LEDGER = Symbol('HISTORY_LEDGER');
export const HISTORY_IMPORT_SETTINGS = Symbol('HISTORY_IMPORT_SETTINGS');

/**
 * Validates and then applies an uploaded history file, reporting progress after every batch. Run again (a retry after
 * a crash, or the same file sent again) it completes what is missing: records applied under their sourceId are skipped.
 */
@Processor(HISTORY_IMPORT_QUEUE)
export class HistoryImportProcessor extends WorkerHost {
  constructor(
    @Inject(HISTORY_IMPORTER) private readonly importer: HistoryImporter,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
    @Inject(HISTORY_LEDGER) private readonly ledger: HistoryLedger,
    @Inject(HISTORY_IMPORT_SETTINGS) private readonly settings: HistoryImportSettings,
  ) {
    super();
  }

  async process(job: Job<HistoryImportRequest>) {
    const outcome = await runHistoryImport(job.data, this.importer,
      { store: this.store, catalog: this.catalog, ledger: this.ledger, context: this.settings.context, batchSize: this.settings.batchSize },
      (progress) => job.updateProgress({ ...progress }));
    await rm(job.data.path, { force: true });
    return outcome;
  }
}
