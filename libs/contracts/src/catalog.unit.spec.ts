import { randomUUID } from 'node:crypto';
import { FeedbackEvents } from './feedback/feedback.events';
import { publicCatalog } from './public-catalog';

const envelope = (overrides: Record<string, unknown> = {}) => ({
  eventId: randomUUID(),
  type: 'feedback.goal-set',
  schemaVersion: 2,
  streamId: 'goal-1',
  streamVersion: 1,
  occurredAt: '2026-09-01T10:00:00.000Z',
  tenant: { institutionId: 'inst-1', schoolId: 'med' },
  actor: { userId: 'learner-1', role: 'learner' },
  correlationId: 'corr-1',
  causationId: null,
  data: {
    goalId: 'g1', learnerId: 'learner-1', description: 'Present cases concisely',
    measureOfSuccess: 'Attending rates 4/5', competencies: ['ICS'], targetDate: '2026-12-01',
  },
  ...overrides,
});

describe('event catalog', () => {
  const catalog = publicCatalog();

  it('accepts a valid event of the current version', () => {
    const result = catalog.parse(envelope());
    expect(result).toMatchObject({ ok: true, value: { type: 'feedback.goal-set', schemaVersion: 2 } });
  });

  it('upcasts goal-set v1 (no measure of success) to v2', () => {
    const v1 = envelope({ schemaVersion: 1 });
    delete (v1.data as Record<string, unknown>).measureOfSuccess;
    const result = catalog.parse(v1);
    expect(result.ok && result.value).toMatchObject({ schemaVersion: 2, data: { measureOfSuccess: null } });
    expect(FeedbackEvents.GoalSet.schemaVersion).toBe(2);
  });

  it.each([
    ['a non-object', 'not json object', /expected a JSON object/],
    ['an unknown type', envelope({ type: 'feedback.nope' }), /unknown event type feedback.nope/],
    ['a future schema version', envelope({ schemaVersion: 3 }), /newer than this service knows/],
    ['a missing tenant', envelope({ tenant: undefined }), /tenant/],
    ['an unknown payload field', envelope({ data: { ...envelope().data, extra: 1 } }), /property extra should not exist/],
    ['a bad payload value', envelope({ data: { ...envelope().data, targetDate: 'soon' } }), /targetDate/],
    ['a bad role', envelope({ actor: { userId: 'u', role: 'dean' } }), /actor.role/],
  ])('rejects %s with a reason', (_label, raw, reason) => {
    const result = catalog.parse(raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });
});
