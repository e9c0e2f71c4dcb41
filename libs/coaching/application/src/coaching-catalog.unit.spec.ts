import { publicCatalog } from '@cbme/contracts';
import { StoredEvent } from '@cbme/event-sourcing';
import { coachingCatalog, coachingPublication } from './coaching-catalog';

const held: StoredEvent = {
  eventId: '5b6f3c9e-2a8e-4d4a-9d57-1b1c2f3e4d5a', type: 'coaching.meeting-held', schemaVersion: 1,
  streamId: 'coaching-meeting-med-m1', streamVersion: 2, position: 9, occurredAt: '2026-09-10T15:00:00.000Z', envelopeVersion: 2, recordedAt: '2026-09-10T15:00:00.000Z',
  tenant: { institutionId: 'inst', schoolId: 'med' }, actor: { userId: 'coa', role: 'coach' },
  correlationId: 'c1', causationId: null,
  data: {
    meetingId: 'm1', learnerId: 'lea', coachId: 'coa', agenda: ['goals'],
    notes: [{ visibility: 'coach-only', wordCount: 3, text: 'seems very tired' }, { visibility: 'shared-with-learner', wordCount: 2, text: 'plan ahead' }],
  },
};

describe('coaching publication', () => {
  it('keeps meeting note text in the coaching store but never publishes it', () => {
    const { position: _position, ...stored } = held;
    expect(coachingCatalog().parse(stored)).toMatchObject({ ok: true, value: { data: { notes: [{ text: 'seems very tired' }, { text: 'plan ahead' }] } } });
    const published = coachingPublication(held)!;
    expect(published.data).toEqual({
      meetingId: 'm1', learnerId: 'lea', coachId: 'coa', agenda: ['goals'],
      notes: [{ visibility: 'coach-only', wordCount: 3 }, { visibility: 'shared-with-learner', wordCount: 2 }],
    });
    expect(JSON.stringify(published)).not.toContain('tired');
    expect(publicCatalog().parse(published)).toMatchObject({ ok: true });
  });

  it('refuses a published meeting that smuggles note text in', () => {
    const { position: _p, ...stored } = held;
    expect(publicCatalog().parse(stored)).toMatchObject({ ok: false, reason: expect.stringContaining('text') });
  });

  it('publishes other events as stored', () => {
    const missed = { ...held, type: 'coaching.meeting-missed', data: { meetingId: 'm1', learnerId: 'lea', coachId: 'coa' } };
    const { position: _p, ...envelope } = missed;
    expect(coachingPublication(missed)).toEqual(envelope);
  });
});
