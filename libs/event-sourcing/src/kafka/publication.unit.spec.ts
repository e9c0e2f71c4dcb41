import { publishedEvent } from '@cbme/testing';
import { publishAsStored } from './outbox-relay';

describe('the published form of a stored event', () => {
  it('carries both times and only the envelope fields the contract names', () => {
    const event = publishedEvent('feedback.dialogue-closed', 'feedback-dialogue-d1', 3, { dialogueId: 'd1' }, { occurredAt: '2025-03-01T09:00:00.000Z' });
    const stored = { ...event, position: 12, importedFrom: 'old-system.jsonl', tenant: { ...event.tenant, note: 'x' } };
    expect(publishAsStored(stored)).toEqual({ ...event, occurredAt: '2025-03-01T09:00:00.000Z', recordedAt: event.recordedAt });
    expect(Object.keys(publishAsStored(stored)!).sort()).toEqual([
      'actor', 'causationId', 'correlationId', 'data', 'envelopeVersion', 'eventId', 'occurredAt', 'recordedAt', 'schemaVersion', 'streamId', 'streamVersion', 'tenant', 'type',
    ]);
  });
});
