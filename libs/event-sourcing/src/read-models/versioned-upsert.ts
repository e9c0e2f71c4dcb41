import { Model } from 'mongoose';
import { findByIds } from './find-by-ids';

/** A change to one read-model document, stamped with the version of the stream it came from. */
export interface VersionedChange {
  id: string;
  version: number;
  set: Record<string, unknown>;
}

/**
 * operations per bulk write: FerretDB 1.24 never answers an update command of 100 or more statements that match
 * documents (measured: 99 take 82 ms, 100 hang), so larger batches go in several commands
 */
const WRITES_PER_BULK = 50;
const isDuplicateKey = (error: { code?: number }) => error.code === 11000;

/**
 * Writes a batch of changes, each only if it is newer than what the document holds, which makes
 * projections idempotent: replayed or redelivered changes are skipped. Changes to the same document
 * within the batch are merged first (in version order: newer fields win).
 *
 * Stored versions are read by `_id`, then what is newer goes in one ordered bulk write: an insert for a
 * document not stored yet, an update filtered by `_id` alone for one that is. `_id` is the only filter
 * FerretDB 1.24 answers from an index (a filter with the version guard in it scans the collection on
 * every update), and the read just before is still current because a read model has one writer: its
 * projection runner, which applies one batch at a time and pauses while it rebuilds. Should a second writer
 * appear anyway, its insert collides and the batch is redone one document at a time with the guard in the
 * filter (FerretDB, unlike MongoDB, stops even an unordered bulk write at its first error).
 */
export async function upsertNewer(
  model: Model<any>, changes: VersionedChange[],
  /** the stored versions of these documents (absent: not stored), when the caller has just read them itself */
  knownVersions?: ReadonlyMap<string, number>,
): Promise<void> {
  const merged = new Map<string, VersionedChange>();
  // merged in version order, so a stale duplicate later in the batch cannot overwrite newer fields
  for (const change of [...changes].sort((a, b) => a.version - b.version)) {
    const earlier = merged.get(change.id);
    merged.set(change.id, earlier
      ? { id: change.id, version: Math.max(earlier.version, change.version), set: { ...earlier.set, ...change.set } }
      : change);
  }
  if (merged.size === 0) return;
  // a document's version is its stream's, so a change at version 1 is the document's first: nothing to look up (a
  // replayed batch finds it stored, its insert collides, and the batch is redone with the guard, as below)
  const firsts = new Set(changes.filter((c) => c.version === 1).map((c) => c.id));
  const storedVersion = knownVersions ??
    new Map((await findByIds<{ _id: string; version: number }>(model, [...merged.keys()].filter((id) => !firsts.has(id)), { version: 1 })).map((doc) => [doc._id, doc.version]));
  const newer = [...merged.values()].filter((c) => c.version > (storedVersion.get(c.id) ?? 0));
  if (newer.length === 0) return;
  const write = ({ id, version, set }: VersionedChange) => storedVersion.has(id)
    ? { updateOne: { filter: { _id: id }, update: { $set: { ...set, version } } } }
    : { insertOne: { document: { _id: id, ...set, version } } };
  try {
    for (let i = 0; i < newer.length; i += WRITES_PER_BULK) await model.bulkWrite(newer.slice(i, i + WRITES_PER_BULK).map(write), { ordered: true });
  } catch (error) {
    if (!isDuplicateKey(error as { code?: number })) throw error;
    for (const { id, version, set } of newer) {
      await model.updateOne({ _id: id, version: { $lt: version } }, { $set: { ...set, version } }, { upsert: true }).catch((e) => {
        if (!isDuplicateKey(e)) throw e;
      });
    }
  }
}

/**
 * Inserts documents that never change once written (one per event, say) and skips those stored already. Nothing is
 * read first: a batch that was applied before is the rare case (a replay after a crash). FerretDB stops an insert at
 * its first duplicate, so the insert goes on after it. The first document given for an `_id` wins.
 */
export async function insertOnce<T extends { _id: string }>(model: Model<any>, docs: T[]): Promise<void> {
  const seen = new Set<string>();
  const fresh = docs.filter((doc) => !seen.has(doc._id) && seen.add(doc._id));
  for (let start = 0; start < fresh.length;) {
    const chunk = fresh.slice(start, start + WRITES_PER_BULK);
    try {
      await model.insertMany(chunk, { ordered: true, lean: true });
      start += chunk.length;
    } catch (error) {
      const index = (error as { writeErrors?: { index?: number }[] }).writeErrors?.[0]?.index;
      if (!isDuplicateKey(error as { code?: number }) || typeof index !== 'number') throw error;
      start += index + 1;
    }
  }
}
