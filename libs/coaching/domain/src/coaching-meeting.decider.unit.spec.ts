import { foldEvents, spec } from '@cbme/decider';
import { coachingMeetingDecider, MeetingCommand, MeetingEvent, reminderOwed } from './coaching-meeting.decider';

const given = spec(coachingMeetingDecider).given;
const NOW = '2026-09-01T09:00:00.000Z';
const scheduled: MeetingEvent = {
  type: 'coaching.meeting-scheduled',
  data: { meetingId: 'm1', relationshipId: 'r1', learnerId: 'lea', coachId: 'coa', startsAt: '2026-09-10T14:00:00.000Z', durationMinutes: 45 },
};
const schedule = (over: object = {}): MeetingCommand => ({ type: 'ScheduleMeeting', data: { ...scheduled.data, now: NOW, relationshipIsActive: true, ...over } });
const AFTER = '2026-09-10T15:00:00.000Z';

describe('coaching meeting', () => {
  it('schedules a meeting in the future of an active relationship', () => {
    expect(given([]).when(schedule()).events()).toEqual([scheduled]);
  });

  it('refuses a meeting in the past, outside an active relationship, or twice', () => {
    expect(given([]).when(schedule({ startsAt: '2026-08-01T09:00:00.000Z' })).error()).toMatchObject({ kind: 'rule-violated', message: 'a meeting cannot be scheduled in the past (2026-08-01T09:00:00.000Z)' });
    expect(given([]).when(schedule({ relationshipIsActive: false })).error()).toMatchObject({ kind: 'rule-violated' });
    expect(given([scheduled]).when(schedule()).error()).toMatchObject({ kind: 'invalid-state' });
  });

  it('reschedules, and treats the same time as nothing to do', () => {
    const moved = given([scheduled]).when({ type: 'RescheduleMeeting', data: { startsAt: '2026-09-11T14:00:00.000Z', reason: 'clinic', now: NOW } }).events();
    expect(moved).toEqual([{ type: 'coaching.meeting-rescheduled', data: { meetingId: 'm1', learnerId: 'lea', coachId: 'coa', startsAt: '2026-09-11T14:00:00.000Z', reason: 'clinic' } }]);
    expect(given([scheduled]).when({ type: 'RescheduleMeeting', data: { startsAt: scheduled.data.startsAt, now: NOW } }).events()).toEqual([]);
  });

  it('records a meeting as held with notes whose text stays private to the store', () => {
    const [held] = given([scheduled]).when({
      type: 'RecordMeetingHeld',
      data: { agenda: ['review goals'], notes: [{ text: 'worried about OSCE timing', visibility: 'coach-only' }, { text: 'try the study plan', visibility: 'shared-with-learner' }], now: AFTER },
    }).events();
    expect(held.data).toMatchObject({ agenda: ['review goals'], notes: [{ visibility: 'coach-only', wordCount: 4 }, { visibility: 'shared-with-learner', wordCount: 4 }] });
  });

  it('refuses to record a meeting before it starts, or to settle a settled one', () => {
    expect(given([scheduled]).when({ type: 'RecordMeetingMissed', data: { now: NOW } }).error()).toMatchObject({ kind: 'rule-violated' });
    const cancelled: MeetingEvent = { type: 'coaching.meeting-cancelled', data: { meetingId: 'm1', learnerId: 'lea', coachId: 'coa', reason: 'ill' } };
    expect(given([scheduled, cancelled]).when({ type: 'CancelMeeting', data: { reason: 'again' } }).error()).toMatchObject({ kind: 'invalid-state', message: 'the meeting is already cancelled' });
    expect(given([scheduled, cancelled]).when({ type: 'RecordMeetingHeld', data: { agenda: [], notes: [], now: AFTER } }).error()).toMatchObject({ kind: 'invalid-state' });
    expect(given([scheduled, cancelled]).when({ type: 'CancelMeeting', data: { reason: 'coach left', onlyIfScheduled: true } }).events()).toEqual([]);
  });

  it('owes each recipient one reminder per meeting time', () => {
    const sent = given([scheduled]).when({ type: 'RecordReminderSent', data: { recipientId: 'lea', startsAt: scheduled.data.startsAt, channel: 'email' } }).events();
    expect(sent).toHaveLength(1);
    const state = foldEvents(coachingMeetingDecider, [scheduled, ...sent]);
    expect(reminderOwed(state, 'lea', scheduled.data.startsAt)).toBe(false);
    expect(reminderOwed(state, 'coa', scheduled.data.startsAt)).toBe(true);
    expect(given([scheduled, ...sent]).when({ type: 'RecordReminderSent', data: { recipientId: 'lea', startsAt: scheduled.data.startsAt, channel: 'email' } }).events()).toEqual([]);
    // a reminder for a time the meeting no longer has is not owed
    expect(reminderOwed(state, 'coa', '2026-09-09T14:00:00.000Z')).toBe(false);
  });
});
