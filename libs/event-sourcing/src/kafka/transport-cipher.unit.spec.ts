import { allPublicEvents, EventCatalog } from '@cbme/contracts';
import { randomBytes } from 'node:crypto';
import { ERASED } from '../store/personal-data';
import { openFromTransport, sealForTransport, TransportKeyRing, transportSubject, unwrapTransportKey, wrapTransportKey } from './transport-cipher';

const catalog = new EventCatalog(allPublicEvents);
const opened = (learnerId: string, topic: string) => ({ type: 'feedback.dialogue-opened', data: { dialogueId: 'd1', learnerId, coachId: 'c1', topic, competencies: ['ICS'] } });

describe('transport encryption of personal fields', () => {
  const key = randomBytes(32);

  it('seals only the personal fields, under the subject, and opens them with the same key', () => {
    const sealed = sealForTransport(catalog, opened('lea', 'my first rotation'), () => key);
    expect(sealed.data).toMatchObject({ dialogueId: 'd1', learnerId: 'lea', coachId: 'c1', competencies: ['ICS'] });
    expect(transportSubject(sealed.data.topic)).toBe('lea');
    expect(JSON.stringify(sealed)).not.toContain('my first rotation');
    expect(openFromTransport(sealed, (s) => (s === 'lea' ? key : undefined))).toEqual({ event: opened('lea', 'my first rotation') });
  });

  it('names the subjects whose keys are not known yet, and reads a tombstoned subject as erased', () => {
    const sealed = sealForTransport(catalog, opened('lea', 'erase me'), () => key);
    expect(openFromTransport(sealed, () => undefined)).toEqual({ missing: ['lea'] });
    expect(openFromTransport(sealed, () => null)).toEqual({ event: opened('lea', ERASED) });
  });

  it('accepts a clear message published before the encryption', () => {
    expect(openFromTransport(opened('lea', 'old text'), () => undefined)).toEqual({ event: opened('lea', 'old text') });
  });

  it('refuses a field sealed under another key rather than reading it as erased', () => {
    const sealed = sealForTransport(catalog, opened('lea', 'text'), () => key);
    expect(() => openFromTransport(sealed, () => randomBytes(32))).toThrow();
  });

  it('wraps a transport key so that only the master key unwraps it', () => {
    const master = randomBytes(32);
    const wrapped = wrapTransportKey(master, 'lea', key);
    expect(wrapped).not.toContain(key.toString('base64'));
    expect(unwrapTransportKey(master, wrapped)).toEqual(key);
    expect(() => unwrapTransportKey(randomBytes(32), wrapped)).toThrow();
  });

  it('keeps the keys read from a key topic, a tombstone as erased, and forgets the least recently used beyond its bound', () => {
    const master = randomBytes(32);
    const ring = new TransportKeyRing(master, 2);
    ring.apply('lea', wrapTransportKey(master, 'lea', key));
    ring.apply('max', wrapTransportKey(master, 'max', key));
    const sealed = sealForTransport(catalog, opened('lea', 'text'), () => key);
    expect(openFromTransport(sealed, ring.lookup)).toEqual({ event: opened('lea', 'text') });
    ring.apply('lea', null);
    expect(openFromTransport(sealed, ring.lookup)).toEqual({ event: opened('lea', ERASED) });
    ring.apply('ida', wrapTransportKey(master, 'ida', key));
    expect([ring.lookup('max'), ring.lookup('lea')]).toEqual([undefined, null]);
  });
});
