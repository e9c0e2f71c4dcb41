import { ENVELOPE_VERSION, EventEnvelope } from '@cbme/contracts';
import { randomUUID } from 'node:crypto';

/**
 * An event ready to append (the store assigns stream id and version and stamps recordedAt), with test defaults; its
 * occurredAt is kept as given, as a backdated event's is.
 */
export function pendingEvent(
  type = 'feedback.dialogue-opened',
  data: object = { n: 1 },
  occurredAt = '2026-09-01T10:00:00.000Z',
): Omit<EventEnvelope, 'streamId' | 'streamVersion' | 'envelopeVersion' | 'recordedAt'> {
  return {
    eventId: randomUUID(), type, schemaVersion: 1, data, occurredAt,
    tenant: { institutionId: 'inst', schoolId: 'med' },
    actor: { userId: 'u1', role: 'learner' },
    correlationId: randomUUID(), causationId: null,
  };
}

/**
 * A complete envelope as another service would publish it, for tests that put events on a topic themselves
 * (to play a service that cannot emit them yet, or to replay history); `overrides` set tenant, actor, version.
 */
export function publishedEvent(
  type: string,
  streamId: string,
  streamVersion: number,
  data: object,
  overrides: Partial<Omit<EventEnvelope, 'type' | 'streamId' | 'streamVersion' | 'data'>> = {},
): EventEnvelope {
  const now = new Date().toISOString();
  return { ...pendingEvent(type, data, now), envelopeVersion: ENVELOPE_VERSION, recordedAt: now, streamId, streamVersion, ...overrides };
}
