import { randomUUID } from 'node:crypto';
import { ENVELOPE_VERSION, EventEnvelope, upcastEnvelope } from './envelope';
import { FeedbackEvents } from './feedback/feedback.events';
import { allPublicEvents, publicCatalog } from './public-catalog';

const envelope = (overrides: Record<string, unknown> = {}) => ({
  eventId: randomUUID(),
  type: 'feedback.goal-set',
  schemaVersion: 3,
  streamId: 'goal-1',
  streamVersion: 1,
  occurredAt: '2026-09-01T10:00:00.000Z',
  tenant: { institutionId: 'inst-1', schoolId: 'med' },
  actor: { userId: 'learner-1', role: 'learner' as const },
  correlationId: 'corr-1',
  causationId: null,
  data: {
    goalId: 'g1', learnerId: 'learner-1', description: 'Present cases concisely',
    measureOfSuccess: 'Attending rates 4/5', competencies: ['ICS'], targetDate: '2026-12-01', visibility: 'shared',
  },
  ...overrides,
});

describe('event catalog', () => {
  const catalog = publicCatalog();

  it('accepts a valid event of the current version', () => {
    const result = catalog.parse(envelope());
    expect(result).toMatchObject({ ok: true, value: { type: 'feedback.goal-set', schemaVersion: 3 } });
  });

  it('reads a v1 envelope (no envelope version, no recordedAt) as recorded when it occurred, from the store and from Kafka', () => {
    const v1 = envelope();
    expect(upcastEnvelope(v1)).toEqual({ ...v1, envelopeVersion: ENVELOPE_VERSION, recordedAt: v1.occurredAt });
    expect(catalog.upcast(v1 as never)).toMatchObject({ envelopeVersion: 2, occurredAt: v1.occurredAt, recordedAt: v1.occurredAt });
    const parsed = catalog.parse(v1);
    expect(parsed.ok && parsed.value).toMatchObject({ envelopeVersion: 2, occurredAt: v1.occurredAt, recordedAt: v1.occurredAt });
    expect(v1).not.toHaveProperty('recordedAt');
  });

  it('keeps both times of a v2 envelope (a backdated event was recorded after it occurred)', () => {
    const parsed = catalog.parse(envelope({ envelopeVersion: 2, recordedAt: '2027-03-03T09:00:00.000Z' }));
    expect(parsed.ok && parsed.value).toMatchObject({ envelopeVersion: 2, occurredAt: '2026-09-01T10:00:00.000Z', recordedAt: '2027-03-03T09:00:00.000Z' });
  });

  it('upcasts goal-set v1 (no measure of success, no visibility) through v2 to v3', () => {
    const { measureOfSuccess: _m, visibility: _v, ...v1Data } = envelope().data;
    const result = catalog.parse(envelope({ schemaVersion: 1, data: v1Data }));
    expect(result.ok && result.value).toMatchObject({ schemaVersion: 3, data: { measureOfSuccess: null, visibility: 'shared' } });
    expect(FeedbackEvents.GoalSet.schemaVersion).toBe(3);
  });

  it('upcasts feedback.dialogue-action-completed v1 to v2 with no outcome recorded (null), and refuses v2 without its word count', () => {
    const ids = { dialogueId: 'd1', learnerId: 'learner-1', actionId: 'a1' };
    const completed = (schemaVersion: number, data: object) => envelope({ type: 'feedback.dialogue-action-completed', streamId: 'feedback-dialogue-d1', schemaVersion, data });
    expect(catalog.parse(completed(1, ids))).toEqual({ ok: true, value: expect.objectContaining({ schemaVersion: 2, data: { ...ids, outcomeWords: null } }) });
    expect(catalog.parse(completed(2, { ...ids, outcomeWords: 7 }))).toMatchObject({ ok: true, value: { data: { outcomeWords: 7 } } });
    expect(catalog.parse(completed(2, ids))).toMatchObject({ ok: false });
    // the outcome's text is the feedback service's own: the public contract does not take it
    expect(catalog.parse(completed(2, { ...ids, outcomeWords: 2, outcome: 'it worked' }))).toMatchObject({ ok: false });
    expect(catalog.parse(envelope({ type: 'feedback.dialogue-action-dropped', schemaVersion: 1, data: { ...ids, reason: 'moved on' } }))).toMatchObject({ ok: false });
    expect(catalog.parse(envelope({ type: 'feedback.dialogue-action-dropped', schemaVersion: 1, data: ids }))).toMatchObject({ ok: true });
  });

  it('upcasts goal-set v2 as a shared goal', () => {
    const { visibility: _v, ...v2Data } = envelope().data;
    const result = catalog.parse(envelope({ schemaVersion: 2, data: v2Data }));
    expect(result.ok && result.value).toEqual(expect.objectContaining({ schemaVersion: 3, data: { ...v2Data, visibility: 'shared' } }));
  });

  it.each([
    ['feedback.goal-revised', { goalId: 'g1', learnerId: 'l1', description: 'Two handovers a week', targetDate: '2027-01-31', rationale: 'Rotation changed' }],
    ['feedback.goal-status-changed', { goalId: 'g1', learnerId: 'l1', from: 'active', to: 'achieved', note: 'done' }],
  ])('upcasts %s v1 to v2 as a shared goal', (type, v1Data) => {
    const result = catalog.parse(envelope({ type, schemaVersion: 1, data: v1Data }));
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ type, schemaVersion: 2, data: { ...v1Data, visibility: 'shared' } }) });
  });

  it.each([
    ['coaching.coach-capacity-set', { coachId: 'c1', capacity: 4 }],
    ['coaching.relationship-resumed', { relationshipId: 'r1', learnerId: 'l1', coachId: 'c1' }],
  ])('reads %s v1 (no reason) as v2, and v2 with its reason', (type, v1Data) => {
    expect(catalog.parse(envelope({ type, schemaVersion: 1, data: v1Data }))).toEqual({ ok: true, value: expect.objectContaining({ type, schemaVersion: 2, data: v1Data }) });
    const withReason = { ...v1Data, reason: 'part-time this term' };
    expect(catalog.parse(envelope({ type, schemaVersion: 2, data: withReason }))).toEqual({ ok: true, value: expect.objectContaining({ schemaVersion: 2, data: withReason }) });
  });

  it('accepts the published form of a private goal without its text, but a shared goal must have it', () => {
    const { description: _d, measureOfSuccess: _m, ...withoutText } = envelope().data;
    expect(catalog.parse(envelope({ data: { ...withoutText, visibility: 'private' } }))).toMatchObject({ ok: true });
    const shared = catalog.parse(envelope({ data: { ...withoutText, visibility: 'shared' } }));
    expect(!shared.ok && shared.reason).toMatch(/description/);
    const badVisibility = catalog.parse(envelope({ data: { ...envelope().data, visibility: 'secret' } }));
    expect(!badVisibility.ok && badVisibility.reason).toMatch(/visibility/);
  });

  it.each([
    ['a non-object', 'not json object', /expected a JSON object/],
    ['an unknown type', envelope({ type: 'feedback.nope' }), /unknown event type feedback.nope/],
    ['a future schema version', envelope({ schemaVersion: 4 }), /newer than this service knows/],
    ['a missing tenant', envelope({ tenant: undefined }), /tenant/],
    ['an unknown payload field', envelope({ data: { ...envelope().data, extra: 1 } }), /property extra should not exist/],
    ['a bad payload value', envelope({ data: { ...envelope().data, targetDate: 'soon' } }), /targetDate/],
    ['a bad role', envelope({ actor: { userId: 'u', role: 'dean' } }), /actor.role/],
    ['a v2 envelope without recordedAt', envelope({ envelopeVersion: 2 }), /recordedAt/],
    ['a future envelope version', envelope({ envelopeVersion: 3, recordedAt: '2026-09-01T10:00:00.000Z' }), /envelopeVersion/],
  ])('rejects %s with a reason', (_label, raw, reason) => {
    const result = catalog.parse(raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });
});

