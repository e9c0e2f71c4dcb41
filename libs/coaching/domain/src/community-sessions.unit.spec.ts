import { spec } from '@cbme/decider';
import { CommunityEvent, learningCommunityDecider, membersAt, membershipTimeline, NO_SESSION } from './learning-community.decider';

const given = spec(learningCommunityDecider).given;
const communityId = 'house-osler';
const created: CommunityEvent = { type: 'coaching.community-created', data: { communityId, name: 'Osler House' } };
const scheduled: CommunityEvent = {
  type: 'coaching.community-session-scheduled',
  data: { communityId, sessionId: 's1', kind: 'coach-meeting', title: 'Case review', startsAt: '2026-10-01T16:00:00.000Z', durationMinutes: 60, location: 'Room 4' },
};
const before = '2026-09-01T09:00:00.000Z';
const after = '2026-10-01T18:00:00.000Z';
// c1 all along; c2 joined after the session started; c3 left before it; c4 left after it
const membership = [
  { coachId: 'c1', joinedAt: '2026-08-01T00:00:00.000Z' },
  { coachId: 'c2', joinedAt: '2026-10-01T17:00:00.000Z' },
  { coachId: 'c3', joinedAt: '2026-08-01T00:00:00.000Z', leftAt: '2026-09-15T00:00:00.000Z' },
  { coachId: 'c4', joinedAt: '2026-08-01T00:00:00.000Z', leftAt: '2026-10-02T00:00:00.000Z' },
];
const schedule = (data: Partial<{ sessionId: string; title: string; startsAt: string; location: string }> = {}) => ({
  type: 'ScheduleCommunitySession' as const,
  data: { sessionId: 's1', kind: 'coach-meeting' as const, title: 'Case review', startsAt: '2026-10-01T16:00:00.000Z', durationMinutes: 60, now: before, ...data },
});
const record = (data: Partial<{ topics: string[]; attendees: string[]; now: string }> = {}) => ({
  type: 'RecordCommunitySessionHeld' as const,
  data: { sessionId: 's1', topics: ['Giving feedback'], attendees: ['c1'], now: after, membership, ...data },
});

describe('community sessions: scheduling', () => {
  it('schedules a session in the future, trimmed, with its location', () => {
    expect(given([created]).when(schedule({ title: ' Case review ', location: ' Room 4 ' })).events()).toEqual([scheduled]);
  });
  it('leaves out a blank location', () => {
    const [event] = given([created]).when(schedule({ location: '  ' })).events();
    expect(event.data).not.toHaveProperty('location');
  });
  it('refuses a session in the past, at the start field', () => {
    expect(given([created]).when(schedule({ startsAt: '2026-08-31T09:00:00.000Z' })).error()).toMatchObject({ kind: 'rule-violated', field: 'startsAt' });
  });
  it('refuses a blank title', () => {
    expect(given([created]).when(schedule({ title: '   ' })).error()).toMatchObject({ kind: 'rule-violated', field: 'title' });
  });
  it('refuses a session id twice, and a community that does not exist', () => {
    expect(given([created, scheduled]).when(schedule()).error()).toMatchObject({ kind: 'invalid-state' });
    expect(given([]).when(schedule()).error()).toMatchObject({ kind: 'not-found', message: 'no such learning community' });
  });
});

