import {
  MeetingAgendaItemAdded, MeetingCancelled, MeetingHeld, MeetingMissed, MeetingNoteSummary, MeetingReminderSent, MeetingRescheduled, MeetingScheduled, NoteVisibility,
} from '@cbme/contracts';
import { assertNever, Decider, DomainError, invalidState, notFound, ruleViolated } from '@cbme/decider';

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
  | { type: 'coaching.meeting-reminder-sent'; data: MeetingReminderSent }
  | { type: 'coaching.meeting-agenda-item-added'; data: MeetingAgendaItemAdded };

/**
 * `now` is the command's time, read at the edge, so the rules stay deterministic. `by`: who acts.
 * `currentCoachId`: the learner's coach now (null: none), read by the handler from the learner's relationship stream.
 */
/**
 * `importedBy`: a school admin's history import (a backdated, trusted caller) records what the meeting's people did:
 * it schedules for the learner's current coach and records held or missed for the meeting's coach.
 * `relationshipWasCurrent`: the meeting's relationship was the learner's current one when the meeting started.
 */
export type MeetingCommand =
  | { type: 'ScheduleMeeting'; data: MeetingScheduled & { now: string; relationshipIsActive: boolean; requestedBy: string; currentCoachId: string | null; importedBy?: string } }
  | { type: 'RescheduleMeeting'; data: { startsAt: string; reason?: string; now: string; by: string } }
  /** `onlyIfScheduled`: a process cancelling on someone's behalf (nobody's to check) skips meetings already settled */
  | { type: 'CancelMeeting'; data: { reason: string; by: string; importedBy?: string } | { reason: string; onlyIfScheduled: true } }
  | { type: 'RecordMeetingHeld'; data: { agenda: string[]; notes: { text: string; visibility: NoteVisibility }[]; now: string; by: string; importedBy?: string; relationshipWasCurrent: boolean } }
  | { type: 'RecordMeetingMissed'; data: { reason?: string; now: string; by: string; importedBy?: string; relationshipWasCurrent: boolean } }
  | { type: 'RecordReminderSent'; data: { recipientId: string; startsAt: string; channel: string } }
  /** the learner or the coach puts something to discuss on a meeting still ahead (e.g. a gap from the self-vs-others view) */
  | { type: 'AddAgendaItem'; data: { item: string; competency?: string; now: string; by: string } };

export type MeetingStatus = 'scheduled' | 'held' | 'missed' | 'cancelled';

export interface MeetingState {
  meeting: (MeetingScheduled & { status: MeetingStatus; agenda: string[]; notes: MeetingNote[] }) | null;
  /** `recipient@startsAt` of every reminder sent */
  remindersSent: string[];
}

/** An agenda's size and an item's length, as a held meeting's agenda allows them. */
export const AGENDA_MAX = 50;
export const AGENDA_ITEM_MAX = 300;

const wordsIn = (text: string) => text.split(/\s+/).filter(Boolean).length;
type Meeting = NonNullable<MeetingState['meeting']>;

/** What someone who may not see a meeting is told, exactly as for an id that does not exist. */
export const NO_MEETING = 'no meeting with that id among yours';
/** What someone who neither is the learner nor coaches them now is told when scheduling, as for an unknown learner. */
export const NO_COACHEE = 'no learner with that id among those you coach';

/** Who may see a meeting: its learner and its coach. Reads ask the same. */
export const mayReadMeeting = (meeting: { learnerId: string; coachId: string }, userId: string) => userId === meeting.learnerId || userId === meeting.coachId;

/**
 * Which of a meeting's notes a reader sees: the meeting's coach, who wrote them, all of them; the learner and the
 * learner's later coach only those shared with the learner; leads and admins, who oversee the program but are not
 * party to the conversation, none (they see that a meeting was held, not what was said).
 */
export const notesVisibleTo = (meeting: { coachId: string; notes: MeetingNote[] }, userId: string, reader: 'party' | 'oversight' = 'party'): MeetingNote[] =>
  userId === meeting.coachId ? meeting.notes : reader === 'oversight' ? [] : meeting.notes.filter((n) => n.visibility === 'shared-with-learner');

function requireVisible(state: MeetingState, userId: string): Meeting {
  if (!state.meeting || !mayReadMeeting(state.meeting, userId)) throw notFound(NO_MEETING);
  return state.meeting;
}

function requireCoach(meeting: Meeting, userId: string, what: string) {
  if (userId !== meeting.coachId) throw new DomainError('forbidden', `only the coach records a meeting as ${what}`);
}

function requireScheduled(meeting: Meeting) {
  if (meeting.status !== 'scheduled') throw invalidState(`the meeting is already ${meeting.status}`);
  return meeting;
}

/** Who acts: the person, or for an import the meeting's coach on whose behalf the admin records. */
const actingAs = (data: { by: string; importedBy?: string }, meeting: Meeting | null) => (data.importedBy && meeting ? meeting.coachId : data.by);

