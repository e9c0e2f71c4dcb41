import { connectTestDatabase, dropTestDatabase } from '@cbme/testing';
import { Connection, Schema } from 'mongoose';
import { insertOnce, upsertNewer } from './versioned-upsert';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('upsert');
});
afterAll(() => dropTestDatabase(connection));

describe('upsertNewer', () => {
  it('applies newer changes, ignores older and repeated ones, merges changes to one document', async () => {
    const model = connection.model('Doc', new Schema({ _id: String, status: String, learnerId: String, version: Number }, { versionKey: false }));
    await upsertNewer(model, [
      { id: 'd1', version: 1, set: { status: 'open', learnerId: 'l1' } },
      { id: 'd1', version: 3, set: { status: 'closed' } },
      { id: 'd2', version: 1, set: { status: 'open', learnerId: 'l2' } },
    ]);
    await upsertNewer(model, [
      { id: 'd1', version: 1, set: { status: 'open', learnerId: 'l1' } },
      { id: 'd2', version: 1, set: { status: 'open', learnerId: 'l2' } },
      { id: 'd3', version: 1, set: { status: 'open', learnerId: 'l3' } },
    ]);
    await upsertNewer(model, [{ id: 'd2', version: 2, set: { status: 'closed' } }]);
    const docs = await model.find().sort({ _id: 1 }).lean();
    expect(docs).toEqual([
      { _id: 'd1', status: 'closed', learnerId: 'l1', version: 3 },
      { _id: 'd2', status: 'closed', learnerId: 'l2', version: 2 },
      { _id: 'd3', status: 'open', learnerId: 'l3', version: 1 },
    ]);
  });

  it('updates a batch of stored documents larger than one bulk write (FerretDB hangs on 100 matched updates)', async () => {
    const model = connection.model('Many', new Schema({ _id: String, n: Number, version: Number }, { versionKey: false }));
    const ids = Array.from({ length: 150 }, (_, i) => `m${i}`);
    await upsertNewer(model, ids.map((id) => ({ id, version: 1, set: { n: 1 } })));
    await upsertNewer(model, ids.map((id) => ({ id, version: 2, set: { n: 2 } })));
    expect(await model.countDocuments({ n: 2, version: 2 })).toBe(150);
  }, 30_000);

  it('inserts write-once documents, skipping those stored before or twice in the batch, the first given winning', async () => {
    const model = connection.model('Once', new Schema({ _id: String, n: Number }, { versionKey: false }));
    await insertOnce(model, [{ _id: 'o1', n: 1 }, { _id: 'o2', n: 1 }]);
    const replayed = Array.from({ length: 120 }, (_, i) => ({ _id: `o${i % 60}`, n: 2 }));
    await insertOnce(model, [{ _id: 'o2', n: 3 }, ...replayed]);
    const docs = await model.find().lean();
    expect(docs).toHaveLength(60);
    expect(docs.find((d) => d._id === 'o1')).toEqual({ _id: 'o1', n: 1 });
    expect(docs.find((d) => d._id === 'o2')).toEqual({ _id: 'o2', n: 1 });
    expect(docs.filter((d) => d.n === 2)).toHaveLength(58);
  }, 30_000);
});
