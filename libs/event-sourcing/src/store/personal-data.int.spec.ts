import { allPublicEvents, defineEvent, EventCatalog, Personal } from '@cbme/contracts';
import { connectTestDatabase, dropTestDatabase, pendingEvent } from '@cbme/testing';
import { IsString } from 'class-validator';
import { Connection } from 'mongoose';
import { randomBytes, randomUUID } from 'node:crypto';
import { MongoEventStore } from './mongo-event-store';
import { ERASED, MongoDataKeys, PersonalDataCipher } from './personal-data';
import { describeVerification, verifyEventStore } from './verify-event-store';

/** A stored form without a subject field, as a dialogue's entry: its text belongs to the stream's subject. */
class NoteWritten {
  @IsString() dialogueId: string;
  @Personal() @IsString() text: string;
}
const catalog = new EventCatalog([...allPublicEvents, defineEvent('test.note-written', NoteWritten)]);

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('personal');
});
afterAll(() => dropTestDatabase(connection));

async function storeWithKeys() {
  const collection = `events_${randomUUID().slice(0, 8)}`;
  const keys = new MongoDataKeys(connection, randomBytes(32), `${collection}_keys`);
  const store = new MongoEventStore(connection, { collection, personalData: new PersonalDataCipher(catalog, keys) });
  await store.init();
  return { collection, keys, store };
}

/** Every document of the store's collections as JSON: where a unique string would show. */
async function rawContent(collection: string): Promise<string> {
  const names = [collection, `${collection}_positions`, `${collection}_placed`, `${collection}_keys`];
  const docs = await Promise.all(names.map((name) => connection.collection(name).find({}).toArray()));
  return JSON.stringify(docs);
}

describe('personal fields in a MongoEventStore (crypto-shredding)', () => {
  it('are stored encrypted, read in the clear, and read as erased once the subject is erased, the chain verifying throughout', async () => {
    const { collection, keys, store } = await storeWithKeys();
    const learnerId = `lea-${randomUUID()}`;
    const topic = `topic-${randomUUID()}`;
    const text = `note-${randomUUID()}`;
    const stream = `dialogue-${randomUUID()}`;
    await store.append(stream, 0, [pendingEvent('feedback.dialogue-opened', { dialogueId: 'd1', learnerId, coachId: 'c1', topic, competencies: [] })]);
    await store.append(stream, 1, [pendingEvent('test.note-written', { dialogueId: 'd1', text })]);
    await store.append('other', 'no-stream', [pendingEvent('feedback.dialogue-opened', { dialogueId: 'd2', learnerId: 'lea-other', coachId: 'c1', topic: 'kept', competencies: [] })]);

    expect((await store.readStream(stream)).map((e) => e.data)).toEqual([expect.objectContaining({ topic }), { dialogueId: 'd1', text }]);
    const stored = await rawContent(collection);
    expect(stored).not.toContain(topic);
    expect(stored).not.toContain(text);
    expect(describeVerification(await verifyEventStore(connection, { collection }))).toBe('verified: 3 events, 0 checkpoints');

    await keys.erase(learnerId);
    // a fresh process (no cached key, no cached stream) reads the same
    const fresh = new MongoEventStore(connection, { collection, personalData: new PersonalDataCipher(catalog, new MongoDataKeys(connection, randomBytes(32), `${collection}_keys`)) });
    for (const reader of [store, fresh]) {
      expect((await reader.readStream(stream)).map((e) => e.data)).toEqual([expect.objectContaining({ topic: ERASED, learnerId }), { dialogueId: 'd1', text: ERASED }]);
    }
    expect((await store.readCommitsAfter(0, 10)).map((c) => (c.events[0].data as { topic?: string; text?: string }).topic ?? (c.events[0].data as { text: string }).text))
      .toEqual([ERASED, ERASED, 'kept']);
    expect(describeVerification(await verifyEventStore(connection, { collection }))).toBe('verified: 3 events, 0 checkpoints');

    // a late event about the erased subject keeps no text, and no new key is made for them
    const late = `late-${randomUUID()}`;
    await store.append(stream, 2, [pendingEvent('test.note-written', { dialogueId: 'd1', text: late })]);
    expect((await store.readStream(stream)).at(-1)?.data).toEqual({ dialogueId: 'd1', text: ERASED });
    expect(await rawContent(collection)).not.toContain(late);
    expect(await keys.existingKey(learnerId)).toBeNull();
  });

  it('refuses an event whose personal fields have no subject rather than store them in the clear', async () => {
    const { store } = await storeWithKeys();
    await expect(store.append(`dialogue-${randomUUID()}`, 0, [pendingEvent('test.note-written', { dialogueId: 'd1', text: 'orphan' })])).rejects.toThrow('personal fields without a subject');
  });

  it('keeps the keys it read until another instance erases a subject, then drops them within the check interval', async () => {
    const { collection } = await storeWithKeys();
    const master = randomBytes(32);
    const [here, there] = [new MongoDataKeys(connection, master, `${collection}_keys`, 200), new MongoDataKeys(connection, master, `${collection}_keys`, 200)];
    const key = await here.keyFor('lea-kept');
    const other = await here.keyFor('lea-other');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // past the interval with no erasure: the cached keys stand
    expect((await here.existingKey('lea-kept'))?.equals(key as Buffer)).toBe(true);
    await there.erase('lea-kept');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await here.existingKey('lea-kept')).toBeNull();
    // every key was dropped and read again: the others are unchanged
    expect((await here.existingKey('lea-other'))?.equals(other as Buffer)).toBe(true);
    expect(await there.keyFor('lea-kept')).toBeNull();
  });

  it('gives two writers racing to make a subject\'s first key the same key', async () => {
    const { collection } = await storeWithKeys();
    const master = randomBytes(32);
    const [a, b] = [new MongoDataKeys(connection, master, `${collection}_keys`), new MongoDataKeys(connection, master, `${collection}_keys`)];
    const [first, second] = await Promise.all([a.keyFor('lea-race'), b.keyFor('lea-race')]);
    expect(first?.equals(second as Buffer)).toBe(true);
  });
});