describe('community sessions: rescheduling and cancelling', () => {
  const reschedule = (startsAt: string, now = before) => ({ type: 'RescheduleCommunitySession' as const, data: { sessionId: 's1', startsAt, reason: ' Clash ', now } });
  it('moves a scheduled session, keeping its duration, and records nothing for the same time', () => {
    expect(given([created, scheduled]).when(reschedule('2026-10-08T16:00:00.000Z')).events()).toEqual([
      { type: 'coaching.community-session-rescheduled', data: { communityId, sessionId: 's1', startsAt: '2026-10-08T16:00:00.000Z', durationMinutes: 60, reason: 'Clash' } },
    ]);
    expect(given([created, scheduled]).when(reschedule('2026-10-01T16:00:00.000Z')).events()).toEqual([]);
  });
  it('refuses to move a session into the past or an unknown session', () => {
    expect(given([created, scheduled]).when(reschedule('2026-08-01T16:00:00.000Z')).error()).toMatchObject({ kind: 'rule-violated', field: 'startsAt' });
    expect(given([created]).when(reschedule('2026-10-08T16:00:00.000Z')).error()).toMatchObject({ kind: 'not-found', message: NO_SESSION });
  });
  it('cancels with a reason, once', () => {
    const cancelled = given([created, scheduled]).when({ type: 'CancelCommunitySession', data: { sessionId: 's1', reason: 'Strike' } }).events();
    expect(cancelled).toEqual([{ type: 'coaching.community-session-cancelled', data: { communityId, sessionId: 's1', reason: 'Strike' } }]);
    expect(given([created, scheduled, ...cancelled]).when({ type: 'CancelCommunitySession', data: { sessionId: 's1', reason: 'Again' } }).error()).toMatchObject({ kind: 'invalid-state' });
    expect(given([created, scheduled, ...cancelled]).when(record()).error()).toMatchObject({ kind: 'invalid-state' });
    expect(given([created, scheduled]).when({ type: 'CancelCommunitySession', data: { sessionId: 's1', reason: ' ' } }).error()).toMatchObject({ kind: 'rule-violated', field: 'reason' });
  });
});

describe('community sessions: recording held', () => {
  it('records topics, who attended and which members did not', () => {
    expect(given([created, scheduled]).when(record({ topics: [' Giving feedback ', 'Giving feedback', 'Bias'], attendees: ['c1', 'c1'] })).events()).toEqual([
      { type: 'coaching.community-session-held', data: { communityId, sessionId: 's1', kind: 'coach-meeting', startsAt: '2026-10-01T16:00:00.000Z', topics: ['Giving feedback', 'Bias'], attendees: ['c1'], absentees: ['c4'] } },
    ]);
  });
  it('accepts only members at the session time as attendees', () => {
    for (const stranger of ['c2', 'c3', 'nobody']) {
      expect(given([created, scheduled]).when(record({ attendees: ['c1', stranger] })).error()).toMatchObject({ kind: 'rule-violated', field: 'attendees' });
    }
    expect(given([created, scheduled]).when(record({ attendees: ['c4'] })).events()[0].data).toMatchObject({ attendees: ['c4'], absentees: ['c1'] });
  });
  it('refuses a session that has not started yet, judged by the command time', () => {
    expect(given([created, scheduled]).when(record({ now: '2026-10-01T15:59:00.000Z' })).error()).toMatchObject({ kind: 'rule-violated' });
  });
  it('needs a topic, and records a session once', () => {
    expect(given([created, scheduled]).when(record({ topics: [' '] })).error()).toMatchObject({ kind: 'rule-violated', field: 'topics' });
    const held = given([created, scheduled]).when(record()).events();
    expect(given([created, scheduled, ...held]).when(record()).error()).toMatchObject({ kind: 'invalid-state', message: 'the session is already held' });
  });
});

describe('membership over time', () => {
  it('reads stretches of membership from the history, a coach who rejoined twice', () => {
    const at = (occurredAt: string, type: string, coachId: string) => ({ type, data: { communityId, coachId }, occurredAt });
    const timeline = membershipTimeline([
      at('2026-01-01T00:00:00.000Z', 'coaching.community-coach-joined', 'c1'),
      at('2026-02-01T00:00:00.000Z', 'coaching.community-coach-left', 'c1'),
      at('2026-03-01T00:00:00.000Z', 'coaching.community-coach-joined', 'c1'),
    ]);
    expect(timeline).toEqual([
      { coachId: 'c1', joinedAt: '2026-01-01T00:00:00.000Z', leftAt: '2026-02-01T00:00:00.000Z' },
      { coachId: 'c1', joinedAt: '2026-03-01T00:00:00.000Z' },
    ]);
    expect(membersAt(timeline, '2026-02-15T00:00:00.000Z')).toEqual([]);
    expect(membersAt(timeline, '2026-01-15T00:00:00.000Z')).toEqual(['c1']);
    expect(membersAt(timeline, '2026-04-01T00:00:00.000Z')).toEqual(['c1']);
  });
});
