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

describe('community session publication', () => {
  const session = (type: string, data: object): StoredEvent => ({ ...held, type, streamId: 'coaching-community-med-house-osler', data });
  const cases = [
    session('coaching.community-session-scheduled', { communityId: 'h', sessionId: 's1', kind: 'coach-meeting', title: 'Case review', startsAt: '2026-10-01T16:00:00.000Z', durationMinutes: 60, location: 'Room SECRET' }),
    session('coaching.community-session-rescheduled', { communityId: 'h', sessionId: 's1', startsAt: '2026-10-08T16:00:00.000Z', durationMinutes: 60, reason: 'SECRET clash' }),
    session('coaching.community-session-cancelled', { communityId: 'h', sessionId: 's1', reason: 'SECRET illness' }),
  ];
  it('stores where and why, and publishes neither', () => {
    for (const stored of cases) {
      const { position: _p, ...envelope } = stored;
      expect(coachingCatalog().parse(envelope)).toMatchObject({ ok: true });
      const published = coachingPublication(stored)!;
      expect(JSON.stringify(published)).not.toContain('SECRET');
      expect(publicCatalog().parse(published)).toMatchObject({ ok: true });
      expect(publicCatalog().parse(envelope)).toMatchObject({ ok: false });
    }
  });
  it('publishes topics and attendance as they are', () => {
    const held2 = session('coaching.community-session-held', { communityId: 'h', sessionId: 's1', kind: 'faculty-development', startsAt: '2026-10-01T16:00:00.000Z', topics: ['Bias'], attendees: ['c1'], absentees: ['c2'] });
    const { position: _p, ...envelope } = held2;
    expect(coachingPublication(held2)).toEqual(envelope);
  });
});

describe('personal fields of coaching\'s stored forms', () => {
  it('are the meeting notes\' text, about the meeting\'s learner', () => {
    expect(coachingCatalog().personalFields('coaching.meeting-held')).toEqual({ paths: ['notes[].text'], subjectField: 'learnerId' });
  });
});
