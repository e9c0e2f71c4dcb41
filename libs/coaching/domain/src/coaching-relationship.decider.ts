import {
  CadenceFellBehind, CoachAssigned, EndReason, LearnerTransferred, ReassignmentFlagged, RelationshipEnded, RelationshipPaused, RelationshipResumed,
} from '@cbme/contracts';
import { assertNever, Decider, invalidState, notFound, ruleViolated } from '@cbme/decider';

/**
 * One stream per learner and school holds the learner's whole coaching history,
 * so "at most one current coach" is a rule of a single stream. Nothing is overwritten:
 * a transfer ends one relationship and begins the next in the same event.
 */
export type RelationshipEvent =
  | { type: 'coaching.coach-assigned'; data: CoachAssigned }
  | { type: 'coaching.learner-transferred'; data: LearnerTransferred }
  | { type: 'coaching.relationship-paused'; data: RelationshipPaused }
  | { type: 'coaching.relationship-resumed'; data: RelationshipResumed }
  | { type: 'coaching.relationship-ended'; data: RelationshipEnded }
  | { type: 'coaching.reassignment-flagged'; data: ReassignmentFlagged }
  | { type: 'coaching.cadence-fell-behind'; data: CadenceFellBehind };

/** What the handler knows about the people, from identity events projected in this service. */
export interface PeopleFacts {
  learnerIsLearnerInSchool: boolean;
  coachIsCoachInSchool: boolean;
}

/**
 * The coach's load when the command was decided (from the read model: capacity is a soft limit a lead may override),
 * or, for a school admin's history import of a past assignment, the importing admin instead: capacity, a limit for
 * planning today's load, is not judged for the past (the coach's load then is not known); every other rule is.
 */
export type LoadFacts = { coachLoad: number; coachCapacity: number; importedBy?: undefined } | { importedBy: string };

export type RelationshipCommand =
  | { type: 'AssignCoach'; data: CoachAssigned & PeopleFacts & LoadFacts }
  | { type: 'TransferLearner'; data: { newRelationshipId: string; toCoachId: string; reason: string; capacityOverride?: string; coachIsCoachInSchool: boolean } & LoadFacts }
  | { type: 'PauseRelationship'; data: { reason: string } }
  | { type: 'ResumeRelationship'; data: { reason?: string } }
  /** `onlyIfCurrent`: a reaction to another service's fact ends what is there and is otherwise a no-op */
  | { type: 'EndRelationship'; data: { reason: EndReason; note?: string; onlyIfCurrent?: boolean } }
  | { type: 'FlagForReassignment'; data: { coachId: string; reason: string } }
  | { type: 'FlagBehindCadence'; data: { relationshipId: string; lastMeetingAt?: string; dueBy: string } };

export interface CurrentRelationship {
  relationshipId: string;
  coachId: string;
  status: 'active' | 'paused';
  flaggedDueBy?: string;
}

export interface RelationshipState {
  learnerId: string | null;
  current: CurrentRelationship | null;
  past: { relationshipId: string; coachId: string }[];
}

/**
 * Capacity is a soft limit: at or beyond it, only with a reason (the override). The reason is kept only when it was
 * needed, so an override in the record always means the coach was full (a seat may have freed since the form opened).
 */
function capacityOverrideFor(data: LoadFacts & { capacityOverride?: string }, coachId: string): string | undefined {
  if (data.importedBy !== undefined) return data.capacityOverride?.trim() || undefined;
  if (data.coachLoad < data.coachCapacity) return undefined;
  const reason = data.capacityOverride?.trim();
  if (!reason) {
    throw ruleViolated(`coach ${coachId} is at capacity (${data.coachLoad} of ${data.coachCapacity}); a coaching lead may override with a reason`, 'capacityOverride');
  }
  return reason;
}

/** An assignment without the load facts it was decided on. */
function withoutLoad<T extends LoadFacts>(data: T): Omit<T, 'coachLoad' | 'coachCapacity' | 'importedBy'> {
  const { coachLoad: _load, coachCapacity: _capacity, importedBy: _importedBy, ...rest } = data as T & { coachLoad?: number; coachCapacity?: number };
  return rest;
}

/** No relationship ever: 404. One that has ended: 409, since ending, pausing or transferring it again is an illegal transition. */
function requireCurrent(state: RelationshipState): CurrentRelationship {
  if (state.current) return state.current;
  if (state.past.length > 0) throw invalidState(`${state.learnerId}'s coaching relationship has ended; assign a coach to begin a new one`);
  throw notFound(`${state.learnerId ?? 'this learner'} has no current coaching relationship`);
}

