import {
  MeetingCancelled, MeetingHeld, MeetingMissed, MeetingNoteSummary, MeetingReminderSent, MeetingRescheduled, MeetingScheduled, NoteVisibility,
} from '@cbme/contracts';
import { assertNever, Decider, invalidState, notFound, ruleViolated } from '@cbme/decider';

/** Stored form of a meeting note: the text stays in the coaching service's own store (see the publication). */
export interface MeetingNote extends MeetingNoteSummary {
  text: string;
}

export type StoredMeetingHeld = Omit<MeetingHeld, 'notes'> & { notes: MeetingNote[] };

export type MeetingEvent =
  | { type: 'coaching.meeting-scheduled'; data: MeetingScheduled }
  | { type: 'coaching.meeting-rescheduled'; data: MeetingRescheduled }
  | { type: 'coaching.meeting-cancelled'; data: MeetingCancelled }
  | { type: 'coaching.meeting-held'; data: StoredMeetingHeld }
  | { type: 'coaching.meeting-missed'; data: MeetingMissed }
  | { type: 'coaching.meeting-reminder-sent'; data: MeetingReminderSent };

/** `now` is the command's time, read at the edge, so the rules stay deterministic. */
export type MeetingCommand =
  | { type: 'ScheduleMeeting'; data: MeetingScheduled & { now: string; relationshipIsActive: boolean } }
  | { type: 'RescheduleMeeting'; data: { startsAt: string; reason?: string; now: string } }
  /** `onlyIfScheduled`: a process cancelling on someone's behalf skips meetings already settled */
  | { type: 'CancelMeeting'; data: { reason: string; onlyIfScheduled?: boolean } }
  | { type: 'RecordMeetingHeld'; data: { agenda: string[]; notes: { text: string; visibility: NoteVisibility }[]; now: string } }
  | { type: 'RecordMeetingMissed'; data: { reason?: string; now: string } }
  | { type: 'RecordReminderSent'; data: { recipientId: string; startsAt: string; channel: string } };

export type MeetingStatus = 'scheduled' | 'held' | 'missed' | 'cancelled';

export interface MeetingState {
  meeting: (MeetingScheduled & { status: MeetingStatus; agenda: string[]; notes: MeetingNote[] }) | null;
  /** `recipient@startsAt` of every reminder sent */
  remindersSent: string[];
}

const wordsIn = (text: string) => text.split(/\s+/).filter(Boolean).length;

function requireScheduled(state: MeetingState) {
  if (!state.meeting) throw notFound('no such meeting');
  if (state.meeting.status !== 'scheduled') throw invalidState(`the meeting is already ${state.meeting.status}`);
  return state.meeting;
}

function requireStarted(meeting: MeetingScheduled, now: string, what: string) {
  if (Date.parse(meeting.startsAt) > Date.parse(now)) throw ruleViolated(`a meeting cannot be recorded as ${what} before it starts (${meeting.startsAt})`);
}

function requireFuture(startsAt: string, now: string) {
  if (Date.parse(startsAt) <= Date.parse(now)) throw ruleViolated(`a meeting cannot be scheduled in the past (${startsAt})`);
}

/** Whether a reminder for the meeting as it now stands is still owed to the recipient. */
export function reminderOwed(state: MeetingState, recipientId: string, startsAt: string): boolean {
  const meeting = state.meeting;
  return !!meeting && meeting.status === 'scheduled' && meeting.startsAt === startsAt && !state.remindersSent.includes(`${recipientId}@${startsAt}`);
}

function decide(command: MeetingCommand, state: MeetingState): MeetingEvent[] {
  switch (command.type) {
    case 'ScheduleMeeting': {
      const { now, relationshipIsActive, ...scheduled } = command.data;
      if (state.meeting) throw invalidState(`meeting ${scheduled.meetingId} already exists`);
      if (!relationshipIsActive) throw ruleViolated(`${scheduled.learnerId} has no active coaching relationship to meet in`);
      requireFuture(scheduled.startsAt, now);
      return [{ type: 'coaching.meeting-scheduled', data: scheduled }];
    }
    case 'RescheduleMeeting': {
      const meeting = requireScheduled(state);
      requireFuture(command.data.startsAt, command.data.now);
      if (command.data.startsAt === meeting.startsAt) return [];
      const data: MeetingRescheduled = { ...people(meeting), startsAt: command.data.startsAt };
      if (command.data.reason) data.reason = command.data.reason;
      return [{ type: 'coaching.meeting-rescheduled', data }];
    }
    case 'CancelMeeting': {
      if (command.data.onlyIfScheduled && state.meeting?.status !== 'scheduled') return [];
      const meeting = requireScheduled(state);
      return [{ type: 'coaching.meeting-cancelled', data: { ...people(meeting), reason: command.data.reason } }];
    }
    case 'RecordMeetingHeld': {
      const meeting = requireScheduled(state);
      requireStarted(meeting, command.data.now, 'held');
      const notes = command.data.notes.map((n) => ({ visibility: n.visibility, wordCount: wordsIn(n.text), text: n.text }));
      return [{ type: 'coaching.meeting-held', data: { ...people(meeting), agenda: command.data.agenda, notes } }];
    }
    case 'RecordMeetingMissed': {
      const meeting = requireScheduled(state);
      requireStarted(meeting, command.data.now, 'missed');
      const data: MeetingMissed = people(meeting);
      if (command.data.reason) data.reason = command.data.reason;
      return [{ type: 'coaching.meeting-missed', data }];
    }
    case 'RecordReminderSent': {
      const { recipientId, startsAt, channel } = command.data;
      if (!reminderOwed(state, recipientId, startsAt)) return [];
      return [{ type: 'coaching.meeting-reminder-sent', data: { meetingId: state.meeting!.meetingId, recipientId, startsAt, channel } }];
    }
    default:
      return assertNever(command);
  }
}

function evolve(state: MeetingState, event: MeetingEvent): MeetingState {
  const meeting = state.meeting;
  switch (event.type) {
    case 'coaching.meeting-scheduled':
      return { ...state, meeting: { ...event.data, status: 'scheduled', agenda: [], notes: [] } };
    case 'coaching.meeting-rescheduled':
      return { ...state, meeting: meeting && { ...meeting, startsAt: event.data.startsAt } };
    case 'coaching.meeting-cancelled':
      return { ...state, meeting: meeting && { ...meeting, status: 'cancelled' } };
    case 'coaching.meeting-held':
      return { ...state, meeting: meeting && { ...meeting, status: 'held', agenda: event.data.agenda, notes: event.data.notes } };
    case 'coaching.meeting-missed':
      return { ...state, meeting: meeting && { ...meeting, status: 'missed' } };
    case 'coaching.meeting-reminder-sent':
      return { ...state, remindersSent: [...state.remindersSent, `${event.data.recipientId}@${event.data.startsAt}`] };
    default:
      return assertNever(event);
  }
}

const people = (meeting: MeetingScheduled) => ({ meetingId: meeting.meetingId, learnerId: meeting.learnerId, coachId: meeting.coachId });

export const coachingMeetingDecider: Decider<MeetingCommand, MeetingEvent, MeetingState> = {
  decide,
  evolve,
  initialState: { meeting: null, remindersSent: [] },
};

export const meetingStreamId = (schoolId: string, meetingId: string) => `coaching-meeting-${schoolId}-${meetingId}`;
