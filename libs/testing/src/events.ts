import { EventEnvelope } from '@cbme/contracts';
import { randomUUID } from 'node:crypto';

/** An event ready to append (the store assigns stream id and version), with test defaults. */
export function pendingEvent(
  type = 'feedback.dialogue-opened',
  data: object = { n: 1 },
  occurredAt = '2026-09-01T10:00:00.000Z',
): Omit<EventEnvelope, 'streamId' | 'streamVersion'> {
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
  return { ...pendingEvent(type, data, new Date().toISOString()), streamId, streamVersion, ...overrides };
}