function decide(command: RelationshipCommand, state: RelationshipState): RelationshipEvent[] {
  switch (command.type) {
    case 'AssignCoach': {
      const { learnerIsLearnerInSchool, coachIsCoachInSchool, ...decidedOn } = command.data;
      const assignment = withoutLoad(decidedOn);
      if (!learnerIsLearnerInSchool) throw ruleViolated(`${assignment.learnerId} is not a learner in this school`);
      if (!coachIsCoachInSchool) throw ruleViolated(`${assignment.coachId} is not a coach in this school`);
      if (assignment.coachId === assignment.learnerId) throw ruleViolated('a learner cannot coach themselves');
      if (state.current) throw invalidState(`${assignment.learnerId} already has coach ${state.current.coachId}; transfer instead`);
      const capacityOverride = capacityOverrideFor(decidedOn, assignment.coachId);
      return [{ type: 'coaching.coach-assigned', data: withoutUndefined({ ...assignment, capacityOverride }) }];
    }
    case 'TransferLearner': {
      const current = requireCurrent(state);
      const { toCoachId, newRelationshipId, reason } = command.data;
      if (!command.data.coachIsCoachInSchool) throw ruleViolated(`${toCoachId} is not a coach in this school`);
      if (toCoachId === current.coachId) throw invalidState(`${state.learnerId} is already coached by ${toCoachId}`);
      if (toCoachId === state.learnerId) throw ruleViolated('a learner cannot coach themselves');
      const capacityOverride = capacityOverrideFor(command.data, toCoachId);
      const data: LearnerTransferred = {
        relationshipId: current.relationshipId, newRelationshipId, learnerId: state.learnerId!, fromCoachId: current.coachId, toCoachId, reason, capacityOverride,
      };
      return [{ type: 'coaching.learner-transferred', data: withoutUndefined(data) }];
    }
    case 'PauseRelationship': {
      const current = requireCurrent(state);
      if (current.status === 'paused') throw invalidState('the relationship is already paused');
      return [{ type: 'coaching.relationship-paused', data: { ...ids(state, current), reason: command.data.reason } }];
    }
    case 'ResumeRelationship': {
      const current = requireCurrent(state);
      if (current.status === 'active') throw invalidState('the relationship is not paused');
      const reason = command.data.reason?.trim();
      return [{ type: 'coaching.relationship-resumed', data: withoutUndefined({ ...ids(state, current), reason: reason || undefined }) }];
    }
    case 'EndRelationship': {
      if (!state.current && command.data.onlyIfCurrent) return [];
      const current = requireCurrent(state);
      return [{ type: 'coaching.relationship-ended', data: withoutUndefined({ ...ids(state, current), reason: command.data.reason, note: command.data.note }) }];
    }
    case 'FlagForReassignment': {
      const current = state.current;
      if (!current || current.coachId !== command.data.coachId) return [];
      const ended = { ...ids(state, current), reason: 'coach-left' as const, note: command.data.reason };
      return [
        { type: 'coaching.relationship-ended', data: ended },
        { type: 'coaching.reassignment-flagged', data: { learnerId: state.learnerId!, formerCoachId: current.coachId, relationshipId: current.relationshipId, reason: command.data.reason } },
      ];
    }
    case 'FlagBehindCadence': {
      const current = state.current;
      const { relationshipId, lastMeetingAt, dueBy } = command.data;
      if (!current || current.relationshipId !== relationshipId || current.status !== 'active' || current.flaggedDueBy === dueBy) return [];
      return [{ type: 'coaching.cadence-fell-behind', data: withoutUndefined({ ...ids(state, current), lastMeetingAt, dueBy }) }];
    }
    default:
      return assertNever(command);
  }
}

function evolve(state: RelationshipState, event: RelationshipEvent): RelationshipState {
  const ended = () => (state.current ? [...state.past, { relationshipId: state.current.relationshipId, coachId: state.current.coachId }] : state.past);
  switch (event.type) {
    case 'coaching.coach-assigned':
      return { learnerId: event.data.learnerId, current: { relationshipId: event.data.relationshipId, coachId: event.data.coachId, status: 'active' }, past: state.past };
    case 'coaching.learner-transferred':
      return { ...state, current: { relationshipId: event.data.newRelationshipId, coachId: event.data.toCoachId, status: 'active' }, past: ended() };
    case 'coaching.relationship-paused':
      return { ...state, current: state.current && { ...state.current, status: 'paused' } };
    case 'coaching.relationship-resumed':
      return { ...state, current: state.current && { ...state.current, status: 'active' } };
    case 'coaching.relationship-ended':
      return { ...state, current: null, past: ended() };
    case 'coaching.reassignment-flagged':
      return state;
    case 'coaching.cadence-fell-behind':
      return { ...state, current: state.current && { ...state.current, flaggedDueBy: event.data.dueBy } };
    default:
      return assertNever(event);
  }
}

const ids = (state: RelationshipState, current: CurrentRelationship) => ({ relationshipId: current.relationshipId, learnerId: state.learnerId!, coachId: current.coachId });

/** Optional fields are left out rather than stored as undefined, so stored and decided events compare equal. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export const coachingRelationshipDecider: Decider<RelationshipCommand, RelationshipEvent, RelationshipState> = {
  decide,
  evolve,
  initialState: { learnerId: null, current: null, past: [] },
};

export const learnerCoachingStreamId = (schoolId: string, learnerId: string) => `coaching-learner-${schoolId}-${learnerId}`;
