import { allPublicEvents, EventCatalog } from '@cbme/contracts';
import { randomBytes } from 'node:crypto';
import { decryptField, encryptField, ERASED, InMemoryDataKeys, PersonalDataCipher, sealedSubject } from './personal-data';

const opened = (learnerId: string, topic: string) => ({ type: 'feedback.dialogue-opened', data: { dialogueId: 'd1', learnerId, coachId: 'c1', topic, competencies: ['ICS'] } });

describe('PersonalDataCipher', () => {
  const noStream = async () => undefined;

  it('seals only the marked fields, with the subject readable and the text not', async () => {
    const cipher = new PersonalDataCipher(new EventCatalog(allPublicEvents), new InMemoryDataKeys());
    const [sealed] = await cipher.seal([opened('lea', 'my first rotation')], noStream);
    const data = sealed.data as Record<string, unknown>;
    expect(data).toMatchObject({ dialogueId: 'd1', learnerId: 'lea', coachId: 'c1', competencies: ['ICS'] });
    expect(sealedSubject(data['topic'] as string)).toBe('lea');
    expect(JSON.stringify(sealed)).not.toContain('my first rotation');
    expect(await cipher.open([sealed])).toEqual([opened('lea', 'my first rotation')]);
  });

  it('reads an erased subject\'s fields as erased and leaves other subjects\' as they were', async () => {
    const keys = new InMemoryDataKeys();
    const cipher = new PersonalDataCipher(new EventCatalog(allPublicEvents), keys);
    const sealed = await cipher.seal([opened('lea', 'erase me'), opened('other', 'keep me')], noStream);
    await keys.erase('lea');
    expect((await cipher.open(sealed)).map((e) => e.data.topic)).toEqual([ERASED, 'keep me']);
  });

  it('refuses a sealed field that was altered, rather than reading it as erased', () => {
    const key = randomBytes(32);
    const sealed = encryptField(key, 'lea', 'text');
    const altered = `${sealed.slice(0, -2)}${sealed.at(-2) === 'A' ? 'B' : 'A'}${sealed.at(-1)}`;
    expect(decryptField(key, sealed)).toBe('text');
    expect(() => decryptField(key, altered)).toThrow();
    expect(() => decryptField(randomBytes(32), sealed)).toThrow();
  });

  it('leaves values stored in the clear before encryption as they are', async () => {
    const cipher = new PersonalDataCipher(new EventCatalog(allPublicEvents), new InMemoryDataKeys());
    expect(await cipher.open([opened('lea', 'stored before')])).toEqual([opened('lea', 'stored before')]);
  });
});
