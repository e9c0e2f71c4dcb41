import { publicCatalog } from '@cbme/contracts';
import { StoredEvent } from '@cbme/event-sourcing';
import { feedbackCatalog, feedbackPublication } from './feedback-catalog';

const entry: StoredEvent = {
  eventId: '0b6f3c9e-2a8e-4d4a-9d57-1b1c2f3e4d5a', type: 'feedback.dialogue-entry-added', schemaVersion: 1,
  streamId: 'feedback-dialogue-d1', streamVersion: 2, position: 7, occurredAt: '2026-09-01T10:00:00.000Z',
  tenant: { institutionId: 'inst', schoolId: 'med' }, actor: { userId: 'lea', role: 'learner' },
  correlationId: 'c1', causationId: null,
  data: { dialogueId: 'd1', entryId: 'e1', authorId: 'lea', visibility: 'private', wordCount: 3, text: 'I felt rushed' },
};

describe('feedback publication', () => {
  it('keeps entry text in the feedback store but never publishes it', () => {
    const { position: _position, ...stored } = entry;
    expect(feedbackCatalog().parse(stored)).toMatchObject({ ok: true, value: { data: { text: 'I felt rushed' } } });
    const published = feedbackPublication(entry)!;
    expect(published.data).toEqual({ dialogueId: 'd1', entryId: 'e1', authorId: 'lea', visibility: 'private', wordCount: 3 });
    expect(published).not.toHaveProperty('position');
    expect(publicCatalog().parse(published)).toMatchObject({ ok: true });
  });

  it('publishes other events as stored', () => {
    const closed = { ...entry, type: 'feedback.dialogue-closed', data: { dialogueId: 'd1', learnerId: 'lea' } };
    const { position: _p, ...envelope } = closed;
    expect(feedbackPublication(closed)).toEqual(envelope);
  });
});