function requireRelationshipCurrent(meeting: Meeting, relationshipWasCurrent: boolean, what: string) {
  if (!relationshipWasCurrent) throw ruleViolated(`a meeting cannot be recorded as ${what} for a relationship that had ended before it started (${meeting.startsAt})`);
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

/**
 * Every command by a person decides in this order: may they see the meeting (otherwise exactly the answer for an
 * unknown id), may they do this (403, only to those who see it), and only then its status (409) and rules (422).
 */
function decide(command: MeetingCommand, state: MeetingState): MeetingEvent[] {
  switch (command.type) {
    case 'ScheduleMeeting': {
      const { now, relationshipIsActive, currentCoachId, importedBy, requestedBy: asker, ...scheduled } = command.data;
      // an import books for the learner's coach then; with none, the rule below says there was no relationship
      const requestedBy = importedBy ? currentCoachId ?? scheduled.learnerId : asker;
      if (requestedBy !== scheduled.learnerId && (!currentCoachId || requestedBy !== currentCoachId)) throw notFound(NO_COACHEE);
      if (state.meeting) throw invalidState(`meeting ${scheduled.meetingId} already exists`);
      if (!relationshipIsActive) throw ruleViolated(`${scheduled.learnerId} has no active coaching relationship to meet in`);
      requireFuture(scheduled.startsAt, now);
      return [{ type: 'coaching.meeting-scheduled', data: scheduled }];
    }
    case 'RescheduleMeeting': {
      const meeting = requireScheduled(requireVisible(state, command.data.by));
      requireFuture(command.data.startsAt, command.data.now);
      if (command.data.startsAt === meeting.startsAt) return [];
      const data: MeetingRescheduled = { ...people(meeting), startsAt: command.data.startsAt };
      if (command.data.reason) data.reason = command.data.reason;
      return [{ type: 'coaching.meeting-rescheduled', data }];
    }
    case 'CancelMeeting': {
      const meeting = 'by' in command.data ? requireVisible(state, actingAs(command.data, state.meeting)) : state.meeting;
      // a process cancelling on someone's behalf skips what is not (or no longer) scheduled
      if (!meeting || ('onlyIfScheduled' in command.data && meeting.status !== 'scheduled')) return [];
      requireScheduled(meeting);
      return [{ type: 'coaching.meeting-cancelled', data: { ...people(meeting), reason: command.data.reason } }];
    }
    case 'RecordMeetingHeld': {
      const by = actingAs(command.data, state.meeting);
      const meeting = requireVisible(state, by);
      requireCoach(meeting, by, 'held');
      requireScheduled(meeting);
      requireStarted(meeting, command.data.now, 'held');
      requireRelationshipCurrent(meeting, command.data.relationshipWasCurrent, 'held');
      const notes = command.data.notes.map((n) => ({ visibility: n.visibility, wordCount: wordsIn(n.text), text: n.text }));
      // what was put on the agenda before the meeting stays on it; the record adds what else came up
      const agenda = [...meeting.agenda, ...command.data.agenda.filter((item, i, all) => !meeting.agenda.includes(item) && all.indexOf(item) === i)];
      if (agenda.length > AGENDA_MAX) throw ruleViolated(`an agenda holds at most ${AGENDA_MAX} items (${meeting.agenda.length} were put on before the meeting)`, 'agenda');
      return [{ type: 'coaching.meeting-held', data: { ...people(meeting), agenda, notes } }];
    }
    case 'RecordMeetingMissed': {
      const by = actingAs(command.data, state.meeting);
      const meeting = requireVisible(state, by);
      requireCoach(meeting, by, 'missed');
      requireScheduled(meeting);
      requireStarted(meeting, command.data.now, 'missed');
      requireRelationshipCurrent(meeting, command.data.relationshipWasCurrent, 'missed');
      const data: MeetingMissed = people(meeting);
      if (command.data.reason) data.reason = command.data.reason;
      return [{ type: 'coaching.meeting-missed', data }];
    }
    case 'AddAgendaItem': {
      const meeting = requireScheduled(requireVisible(state, command.data.by));
      if (Date.parse(meeting.startsAt) <= Date.parse(command.data.now)) throw ruleViolated(`the meeting has started (${meeting.startsAt}); put the item on the next one`);
      const item = command.data.item.trim();
      if (!item) throw ruleViolated('say what to discuss', 'item');
      if (item.length > AGENDA_ITEM_MAX) throw ruleViolated(`at most ${AGENDA_ITEM_MAX} characters (${item.length} given)`, 'item');
      // the same item twice (a second click, a retry) changes nothing
      if (meeting.agenda.includes(item)) return [];
      if (meeting.agenda.length >= AGENDA_MAX) throw ruleViolated(`an agenda holds at most ${AGENDA_MAX} items`, 'item');
      return [{ type: 'coaching.meeting-agenda-item-added', data: { ...people(meeting), item, ...(command.data.competency ? { competency: command.data.competency } : {}) } }];
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
    case 'coaching.meeting-agenda-item-added':
      return { ...state, meeting: meeting && { ...meeting, agenda: [...meeting.agenda, event.data.item] } };
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
