import { HistoryImporter, MongoHistoryLedger } from '@cbme/event-sourcing';
import { BullModule } from '@nestjs/bullmq';
import { Provider, Type } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { HistoryImportSettings } from './history-import.config';
import { HISTORY_IMPORT_QUEUE, HISTORY_IMPORT_SETTINGS, HISTORY_IMPORTER, HISTORY_LEDGER, HistoryImportProcessor } from './history-import.processor';
import { HistoryImportsController } from './history-imports.controller';

/** What a service adds to its module to import history with its own importer: the queue, the controller, the job. */
export function historyImport(importer: Type<HistoryImporter>, settings: HistoryImportSettings) {
  const providers: Provider[] = [
    importer,
    { provide: HISTORY_IMPORTER, useExisting: importer },
    { provide: HISTORY_IMPORT_SETTINGS, useValue: settings },
    { provide: HISTORY_LEDGER, inject: [getConnectionToken()], useFactory: (connection: Connection) => new MongoHistoryLedger(connection) },
    HistoryImportProcessor,
  ];
  return { queue: BullModule.registerQueue({ name: HISTORY_IMPORT_QUEUE }), controllers: [HistoryImportsController], providers };
}
