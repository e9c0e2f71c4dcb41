import { Model } from 'mongoose';

/** lookups in flight at once */
const PARALLEL_READS = 32;

/**
 * The documents with these ids that exist, in the order asked: one `_id` lookup each, several in flight at once.
 * FerretDB 1.24 answers `$in` and every filter but `_id` equality by scanning the collection.
 */
export async function findByIds<TDocument>(model: Model<any>, ids: string[], projection?: Record<string, 1>): Promise<TDocument[]> {
  const found: TDocument[] = [];
  for (let i = 0; i < ids.length; i += PARALLEL_READS) {
    const docs = await Promise.all(ids.slice(i, i + PARALLEL_READS).map((id) => model.findById(id, projection).lean<TDocument>()));
    for (const doc of docs) if (doc) found.push(doc as TDocument);
  }
  return found;
}
