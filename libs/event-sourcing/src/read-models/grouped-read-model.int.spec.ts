import { connectTestDatabase, dropTestDatabase } from '@cbme/testing';
import { Connection, Schema } from 'mongoose';
import { FencedOutError } from '../projections/checkpoint-store';
import { upsertNewerInGroups } from './grouped-read-model';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('groups');
});
afterAll(() => dropTestDatabase(connection));

const groupModel = (name: string) => connection.model(name, new Schema({ _id: String, entries: [Schema.Types.Mixed], fence: Number }, { versionKey: false }));

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
});
