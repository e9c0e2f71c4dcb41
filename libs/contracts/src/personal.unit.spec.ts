import { allPublicEvents } from './public-catalog';
import { EventCatalog } from './catalog';
import { ERASED, mapPaths } from './personal';
import { RetentionEvents } from './identity/retention.events';

/** Every personal field of a catalog, by event type: what a store encrypts and an erasure destroys. */
function personalFieldsOf(catalog: EventCatalog, types: string[]): Record<string, { paths: string[]; subjectField?: string }> {
  return Object.fromEntries(types.flatMap((type) => {
    const fields = catalog.personalFields(type);
    return fields ? [[type, fields]] : [];
  }));
}

describe('personal fields of the public contract', () => {
  it('are the names, e-mail addresses, reasons, topics and goal text, each with the field naming whom they are about', () => {
    expect(personalFieldsOf(new EventCatalog(allPublicEvents), allPublicEvents.map((d) => d.type))).toEqual({
      'identity.user-registered': { paths: ['email', 'displayName'], subjectField: 'userId' },
      'identity.user-deactivated': { paths: ['reason'], subjectField: 'userId' },
      'identity.learner-withdrawn': { paths: ['reason'], subjectField: 'userId' },
      'feedback.dialogue-opened': { paths: ['topic', 'assessor.name'], subjectField: 'learnerId' },
      'feedback.goal-set': { paths: ['description', 'measureOfSuccess'], subjectField: 'learnerId' },
      'feedback.goal-drafted': { paths: ['description', 'measureOfSuccess'], subjectField: 'learnerId' },
      'feedback.goal-revised': { paths: ['description', 'rationale'], subjectField: 'learnerId' },
      'feedback.goal-status-changed': { paths: ['note'], subjectField: 'learnerId' },
    });
  });
});

describe('personal fields of identity\'s retention events (stored, never published)', () => {
  it('are the reason of a dismissal, about the learner it names; neither the policy nor a proposal holds any', () => {
    const retention = Object.values(RetentionEvents);
    expect(personalFieldsOf(new EventCatalog(retention), retention.map((d) => d.type))).toEqual({
      'identity.erasure-proposal-dismissed': { paths: ['reason'], subjectField: 'userId' },
    });
    const published = new Set(allPublicEvents.map((d) => d.type));
    expect(retention.filter((d) => published.has(d.type))).toEqual([]);
  });
});

describe('mapPaths', () => {
  const upper = (value: string) => value.toUpperCase();

  it('changes the strings at top-level, nested and array paths, arrays of strings included', () => {
    const data = { a: 'x', keep: 'k', inner: { b: 'y' }, list: [{ c: 'z', d: 'd' }, { c: 'w' }], steps: ['s', 't'] };
    expect(mapPaths(data, ['a', 'inner.b', 'list[].c', 'steps'], upper)).toEqual({
      a: 'X', keep: 'k', inner: { b: 'Y' }, list: [{ c: 'Z', d: 'd' }, { c: 'W' }], steps: ['S', 'T'],
    });
    expect(data.a).toBe('x');
  });

  it('leaves absent, null and non-string values as they are', () => {
    expect(mapPaths({ a: null, n: 3 }, ['a', 'n', 'missing', 'inner.b'], upper)).toEqual({ a: null, n: 3 });
  });
});

describe('a received event of an erased person', () => {
  const envelope = (data: object) => ({
    envelopeVersion: 2, eventId: '6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', type: 'identity.user-registered', schemaVersion: 1, streamId: 'identity-user-u-1', streamVersion: 1,
    occurredAt: '2026-09-01T10:00:00.000Z', recordedAt: '2026-09-01T10:00:00.000Z', tenant: { institutionId: 'i', schoolId: 's' },
    actor: { userId: 'a', role: 'school-admin' }, correlationId: '7f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', causationId: null, data,
  });
  const catalog = new EventCatalog(allPublicEvents);

  it('is valid with "[erased]" in its personal fields, though an e-mail address would be asked there', () => {
    expect(catalog.parse(envelope({ userId: 'u-1', email: ERASED, displayName: ERASED }))).toMatchObject({ ok: true, value: { data: { email: ERASED } } });
  });

  it('is still refused for what is wrong elsewhere, or for a personal field that is neither valid nor erased', () => {
    expect(catalog.parse(envelope({ userId: '', email: ERASED, displayName: ERASED }))).toMatchObject({ ok: false, reason: expect.stringContaining('userId') });
    expect(catalog.parse(envelope({ userId: 'u-1', email: 'not an address', displayName: ERASED }))).toMatchObject({ ok: false, reason: expect.stringContaining('email') });
  });
});
