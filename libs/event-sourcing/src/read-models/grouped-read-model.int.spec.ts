import { connectTestDatabase, dropTestDatabase } from '@cbme/testing';
import { Connection, Schema } from 'mongoose';
import { FencedOutError } from '../projections/checkpoint-store';
import { StoredEvent } from '../store/event-store';
import { GroupedChange, GroupedReadModel, KnownGroups, upsertNewerInGroups } from './grouped-read-model';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('groups');
});
afterAll(() => dropTestDatabase(connection));

const groupModel = (name: string, collection?: string) => connection.model(name, new Schema({ _id: String, entries: [Schema.Types.Mixed], fence: Number }, { versionKey: false }), collection);

describe('upsertNewerInGroups', () => {
  it('changes each entry only with a newer version, keeps entries apart by group, and stores no undefined field', async () => {
    const model = groupModel('Groups');
    await upsertNewerInGroups(model, [
      { group: 'school:a', id: 'r1', version: 1, set: { status: 'active', learnerId: 'l1', note: undefined } },
      { group: 'school:a', id: 'r1', version: 3, set: { status: 'ended' } },
      { group: 'school:a', id: 'r2', version: 1, set: { status: 'active', learnerId: 'l2' } },
      { group: 'school:b', id: 'r1', version: 1, set: { status: 'active', learnerId: 'l9' } },
    ]);
    // a replayed batch, a stale change between two stored ones, and a new entry
    await upsertNewerInGroups(model, [
      { group: 'school:a', id: 'r1', version: 1, set: { status: 'active', learnerId: 'l1' } },
      { group: 'school:a', id: 'r1', version: 2, set: { status: 'paused' } },
      { group: 'school:a', id: 'r3', version: 1, set: { status: 'active', learnerId: 'l3' } },
    ]);
    await upsertNewerInGroups(model, [{ group: 'school:a', id: 'r2', version: 2, set: { status: 'paused' } }]);

    const docs = await model.find().sort({ _id: 1 }).lean();
    expect(docs).toEqual([
      {
        _id: 'school:a',
        entries: [
          { id: 'r1', version: 3, status: 'ended', learnerId: 'l1' },
          { id: 'r2', version: 2, status: 'paused', learnerId: 'l2' },
          { id: 'r3', version: 1, status: 'active', learnerId: 'l3' },
        ],
      },
      { _id: 'school:b', entries: [{ id: 'r1', version: 1, status: 'active', learnerId: 'l9' }] },
    ]);
  });

  it('refuses the write of a former lease holder once a newer one wrote the group, and takes the newer holder\'s', async () => {
    const model = groupModel('FencedGroups');
    await upsertNewerInGroups(model, [{ group: 'school:a', id: 'r1', version: 1, set: { status: 'active' } }]);
    await upsertNewerInGroups(model, [{ group: 'school:a', id: 'r1', version: 2, set: { status: 'paused' } }], 1);
    await upsertNewerInGroups(model, [{ group: 'school:a', id: 'r1', version: 3, set: { status: 'ended' } }], 2);
    // the holder of fence 1, paused past its lease, resumes with a change the new holder has not seen yet
    await expect(upsertNewerInGroups(model, [{ group: 'school:a', id: 'r2', version: 1, set: { status: 'active' } }], 1)).rejects.toBeInstanceOf(FencedOutError);
    await upsertNewerInGroups(model, [{ group: 'school:a', id: 'r2', version: 1, set: { status: 'active' } }], 3);
    expect(await model.findById('school:a').lean()).toEqual({
      _id: 'school:a', fence: 3,
      entries: [{ id: 'r1', version: 3, status: 'ended' }, { id: 'r2', version: 1, status: 'active' }],
    });
  });

  it('writes a batch touching more groups than one bulk write holds (FerretDB hangs on 100 matched updates)', async () => {
    const model = groupModel('ManyGroups');
    const groups = Array.from({ length: 120 }, (_, i) => `learner:${i}`);
    await upsertNewerInGroups(model, groups.map((group) => ({ group, id: 'm1', version: 1, set: { n: 1 } })));
    await upsertNewerInGroups(model, groups.map((group) => ({ group, id: 'm1', version: 2, set: { n: 2 } })));
    const docs = await model.find().lean();
    expect(docs).toHaveLength(120);
    expect(docs.every((doc) => doc.entries.length === 1 && doc.entries[0].n === 2 && doc.entries[0].version === 2)).toBe(true);
  }, 60_000);

  describe('with the groups the lease holder knows', () => {
    /** what the holder knows, and how often a group came from it instead of the database */
    const knownGroups = () => {
      const docs = new Map<string, any>();
      const known: KnownGroups & { hits: number; size: number } = {
        hits: 0,
        get: (group) => {
          const doc = docs.get(group);
          if (doc) known.hits++;
          return doc;
        },
        set: (group, doc) => void docs.set(group, doc),
        clear: () => docs.clear(),
        get size() {
          return docs.size;
        },
      };
      return known;
    };

    it('writes what reading every group first writes, without reading a group it read or wrote before', async () => {
      const [read, cached] = [groupModel('ReadGroups'), groupModel('CachedGroups')];
      const known = knownGroups();
      const batches = [
        [{ group: 'school:a', id: 'r1', version: 1, set: { status: 'active' } }, { group: 'school:b', id: 'r1', version: 1, set: { status: 'active' } }],
        [{ group: 'school:a', id: 'r1', version: 2, set: { status: 'paused' } }, { group: 'school:a', id: 'r2', version: 1, set: { status: 'active' } }],
        // a replay changes nothing, in the database or in what is known
        [{ group: 'school:a', id: 'r1', version: 1, set: { status: 'active' } }],
        [{ group: 'school:b', id: 'r1', version: 2, set: { status: 'ended' } }],
      ];
      for (const batch of batches) {
        await upsertNewerInGroups(read, batch, 7);
        await upsertNewerInGroups(cached, batch, 7, known);
      }
      const stored = await cached.find().sort({ _id: 1 }).lean();
      expect(stored).toEqual(await read.find().sort({ _id: 1 }).lean());
      expect(known.hits).toBe(3); // each group of the last three batches
      expect([known.get('school:a'), known.get('school:b')]).toEqual(stored);
    });

    it('forgets what it knew when its write is refused: a newer holder wrote meanwhile', async () => {
      const model = groupModel('StaleGroups');
      const known = knownGroups();
      await upsertNewerInGroups(model, [{ group: 'school:a', id: 'r1', version: 1, set: { status: 'active' } }], 1, known);
      // the holder of fence 1 is paused past its lease; holder 2 writes the group
      await upsertNewerInGroups(model, [{ group: 'school:a', id: 'r1', version: 2, set: { status: 'paused' } }], 2);
      await expect(upsertNewerInGroups(model, [{ group: 'school:a', id: 'r2', version: 1, set: { status: 'active' } }], 1, known)).rejects.toBeInstanceOf(FencedOutError);
      expect(known.size).toBe(0);
      expect(await model.findById('school:a').lean()).toEqual({ _id: 'school:a', fence: 2, entries: [{ id: 'r1', version: 2, status: 'paused' }] });
    });
  });

  it('a read model trusts what it knows of its groups only within one hold of its lease', async () => {
    // each "event" carries the change it makes
    class Entries extends GroupedReadModel<Record<string, unknown>> {
      readonly name = 'held-groups';
      constructor() {
        super(connection, 'held_groups');
      }
      protected changesOf(events: StoredEvent[]): GroupedChange[] {
        return events.map((e) => e.data as unknown as GroupedChange);
      }
      read = (group: string) => this.entriesOf([group]).then(([entries]) => entries);
    }
    const change = (id: string, status: string) => ({ data: { group: 'school:a', id, version: 1, set: { status } } }) as unknown as StoredEvent;
    const readModel = new Entries();
    await readModel.generations.hold();
    await readModel.apply([change('r1', 'active')], { fence: 1 });
    // the lease lapses; another instance holds it (fence 2) and writes the group; this one holds it again (fence 3)
    readModel.generations.release();
    await upsertNewerInGroups(groupModel('OtherInstance', 'held_groups'), [{ group: 'school:a', id: 'r2', version: 1, set: { status: 'paused' } }], 2);
    await readModel.generations.hold();
    await readModel.apply([change('r3', 'ended')], { fence: 3 });
    expect(await readModel.read('school:a')).toEqual([{ status: 'active' }, { status: 'paused' }, { status: 'ended' }]);
  });
});
