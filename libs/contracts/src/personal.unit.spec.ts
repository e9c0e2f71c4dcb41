import { allPublicEvents } from './public-catalog';
import { EventCatalog } from './catalog';
import { mapPaths } from './personal';
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
