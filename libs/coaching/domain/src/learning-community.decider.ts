import {
  CommunityCoachJoined, CommunityCoachLeft, CommunityCreated, CommunitySessionCancelled, CommunitySessionHeld, CommunitySessionKind,
  CommunitySessionRescheduled, CommunitySessionScheduled,
} from '@cbme/contracts';
import { assertNever, Decider, invalidState, notFound, ruleViolated } from '@cbme/decider';

/** Stored forms of session events: the published ones plus the free text that stays in coaching (see the publication). */
export type StoredSessionScheduled = CommunitySessionScheduled & { location?: string };
export type StoredSessionRescheduled = CommunitySessionRescheduled & { reason?: string };
export type StoredSessionCancelled = CommunitySessionCancelled & { reason: string };

/** A learning community ("house"): coaches who meet as a group; their learners belong to it through them. */
export type CommunityEvent =
  | { type: 'coaching.community-created'; data: CommunityCreated }
  | { type: 'coaching.community-coach-joined'; data: CommunityCoachJoined }
  | { type: 'coaching.community-coach-left'; data: CommunityCoachLeft }
  | { type: 'coaching.community-session-scheduled'; data: StoredSessionScheduled }
  | { type: 'coaching.community-session-rescheduled'; data: StoredSessionRescheduled }
  | { type: 'coaching.community-session-cancelled'; data: StoredSessionCancelled }
  | { type: 'coaching.community-session-held'; data: CommunitySessionHeld };

/** One stretch of a coach's membership; `leftAt` absent while they belong. */
export interface MembershipInterval {
  coachId: string;
  joinedAt: string;
  leftAt?: string;
}

/**
 * `now` is the command's time (metadata.occurredAt), read at the edge. `membership`: every stretch of membership with
 * its times, which the handler reads from the community's stream (events carry their times in metadata, not data).
 */
export type CommunityCommand =
  | { type: 'CreateCommunity'; data: CommunityCreated }
  | { type: 'AddCoachToCommunity'; data: { coachId: string; coachIsCoachInSchool: boolean } }
  | { type: 'RemoveCoachFromCommunity'; data: { coachId: string } }
  | { type: 'ScheduleCommunitySession'; data: Omit<StoredSessionScheduled, 'communityId'> & { now: string } }
  | { type: 'RescheduleCommunitySession'; data: { sessionId: string; startsAt: string; durationMinutes?: number; reason?: string; now: string } }
  | { type: 'CancelCommunitySession'; data: { sessionId: string; reason: string } }
  | { type: 'RecordCommunitySessionHeld'; data: { sessionId: string; topics: string[]; attendees: string[]; now: string; membership: MembershipInterval[] } };

export type CommunitySessionStatus = 'scheduled' | 'held' | 'cancelled';

export interface CommunitySession {
  sessionId: string;
  kind: CommunitySessionKind;
  title: string;
  startsAt: string;
  durationMinutes: number;
  status: CommunitySessionStatus;
}

export interface CommunityState {
  communityId: string | null;
  coaches: string[];
  sessions: CommunitySession[];
}

/** What is told about a session id the community does not have. */
export const NO_SESSION = 'no session with that id in this community';

/** The coaches who belonged to the community at `at`. */
export const membersAt = (membership: MembershipInterval[], at: string): string[] => {
  const t = Date.parse(at);
  const members = membership.filter((m) => Date.parse(m.joinedAt) <= t && (!m.leftAt || Date.parse(m.leftAt) > t)).map((m) => m.coachId);
  return [...new Set(members)];
};

/** Membership stretches from a community's history with each event's time (as the store returns it). */
export function membershipTimeline(history: { type: string; data: unknown; occurredAt: string }[]): MembershipInterval[] {
  const intervals: MembershipInterval[] = [];
  for (const e of history) {
    if (e.type === 'coaching.community-coach-joined') intervals.push({ coachId: (e.data as CommunityCoachJoined).coachId, joinedAt: e.occurredAt });
    if (e.type === 'coaching.community-coach-left') {
      const open = intervals.find((m) => m.coachId === (e.data as CommunityCoachLeft).coachId && !m.leftAt);
      if (open) open.leftAt = e.occurredAt;
    }
  }
  return intervals;
}

const requireSession = (state: CommunityState, sessionId: string) => {
  const session = state.sessions.find((s) => s.sessionId === sessionId);
  if (!session) throw notFound(NO_SESSION);
  return session;
};

const requireScheduled = (session: CommunitySession) => {
  if (session.status !== 'scheduled') throw invalidState(`the session is already ${session.status}`);
  return session;
};

const requireFuture = (startsAt: string, now: string) => {
  if (Date.parse(startsAt) <= Date.parse(now)) throw ruleViolated(`a session cannot be scheduled in the past (${startsAt})`, 'startsAt');
};

const requireText = (text: string, field: string) => {
  if (!text.trim()) throw ruleViolated(`${field} must not be blank`, field);
  return text.trim();
};

