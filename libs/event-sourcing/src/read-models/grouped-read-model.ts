import { Connection, Model, Schema } from 'mongoose';
import { FencedOutError } from '../projections/checkpoint-store';
import { ApplyContext, Projection } from '../projections/projection';
import { StoredEvent } from '../store/event-store';
import { findByIds } from './find-by-ids';
import { VersionedChange } from './versioned-upsert';

/** A change to one entry of a group document (e.g. one relationship in its school's document). */
export interface GroupedChange extends VersionedChange {
  /** `_id` of the document that holds the entry */
  group: string;
}

/** An entry as stored: its id and the version of the stream it last came from, beside its fields. */
export type GroupEntry = { id: string; version: number } & Record<string, unknown>;

interface GroupDocument {
  _id: string;
  entries: GroupEntry[];
  /** the fencing token of the lease under which the group was last written */
  fence?: number;
}

/** documents written per bulk write (FerretDB 1.24 hangs on update commands of 100 matching statements) */
const WRITES_PER_BULK = 50;
const isDuplicateKey = (error: { code?: number }) => error.code === 11000;
const defined = (set: Record<string, unknown>) => Object.fromEntries(Object.entries(set).filter(([, value]) => value !== undefined));

/**
 * Writes changes into group documents: each entry changes only if the change is newer than the entry's version,
 * so replayed or redelivered batches change nothing. A group is read by `_id`, changed in memory and written back
 * whole, one write per group and batch. Like `upsertNewer` this relies on one writer per read model (its projection
 * runner, under a lease); should a second writer insert the same group first, the batch is merged again on what it
 * wrote. Under a fencing token a write-back is conditional on it: once a newer lease holder has written a group, a
 * former holder's write is refused (FencedOutError) instead of putting back what it read before.
 */
export async function upsertNewerInGroups(model: Model<any>, changes: GroupedChange[], fence?: number, attempt = 1): Promise<void> {
  const byGroup = new Map<string, GroupedChange[]>();
  for (const change of changes) byGroup.set(change.group, [...(byGroup.get(change.group) ?? []), change]);
  if (byGroup.size === 0) return;
  const stored = new Map((await findByIds<GroupDocument>(model, [...byGroup.keys()])).map((doc) => [doc._id, doc]));
  const writes: object[] = [];
  for (const [group, groupChanges] of byGroup) {
    const doc = stored.get(group);
    if (fence !== undefined && (doc?.fence ?? 0) > fence) throw new FencedOutError(`group ${group} was written under fence ${doc?.fence}, after ${fence}`);
    const entries = new Map((doc?.entries ?? []).map((entry) => [entry.id, entry]));
    let changed = false;
    for (const { id, version, set } of [...groupChanges].sort((a, b) => a.version - b.version)) {
      const entry = entries.get(id);
      if (entry && entry.version >= version) continue;
      entries.set(id, { ...entry, ...defined(set), id, version });
      changed = true;
    }
    if (!changed) continue;
    const all = [...entries.values()];
    const fenced = fence === undefined ? {} : { fence };
    writes.push(doc
      ? { updateOne: { filter: { _id: group, ...(fence === undefined ? {} : { fence: { $not: { $gt: fence } } }) }, update: { $set: { entries: all, ...fenced } } } }
      : { insertOne: { document: { _id: group, entries: all, ...fenced } } });
  }
  const updates = writes.filter((write) => 'updateOne' in write).length;
  let matched = 0;
  try {
    for (let i = 0; i < writes.length; i += WRITES_PER_BULK) matched += (await model.bulkWrite(writes.slice(i, i + WRITES_PER_BULK) as never[], { ordered: true })).matchedCount;
  } catch (error) {
    if (!isDuplicateKey(error as { code?: number }) || attempt >= 3) throw error;
    await upsertNewerInGroups(model, changes, fence, attempt + 1); // the group exists now: merged again on what is stored (entries already newer are skipped)
    return;
  }
  // a group that matched no more between its read and its write: a newer holder wrote it meanwhile
  if (matched < updates) throw new FencedOutError(`${updates - matched} of ${updates} groups were written under a newer fence meanwhile`);
}

/**
 * A read model of group documents (`_id` = the group, e.g. a school or a learner in a school) each holding the
 * entries a query needs together, so that a query reads one document by `_id`, the only lookup every
 * MongoDB-compatible server answers from an index, instead of filtering a collection. Subclasses say which entry of
 * which group each event changes (`changesOf`); `apply` and `reset` are idempotent.
 */
export abstract class GroupedReadModel<TEntry> implements Projection {
  abstract readonly name: string;
  protected readonly model: Model<GroupDocument>;

  protected constructor(connection: Connection, collection: string) {
    const schema = new Schema<GroupDocument>({ _id: String, entries: [Schema.Types.Mixed], fence: Number }, { versionKey: false, collection });
    this.model = (connection.models[collection] as Model<GroupDocument>) ?? connection.model<GroupDocument>(collection, schema);
  }

  protected abstract changesOf(events: StoredEvent[]): GroupedChange[];

  async apply(events: StoredEvent[], context?: ApplyContext): Promise<void> {
    await upsertNewerInGroups(this.model, this.changesOf(events), context?.fence);
  }

  async reset(): Promise<void> {
    await this.model.deleteMany({});
  }

  /** Each group's entries (without id and version), in the order asked; an unknown group has none. */
  protected async entriesOf(groups: string[]): Promise<TEntry[][]> {
    const found = new Map((await findByIds<GroupDocument>(this.model, groups)).map((doc) => [doc._id, doc.entries]));
    return groups.map((group) => (found.get(group) ?? []).map(({ id: _id, version: _v, ...entry }) => entry as TEntry));
  }
}
