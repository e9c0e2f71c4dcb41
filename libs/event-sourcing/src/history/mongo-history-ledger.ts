import { Connection, Model, Schema } from 'mongoose';
import { HistoryLedger, HistoryLedgerBatch } from './history-import';
import { foldLedger } from './ledger-fold';

type BatchDocument = Omit<HistoryLedgerBatch, 'batchId'> & { _id: string; seq: number };

const batchSchema = new Schema<BatchDocument>(
  { _id: String, schoolId: String, importId: String, fileSha256: String, applied: Boolean, seq: Number, entries: Schema.Types.Mixed },
  { versionKey: false, collection: 'history_import_batches' },
);
batchSchema.index({ schoolId: 1 });

/**
 * One document per batch of an import, `_id` = the batch id: the batch's sourceIds with their content hashes and
 * streams, inserted before the batch's events and marked applied after them (`seq`, the insert time, orders them).
 */
export class MongoHistoryLedger implements HistoryLedger {
  private readonly model: Model<BatchDocument>;
  /** breaks ties between batches begun in the same millisecond by this process */
  private begun = 0;

  constructor(connection: Connection) {
    this.model = (connection.models['HistoryLedgerBatch'] as Model<BatchDocument>) ?? connection.model<BatchDocument>('HistoryLedgerBatch', batchSchema);
  }

  async entriesOf(schoolId: string) {
    const docs = await this.model.find({ schoolId }).lean<BatchDocument[]>();
    return foldLedger(docs.map(({ _id, ...batch }) => ({ ...batch, batchId: _id })));
  }

  async begin({ batchId, ...batch }: HistoryLedgerBatch) {
    await this.model.create({ _id: batchId, ...batch, seq: Date.now() + (this.begun++ % 1000) / 1000 });
  }

  async markApplied(batchId: string) {
    await this.model.updateOne({ _id: batchId }, { $set: { applied: true } });
  }
}
