import { LRUCache } from 'lru-cache';
import { Connection, Model, Schema } from 'mongoose';
import { FencedOutError } from '../projections/checkpoint-store';
import { ApplyContext, Projection } from '../projections/projection';
import { StoredEvent } from '../store/event-store';
import { findByIds } from './find-by-ids';
import { GenerationalCollection, ReadModelGenerations } from './read-model-generations';
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
/** entries of group documents kept in memory per read model by the process that writes it */
const CACHED_ENTRIES = 200_000;
const isDuplicateKey = (error: { code?: number }) => error.code === 11000;
const defined = (set: Record<string, unknown>) => Object.fromEntries(Object.entries(set).filter(([, value]) => value !== undefined));

/** Group documents as they are stored, by `_id`: what the one writer of a collection last read or wrote there. */
export interface KnownGroups {
  get(group: string): GroupDocument | undefined;
  set(group: string, doc: GroupDocument): void;
  clear(): void;
}

/**
 * Writes changes into group documents: each entry changes only if the change is newer than the entry's version,
 * so replayed or redelivered batches change nothing. A group is read by `_id`, changed in memory and written back
 * whole, one write per group and batch. Like `upsertNewer` this relies on one writer per read model (its projection
 * runner, under a lease); should a second writer insert the same group first, the batch is merged again on what it
 * wrote. Under a fencing token a write-back is conditional on it: once a newer lease holder has written a group, a
 * former holder's write is refused (FencedOutError) instead of putting back what it read before. `known` (for the
 * lease holder) saves the reads of groups it read or wrote before; after any failure it is emptied.
 */
export async function upsertNewerInGroups(model: Model<any>, changes: GroupedChange[], fence?: number, known?: KnownGroups, attempt = 1): Promise<void> {
  const byGroup = new Map<string, GroupedChange[]>();
  for (const change of changes) byGroup.set(change.group, [...(byGroup.get(change.group) ?? []), change]);
  if (byGroup.size === 0) return;
  const stored = new Map<string, GroupDocument>();
  const unknown: string[] = [];
  for (const group of byGroup.keys()) {
    const doc = known?.get(group);
    if (doc) stored.set(group, doc);
    else unknown.push(group);
  }
  for (const doc of await findByIds<GroupDocument>(model, unknown)) stored.set(doc._id, doc);
  const afterWrite = new Map<string, GroupDocument>();
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
    if (!changed) {
      if (doc) afterWrite.set(group, doc);
      continue;
    }
    const all = [...entries.values()];
    const fenced = fence === undefined ? {} : { fence };
    afterWrite.set(group, { _id: group, entries: all, ...(doc?.fence === undefined ? {} : { fence: doc.fence }), ...fenced });
    writes.push(doc
      ? { updateOne: { filter: { _id: group, ...(fence === undefined ? {} : { fence: { $not: { $gt: fence } } }) }, update: { $set: { entries: all, ...fenced } } } }
      : { insertOne: { document: { _id: group, entries: all, ...fenced } } });
  }
  const updates = writes.filter((write) => 'updateOne' in write).length;
  let matched = 0;
  try {
    for (let i = 0; i < writes.length; i += WRITES_PER_BULK) matched += (await model.bulkWrite(writes.slice(i, i + WRITES_PER_BULK) as never[], { ordered: true })).matchedCount;
  } catch (error) {
    known?.clear();
    if (!isDuplicateKey(error as { code?: number }) || attempt >= 3) throw error;
    await upsertNewerInGroups(model, changes, fence, known, attempt + 1); // the group exists now: merged again on what is stored (entries already newer are skipped)
    return;
  }
  // a group that matched no more between its read and its write: a newer holder wrote it meanwhile
  if (matched < updates) {
    known?.clear();
    throw new FencedOutError(`${updates - matched} of ${updates} groups were written under a newer fence meanwhile`);
  }
  for (const [group, doc] of afterWrite) known?.set(group, doc);
}

/**
 * The group documents of a read model as its lease holder last read or wrote them: valid only while it holds the
 * read model without a break (ReadModelGenerations.holdToken) and for one collection (a rebuild writes another).
 * Nobody else writes the collection meanwhile; a holder that lost its lease unawares is refused by the fence.
 */
class HeldGroups {
  private readonly docs = new LRUCache<string, GroupDocument>({ maxSize: CACHED_ENTRIES, sizeCalculation: (doc) => doc.entries.length + 1 });
  private heldAs?: string;

  /** The cache for this hold of this collection, emptied if it was filled under another; none without a hold. */
  under(hold: number | undefined, collection: string): KnownGroups | undefined {
    if (hold === undefined) return undefined;
    const as = `${hold}:${collection}`;
    if (as !== this.heldAs) {
      this.docs.clear();
      this.heldAs = as;
    }
    return this.docs;
  }

  clear(): void {
    this.docs.clear();
    this.heldAs = undefined;
  }
}

/**
 * A read model of group documents (`_id` = the group, e.g. a school or a learner in a school) each holding the
 * entries a query needs together, so that a query reads one document by `_id`, the only lookup every
 * MongoDB-compatible server answers from an index, instead of filtering a collection. Subclasses say which entry of
 * which group each event changes (`changesOf`); `apply` is idempotent, rebuilds blue/green (see VersionedReadModel).
 */
export abstract class GroupedReadModel<TEntry> implements Projection {
  abstract readonly name: string;
  readonly generations: ReadModelGenerations;
  protected readonly groups: GenerationalCollection<GroupDocument>;
  private readonly written = new HeldGroups();

  protected constructor(connection: Connection, collection: string) {
    const schema = new Schema<GroupDocument>({ _id: String, entries: [Schema.Types.Mixed], fence: Number }, { versionKey: false, collection });
    this.generations = new ReadModelGenerations(connection, () => this.name);
    this.groups = this.generations.collection(collection, schema);
  }

  protected abstract changesOf(events: StoredEvent[]): GroupedChange[];

  async apply(events: StoredEvent[], context?: ApplyContext): Promise<void> {
    await this.writeChanges(await this.groups.writer(), this.changesOf(events), context);
  }

  /** Writes changes into this read model's groups in `model` (its writer generation), read through what it holds. */
  protected async writeChanges(model: Model<GroupDocument>, changes: GroupedChange[], context?: ApplyContext): Promise<void> {
    const known = context?.fence === undefined ? undefined : this.written.under(this.generations.holdToken, model.collection.collectionName);
    await upsertNewerInGroups(model, changes, context?.fence, known);
  }

  /** Empties the generation being written (tests that start afresh). */
  async reset(): Promise<void> {
    this.written.clear();
    await this.generations.clearWriter();
  }

  /** Each group's entries (without id and version) in the live generation, in the order asked; an unknown group has none. */
  protected async entriesOf(groups: string[]): Promise<TEntry[][]> {
    const found = new Map((await findByIds<GroupDocument>(await this.groups.live(), groups)).map((doc) => [doc._id, doc.entries]));
    return groups.map((group) => (found.get(group) ?? []).map(({ id: _id, version: _v, ...entry }) => entry as TEntry));
  }
}