describe('the published form (publicForm)', () => {
  const catalog = publicCatalog();

  it('keeps, of every public event type, only the payload fields its contract declares: a new field is private until declared', () => {
    for (const definition of allPublicEvents) {
      const event = envelope({ type: definition.type, schemaVersion: definition.schemaVersion, data: { undeclaredText: 'SECRET words', learnerId: 'learner-1' } });
      const published = catalog.publicForm(event as unknown as EventEnvelope)!;
      expect(published.type).toBe(definition.type);
      expect(JSON.stringify(published.data)).not.toContain('SECRET');
    }
  });

  it('strips undeclared fields inside declared nested objects too', () => {
    const held = envelope({
      type: 'coaching.meeting-held', schemaVersion: 1,
      data: { meetingId: 'm1', learnerId: 'l1', coachId: 'c1', agenda: ['goals'], notes: [{ visibility: 'coach-only', wordCount: 2, text: 'SECRET note' }] },
    });
    expect(catalog.publicForm(held as unknown as EventEnvelope)!.data).toEqual({ meetingId: 'm1', learnerId: 'l1', coachId: 'c1', agenda: ['goals'], notes: [{ visibility: 'coach-only', wordCount: 2 }] });
  });

  it('publishes nothing of a type the contract does not hold (an audit export, an import\'s own stream)', () => {
    expect(catalog.publicForm(envelope({ type: 'audit.record-exported' }) as unknown as EventEnvelope)).toBeNull();
    expect(catalog.publicForm(envelope({ type: 'feedback.history-import-started' }) as unknown as EventEnvelope)).toBeNull();
  });

  it('publishes an event stored in an older schema version in the current one', () => {
    const v2 = FeedbackEvents.GoalSet.schemaVersion - 1;
    const older = envelope({ schemaVersion: v2 });
    expect(catalog.publicForm(older as unknown as EventEnvelope)).toMatchObject({ schemaVersion: FeedbackEvents.GoalSet.schemaVersion });
  });
});
