import { Connection, Model, Schema } from 'mongoose';
import { HistoryLedger, HistoryLedgerEntry } from './history-import';

type LedgerDocument = HistoryLedgerEntry & { _id: string };

const ledgerSchema = new Schema<LedgerDocument>(
  { _id: String, schoolId: String, sourceId: String, contentHash: String, importId: String, fileSha256: String, streamId: String, fromVersion: Number, applied: Boolean },
  { versionKey: false, collection: 'history_import_sources' },
);

/** One document per school and sourceId, `_id = "<school>:<sourceId>"`: every lookup is by `_id`. */
export class MongoHistoryLedger implements HistoryLedger {
  private readonly model: Model<LedgerDocument>;

  constructor(connection: Connection) {
    this.model = connection.models['HistoryLedger'] ?? connection.model<LedgerDocument>('HistoryLedger', ledgerSchema);
  }

  async get(schoolId: string, sourceId: string): Promise<HistoryLedgerEntry | null> {
    const doc = await this.model.findById(idOf(schoolId, sourceId)).lean<LedgerDocument>();
    if (!doc) return null;
    const { _id, ...entry } = doc;
    return entry;
  }

  async begin(entry: HistoryLedgerEntry): Promise<void> {
    await this.model.replaceOne({ _id: idOf(entry.schoolId, entry.sourceId) }, entry, { upsert: true });
  }

  async markApplied(schoolId: string, sourceId: string): Promise<void> {
    await this.model.updateOne({ _id: idOf(schoolId, sourceId) }, { $set: { applied: true } });
  }
}

const idOf = (schoolId: string, sourceId: string) => `${schoolId}:${sourceId}`;
