import { HistoryLedger, HistoryLedgerBatch } from './history-import';
import { foldLedger } from './ledger-fold';

/** The ledger for unit tests of importers: the same contract as MongoHistoryLedger, in memory. */
export class InMemoryHistoryLedger implements HistoryLedger {
  readonly batches: (HistoryLedgerBatch & { seq: number })[] = [];

  async entriesOf(schoolId: string) {
    return foldLedger(this.batches.filter((b) => b.schoolId === schoolId));
  }

  async begin(batch: HistoryLedgerBatch) {
    this.batches.push({ ...batch, entries: batch.entries.map((e) => ({ ...e })), seq: this.batches.length });
  }

  async markApplied(batchId: string) {
    const batch = this.batches.find((b) => b.batchId === batchId);
    if (batch) batch.applied = true;
  }
}
