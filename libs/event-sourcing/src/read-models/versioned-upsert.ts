import { Model } from 'mongoose';

/** A change to one read-model document, stamped with the version of the stream it came from. */
export interface VersionedChange {
  id: string;
  version: number;
  set: Record<string, unknown>;
}

/** ids per `$in` read of stored versions */
const IDS_PER_READ = 500;
const isDuplicateKey = (error: { code?: number }) => error.code === 11000;

/**
 * Writes a batch of changes, each only if it is newer than what the document holds, which makes
 * projections idempotent: replayed or redelivered changes are skipped. Changes to the same document
 * within the batch are merged first (in version order: newer fields win). The stored versions are read with one
 * `$in` query per 500 ids (FerretDB 1.24 on SQLite uses no index even for `_id`: every lookup scans until it finds
 * its document, so one scan for the batch beats one per document), then one bulk write of what is newer. The version guard stays in every filter; if a concurrent writer still causes
 * an _id collision, the batch is redone one document at a time (FerretDB, unlike MongoDB, stops an
 * unordered bulk write at its first error).
 */
export async function upsertNewer(model: Model<any>, changes: VersionedChange[]): Promise<void> {
  const merged = new Map<string, VersionedChange>();
  // merged in version order, so a stale duplicate later in the batch cannot overwrite newer fields
  for (const change of [...changes].sort((a, b) => a.version - b.version)) {
    const earlier = merged.get(change.id);
    merged.set(change.id, earlier
      ? { id: change.id, version: Math.max(earlier.version, change.version), set: { ...earlier.set, ...change.set } }
      : change);
  }
  if (merged.size === 0) return;
  const storedVersion = new Map<string, number>();
  const ids = [...merged.keys()];
  for (let i = 0; i < ids.length; i += IDS_PER_READ) {
    const docs = await model.find({ _id: { $in: ids.slice(i, i + IDS_PER_READ) } }, { version: 1 }).lean<{ _id: string; version: number }[]>();
    for (const doc of docs) storedVersion.set(doc._id, doc.version);
  }
  const newer = [...merged.values()].filter((c) => c.version > (storedVersion.get(c.id) ?? 0));
  if (newer.length === 0) return;
  const write = ({ id, version, set }: VersionedChange) => ({
    updateOne: { filter: { _id: id, version: { $lt: version } }, update: { $set: { ...set, version } }, upsert: true },
  });
  try {
    await model.bulkWrite(newer.map(write), { ordered: true });
  } catch (error) {
    if (!isDuplicateKey(error as { code?: number })) throw error;
    for (const change of newer) {
      await model.bulkWrite([write(change)]).catch((e) => {
        if (!isDuplicateKey(e)) throw e;
      });
    }
  }
}
