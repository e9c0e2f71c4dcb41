import { foldEvents, spec } from '@cbme/decider';
import { coachingMeetingDecider, MeetingCommand, MeetingEvent, NO_COACHEE, NO_MEETING, notesVisibleTo, reminderOwed } from './coaching-meeting.decider';

const given = spec(coachingMeetingDecider).given;
const NOW = '2026-09-01T09:00:00.000Z';
const scheduled: MeetingEvent = {
  type: 'coaching.meeting-scheduled',
  data: { meetingId: 'm1', relationshipId: 'r1', learnerId: 'lea', coachId: 'coa', startsAt: '2026-09-10T14:00:00.000Z', durationMinutes: 45 },
};
const schedule = (over: object = {}): MeetingCommand => ({ type: 'ScheduleMeeting', data: { ...scheduled.data, now: NOW, relationshipIsActive: true, requestedBy: 'coa', currentCoachId: 'coa', ...over } });
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
    const moved = given([scheduled]).when({ type: 'RescheduleMeeting', data: { startsAt: '2026-09-11T14:00:00.000Z', reason: 'clinic', now: NOW, by: 'lea' } }).events();
    expect(moved).toEqual([{ type: 'coaching.meeting-rescheduled', data: { meetingId: 'm1', learnerId: 'lea', coachId: 'coa', startsAt: '2026-09-11T14:00:00.000Z', reason: 'clinic' } }]);
    expect(given([scheduled]).when({ type: 'RescheduleMeeting', data: { startsAt: scheduled.data.startsAt, now: NOW, by: 'coa' } }).events()).toEqual([]);
  });

  describe('agenda items before the meeting', () => {
    const add = (item: string, by = 'lea', now = NOW): MeetingCommand => ({ type: 'AddAgendaItem', data: { item, competency: 'ICS', now, by } });
    const added = (item: string): MeetingEvent => ({ type: 'coaching.meeting-agenda-item-added', data: { meetingId: 'm1', learnerId: 'lea', coachId: 'coa', item, competency: 'ICS' } });

    it('are put on by the learner or the coach and show on the meeting\'s agenda; the same item again changes nothing', () => {
      expect(given([scheduled]).when(add(' Gap on ICS ')).events()).toEqual([added('Gap on ICS')]);
      expect(given([scheduled, added('Gap on ICS')]).when(add('Gap on PC', 'coa')).events()).toMatchObject([{ data: { item: 'Gap on PC' } }]);
      expect(given([scheduled, added('Gap on ICS')]).when(add('Gap on ICS', 'coa')).events()).toEqual([]);
      expect(foldEvents(coachingMeetingDecider, [scheduled, added('Gap on ICS'), added('Gap on PC')]).meeting?.agenda).toEqual(['Gap on ICS', 'Gap on PC']);
    });

    it('stay on the agenda when the coach records the meeting held, before what the record adds', () => {
      const record: MeetingCommand = { type: 'RecordMeetingHeld', data: { agenda: ['Rotation', 'Gap on ICS'], notes: [], now: AFTER, by: 'coa', relationshipWasCurrent: true } };
      expect(given([scheduled, added('Gap on ICS')]).when(record).events()).toMatchObject([{ type: 'coaching.meeting-held', data: { agenda: ['Gap on ICS', 'Rotation'] } }]);
    });

    it('decide in order: not seen, then settled, then started, then the item', () => {
      expect(given([scheduled]).when(add('x', 'other')).error()).toMatchObject({ kind: 'not-found', message: NO_MEETING });
      const cancelled: MeetingEvent = { type: 'coaching.meeting-cancelled', data: { meetingId: 'm1', learnerId: 'lea', coachId: 'coa', reason: 'ill' } };
      expect(given([scheduled, cancelled]).when(add('x')).error()).toMatchObject({ kind: 'invalid-state' });
      expect(given([scheduled]).when(add('x', 'lea', AFTER)).error()).toMatchObject({ kind: 'rule-violated', message: expect.stringContaining('has started') });
      expect(given([scheduled]).when(add('   ')).error()).toMatchObject({ kind: 'rule-violated', field: 'item' });
      expect(given([scheduled]).when(add('x'.repeat(301))).error()).toMatchObject({ kind: 'rule-violated', field: 'item', message: expect.stringContaining('at most 300') });
      const full = Array.from({ length: 50 }, (_, i) => added(`item ${i}`));
      expect(given([scheduled, ...full]).when(add('one more')).error()).toMatchObject({ kind: 'rule-violated', message: 'an agenda holds at most 50 items' });
    });
  });

  it('shows a meeting\'s private notes to its coach only; its learner and a later coach read the shared ones', () => {
    const meeting = { coachId: 'coa', notes: [{ text: 'worried about OSCE timing', visibility: 'coach-only' as const, wordCount: 4 }, { text: 'try the study plan', visibility: 'shared-with-learner' as const, wordCount: 4 }] };
    expect(notesVisibleTo(meeting, 'coa').map((n) => n.text)).toEqual(['worried about OSCE timing', 'try the study plan']);
    expect(notesVisibleTo(meeting, 'lea').map((n) => n.text)).toEqual(['try the study plan']);
    expect(notesVisibleTo(meeting, 'next-coach').map((n) => n.text)).toEqual(['try the study plan']);
  });

  it('shows leads and admins, who oversee but are not party to the conversation, no note text', () => {
    const meeting = { coachId: 'coa', notes: [{ text: 'try the study plan', visibility: 'shared-with-learner' as const, wordCount: 4 }] };
    expect(notesVisibleTo(meeting, 'lead', 'oversight')).toEqual([]);
    expect(notesVisibleTo(meeting, 'coa', 'oversight').map((n) => n.text)).toEqual(['try the study plan']);
  });

  it('records a meeting as held with notes whose text stays private to the store', () => {
    const [held] = given([scheduled]).when({
      type: 'RecordMeetingHeld',
      data: { agenda: ['review goals'], notes: [{ text: 'worried about OSCE timing', visibility: 'coach-only' }, { text: 'try the study plan', visibility: 'shared-with-learner' }], now: AFTER, by: 'coa', relationshipWasCurrent: true },
    }).events();
    expect(held.data).toMatchObject({ agenda: ['review goals'], notes: [{ visibility: 'coach-only', wordCount: 4 }, { visibility: 'shared-with-learner', wordCount: 4 }] });
  });

  it('refuses to record a meeting before it starts, or to settle a settled one', () => {
    expect(given([scheduled]).when({ type: 'RecordMeetingMissed', data: { now: NOW, by: 'coa', relationshipWasCurrent: true } }).error()).toMatchObject({ kind: 'rule-violated' });
    const cancelled: MeetingEvent = { type: 'coaching.meeting-cancelled', data: { meetingId: 'm1', learnerId: 'lea', coachId: 'coa', reason: 'ill' } };
    expect(given([scheduled, cancelled]).when({ type: 'CancelMeeting', data: { reason: 'again', by: 'lea' } }).error()).toMatchObject({ kind: 'invalid-state', message: 'the meeting is already cancelled' });
    expect(given([scheduled, cancelled]).when({ type: 'RecordMeetingHeld', data: { agenda: [], notes: [], now: AFTER, by: 'coa', relationshipWasCurrent: true } }).error()).toMatchObject({ kind: 'invalid-state' });
    expect(given([scheduled, cancelled]).when({ type: 'CancelMeeting', data: { reason: 'coach left', onlyIfScheduled: true } }).events()).toEqual([]);
  });

  it('a history import records for the meeting\'s people: it books for the current coach and records held for the meeting\'s coach', () => {
    expect(given([]).when(schedule({ requestedBy: 'sa-1', importedBy: 'sa-1' })).events()).toEqual([scheduled]);
    expect(given([]).when(schedule({ requestedBy: 'sa-1' })).error()).toMatchObject({ kind: 'not-found', message: NO_COACHEE });
    expect(given([]).when(schedule({ requestedBy: 'sa-1', importedBy: 'sa-1', currentCoachId: null, relationshipIsActive: false })).error()).toMatchObject({ kind: 'rule-violated', message: 'lea has no active coaching relationship to meet in' });
    const [held] = given([scheduled]).when({ type: 'RecordMeetingHeld', data: { agenda: [], notes: [], now: AFTER, by: 'sa-1', importedBy: 'sa-1', relationshipWasCurrent: true } }).events();
    expect(held).toEqual({ type: 'coaching.meeting-held', data: { meetingId: 'm1', learnerId: 'lea', coachId: 'coa', agenda: [], notes: [] } });
    expect(given([scheduled]).when({ type: 'RecordMeetingMissed', data: { now: AFTER, by: 'sa-1', relationshipWasCurrent: true } }).error()).toMatchObject({ kind: 'not-found' });
  });

  it('refuses a meeting held or missed for a relationship that had ended before it started', () => {
    for (const command of [
      { type: 'RecordMeetingHeld', data: { agenda: [], notes: [], now: AFTER, by: 'coa', relationshipWasCurrent: false } },
      { type: 'RecordMeetingMissed', data: { now: AFTER, by: 'coa', relationshipWasCurrent: false } },
    ] as MeetingCommand[]) {
      expect(given([scheduled]).when(command).error()).toMatchObject({ kind: 'rule-violated', message: expect.stringContaining('for a relationship that had ended before it started') });
    }
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

  describe('someone who may not see a meeting gets the answer for an unknown id, whatever its status', () => {
    const settled = (type: 'cancelled' | 'held' | 'missed'): MeetingEvent[] => {
      const people = { meetingId: 'm1', learnerId: 'lea', coachId: 'coa' };
      if (type === 'cancelled') return [scheduled, { type: 'coaching.meeting-cancelled', data: { ...people, reason: 'ill' } }];
      if (type === 'held') return [scheduled, { type: 'coaching.meeting-held', data: { ...people, agenda: [], notes: [] } }];
      return [scheduled, { type: 'coaching.meeting-missed', data: people }];
    };
    const states: [string, MeetingEvent[]][] = [['scheduled', [scheduled]], ['cancelled', settled('cancelled')], ['held', settled('held')], ['missed', settled('missed')]];
    const commands = (by: string): [string, MeetingCommand][] => [
      ['to move it', { type: 'RescheduleMeeting', data: { startsAt: '2026-09-12T14:00:00.000Z', now: NOW, by } }],
      ['to cancel it', { type: 'CancelMeeting', data: { reason: 'r', by } }],
      ['to record it held', { type: 'RecordMeetingHeld', data: { agenda: [], notes: [], now: AFTER, by, relationshipWasCurrent: true } }],
      ['to record it missed', { type: 'RecordMeetingMissed', data: { now: AFTER, by, relationshipWasCurrent: true } }],
    ];
    const cases = states.flatMap(([status, past]) => [['the former coach', 'cof'], ['another coach', 'cox'], ['another learner', 'lex']]
      .flatMap(([who, by]) => commands(by).map(([what, command]) => [status, who, what, past, command] as const)));

    it.each(cases)('given a meeting that is %s, when %s tries %s, then not-found as for an unknown id', (_status, _who, _what, past, command) => {
      const unknown = given([]).when(command).error();
      expect(given([...past]).when(command).error()).toEqual(unknown);
      expect(unknown).toMatchObject({ kind: 'not-found', message: NO_MEETING });
    });

    it.each(states)('given a meeting that is %s, when its learner (who sees it) records it held or missed, then 403 before its status', (_status, past) => {
      for (const [, command] of commands('lea').slice(2)) expect(given([...past]).when(command).error()).toMatchObject({ kind: 'forbidden' });
    });

    it('a process cancelling on someone\'s behalf is no participant and is not asked to be one', () => {
      expect(given([scheduled]).when({ type: 'CancelMeeting', data: { reason: 'coach left', onlyIfScheduled: true } }).events()).toHaveLength(1);
    });

    it.each([
      ['a learner with an active relationship', true, 'coa'],
      ['a learner on leave', false, 'coa'],
      ['a learner whose relationship ended', false, null],
    ] as const)('given %s, when another coach or learner schedules with them, then not-found as for an unknown learner', (_label, relationshipIsActive, currentCoachId) => {
      for (const by of ['cox', 'lex', 'cof']) {
        const unknown = given([]).when(schedule({ relationshipIsActive: false, currentCoachId: null, requestedBy: by, learnerId: 'nobody' })).error();
        const taken = given([scheduled]).when(schedule({ relationshipIsActive, currentCoachId, requestedBy: by })).error();
        expect(taken).toEqual(unknown);
        expect(unknown).toMatchObject({ kind: 'not-found', message: NO_COACHEE });
      }
    });
  });
});