function decideSession(command: Exclude<CommunityCommand, { type: 'CreateCommunity' | 'AddCoachToCommunity' | 'RemoveCoachFromCommunity' }>, communityId: string, state: CommunityState): CommunityEvent[] {
  switch (command.type) {
    case 'ScheduleCommunitySession': {
      const { now, location, ...session } = command.data;
      if (state.sessions.some((s) => s.sessionId === session.sessionId)) throw invalidState(`session ${session.sessionId} already exists`);
      const title = requireText(session.title, 'title');
      requireFuture(session.startsAt, now);
      const data: StoredSessionScheduled = { communityId, ...session, title };
      if (location?.trim()) data.location = location.trim();
      return [{ type: 'coaching.community-session-scheduled', data }];
    }
    case 'RescheduleCommunitySession': {
      const session = requireScheduled(requireSession(state, command.data.sessionId));
      requireFuture(command.data.startsAt, command.data.now);
      const durationMinutes = command.data.durationMinutes ?? session.durationMinutes;
      if (command.data.startsAt === session.startsAt && durationMinutes === session.durationMinutes) return [];
      const data: StoredSessionRescheduled = { communityId, sessionId: session.sessionId, startsAt: command.data.startsAt, durationMinutes };
      if (command.data.reason?.trim()) data.reason = command.data.reason.trim();
      return [{ type: 'coaching.community-session-rescheduled', data }];
    }
    case 'CancelCommunitySession': {
      const session = requireScheduled(requireSession(state, command.data.sessionId));
      const reason = requireText(command.data.reason, 'reason');
      return [{ type: 'coaching.community-session-cancelled', data: { communityId, sessionId: session.sessionId, reason } }];
    }
    case 'RecordCommunitySessionHeld': {
      const session = requireScheduled(requireSession(state, command.data.sessionId));
      if (Date.parse(session.startsAt) > Date.parse(command.data.now)) {
        throw ruleViolated(`a session cannot be recorded as held before it starts (${session.startsAt})`);
      }
      const topics = [...new Set(command.data.topics.map((t) => t.trim()).filter(Boolean))];
      if (topics.length === 0) throw ruleViolated('name at least one topic the session covered', 'topics');
      const members = membersAt(command.data.membership, session.startsAt);
      const attendees = [...new Set(command.data.attendees)];
      const strangers = attendees.filter((a) => !members.includes(a));
      if (strangers.length) throw ruleViolated(`not members of the community when the session started: ${strangers.join(', ')}`, 'attendees');
      const absentees = members.filter((m) => !attendees.includes(m));
      return [{ type: 'coaching.community-session-held', data: { communityId, sessionId: session.sessionId, kind: session.kind, startsAt: session.startsAt, topics, attendees, absentees } }];
    }
    default:
      return assertNever(command);
  }
}

function decide(command: CommunityCommand, state: CommunityState): CommunityEvent[] {
  if (command.type === 'CreateCommunity') {
    if (state.communityId) throw invalidState(`community ${state.communityId} already exists`);
    return [{ type: 'coaching.community-created', data: command.data }];
  }
  if (!state.communityId) throw notFound('no such learning community');
  switch (command.type) {
    case 'AddCoachToCommunity': {
      const { coachId } = command.data;
      if (!command.data.coachIsCoachInSchool) throw ruleViolated(`${coachId} is not a coach in this school`);
      if (state.coaches.includes(coachId)) throw invalidState(`${coachId} is already a member`);
      return [{ type: 'coaching.community-coach-joined', data: { communityId: state.communityId, coachId } }];
    }
    case 'RemoveCoachFromCommunity': {
      const { coachId } = command.data;
      if (!state.coaches.includes(coachId)) throw notFound(`${coachId} is not a member of this community`);
      return [{ type: 'coaching.community-coach-left', data: { communityId: state.communityId, coachId } }];
    }
    default:
      return decideSession(command, state.communityId, state);
  }
}

const withSession = (state: CommunityState, sessionId: string, change: Partial<CommunitySession>): CommunityState => ({
  ...state,
  sessions: state.sessions.map((s) => (s.sessionId === sessionId ? { ...s, ...change } : s)),
});

function evolve(state: CommunityState, event: CommunityEvent): CommunityState {
  switch (event.type) {
    case 'coaching.community-created':
      return { communityId: event.data.communityId, coaches: [], sessions: [] };
    case 'coaching.community-coach-joined':
      return { ...state, coaches: [...state.coaches, event.data.coachId] };
    case 'coaching.community-coach-left':
      return { ...state, coaches: state.coaches.filter((c) => c !== event.data.coachId) };
    case 'coaching.community-session-scheduled': {
      const { sessionId, kind, title, startsAt, durationMinutes } = event.data;
      return { ...state, sessions: [...state.sessions, { sessionId, kind, title, startsAt, durationMinutes, status: 'scheduled' }] };
    }
    case 'coaching.community-session-rescheduled':
      return withSession(state, event.data.sessionId, { startsAt: event.data.startsAt, durationMinutes: event.data.durationMinutes });
    case 'coaching.community-session-cancelled':
      return withSession(state, event.data.sessionId, { status: 'cancelled' });
    case 'coaching.community-session-held':
      return withSession(state, event.data.sessionId, { status: 'held' });
    default:
      return assertNever(event);
  }
}

export const learningCommunityDecider: Decider<CommunityCommand, CommunityEvent, CommunityState> = {
  decide,
  evolve,
  initialState: { communityId: null, coaches: [], sessions: [] },
};

export const communityStreamId = (schoolId: string, communityId: string) => `coaching-community-${schoolId}-${communityId}`;
