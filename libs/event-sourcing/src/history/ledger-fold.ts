import { HistoryLedgerBatch, HistoryLedgerEntry } from './history-import';

/** A school's batches, oldest first, folded into the latest entry per sourceId (both ledgers read it so). */
export function foldLedger(batches: (HistoryLedgerBatch & { seq: number })[]): Map<string, HistoryLedgerEntry> {
  const entries = new Map<string, HistoryLedgerEntry>();
  for (const batch of [...batches].sort((a, b) => a.seq - b.seq)) {
    for (const entry of batch.entries) entries.set(entry.sourceId, { ...entry, importId: batch.importId, batchId: batch.batchId, applied: batch.applied });
  }
  return entries;
}
