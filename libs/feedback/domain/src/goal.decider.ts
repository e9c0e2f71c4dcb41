import { GoalRevised, GoalSet, GoalSharingChanged, GoalStatus, GoalStatusChanged, GoalVisibility } from '@cbme/contracts';
import { assertNever, Decider, DomainError, invalidState, notFound, ruleViolated } from '@cbme/decider';

/** The stored form of a goal's events always has the goal's text; only the published form of a private goal leaves it out. */
export type GoalSetWritten = GoalSet & { description: string; measureOfSuccess: string | null };
export type GoalRevisedWritten = GoalRevised & { description: string; rationale: string };

export type GoalEvent =
  | { type: 'feedback.goal-set'; data: GoalSetWritten }
  | { type: 'feedback.goal-revised'; data: GoalRevisedWritten }
  | { type: 'feedback.goal-status-changed'; data: GoalStatusChanged }
  | { type: 'feedback.goal-sharing-changed'; data: GoalSharingChanged };

/** `today` is the request's date (YYYY-MM-DD), read by the HTTP edge: the domain has no clock. */
export type GoalCommand =
  | { type: 'SetGoal'; data: GoalSetWritten & { setBy: string; today: string } }
  | { type: 'ReviseGoal'; data: { description: string; targetDate: string; rationale: string; revisedBy: string; today: string } }
  | { type: 'ChangeGoalStatus'; data: { to: GoalStatus; note?: string; changedBy: string } }
  /** only the learner chooses whether their coach sees a goal */
  | { type: 'ChangeGoalSharing'; data: { visibility: GoalVisibility; changedBy: string } };

export type GoalState =
  | { status: 'none' }
  | {
      status: GoalStatus; goalId: string; learnerId: string; description: string; targetDate: string; revisions: number;
      visibility: GoalVisibility;
    };

/** Which status may follow which; achieved and abandoned are final. */
export const GOAL_TRANSITIONS: Record<GoalStatus, GoalStatus[]> = {
  active: ['achieved', 'abandoned', 'deferred'],
  deferred: ['active', 'abandoned'],
  achieved: [],
  abandoned: [],
};

const dateOnly = (iso: string) => iso.slice(0, 10);

function requireFutureTarget(targetDate: string, today: string) {
  if (dateOnly(targetDate) <= dateOnly(today)) throw ruleViolated(`target date ${dateOnly(targetDate)} must be after today (${dateOnly(today)})`);
}

function decide(command: GoalCommand, state: GoalState): GoalEvent[] {
  switch (command.type) {
    case 'SetGoal': {
      const { setBy, today, ...goal } = command.data;
      if (state.status !== 'none') throw invalidState(`goal ${goal.goalId} already exists`);
      if (setBy !== goal.learnerId) throw new DomainError('forbidden', 'a learner sets their own goals');
      requireFutureTarget(goal.targetDate, today);
      return [{ type: 'feedback.goal-set', data: goal }];
    }
    case 'ReviseGoal': {
      const goal = requireGoal(state);
      const { revisedBy, today, ...revision } = command.data;
      if (revisedBy !== goal.learnerId) throw new DomainError('forbidden', 'a learner revises their own goals');
      if (goal.status !== 'active' && goal.status !== 'deferred') throw invalidState(`a ${goal.status} goal cannot be revised`);
      if (revision.targetDate !== goal.targetDate) requireFutureTarget(revision.targetDate, today);
      return [{ type: 'feedback.goal-revised', data: { goalId: goal.goalId, learnerId: goal.learnerId, ...revision, visibility: goal.visibility } }];
    }
    case 'ChangeGoalStatus': {
      const goal = requireGoal(state);
      if (command.data.changedBy !== goal.learnerId) throw new DomainError('forbidden', 'a learner changes the status of their own goals');
      if (!GOAL_TRANSITIONS[goal.status].includes(command.data.to)) {
        throw invalidState(`a goal cannot go from ${goal.status} to ${command.data.to}`);
      }
      return [{
        type: 'feedback.goal-status-changed',
        data: {
          goalId: goal.goalId, learnerId: goal.learnerId, from: goal.status, to: command.data.to,
          ...(command.data.note ? { note: command.data.note } : {}), visibility: goal.visibility,
        },
      }];
    }
    case 'ChangeGoalSharing': {
      const goal = requireGoal(state);
      if (command.data.changedBy !== goal.learnerId) throw new DomainError('forbidden', 'a learner chooses what they share of their own goals');
      // Asking for what is already the case changes nothing (a repeated request is harmless), at any status.
      if (command.data.visibility === goal.visibility) return [];
      return [{ type: 'feedback.goal-sharing-changed', data: { goalId: goal.goalId, learnerId: goal.learnerId, visibility: command.data.visibility } }];
    }
    default:
      return assertNever(command);
  }
}

function requireGoal(state: GoalState) {
  if (state.status === 'none') throw notFound('no such goal');
  return state;
}

function evolve(state: GoalState, event: GoalEvent): GoalState {
  switch (event.type) {
    case 'feedback.goal-set': {
      const { goalId, learnerId, description, targetDate, visibility } = event.data;
      return { status: 'active', goalId, learnerId, description, targetDate, revisions: 0, visibility };
    }
    case 'feedback.goal-revised':
      return state.status === 'none' ? state : { ...state, description: event.data.description, targetDate: event.data.targetDate, revisions: state.revisions + 1 };
    case 'feedback.goal-status-changed':
      return state.status === 'none' ? state : { ...state, status: event.data.to };
    case 'feedback.goal-sharing-changed':
      return state.status === 'none' ? state : { ...state, visibility: event.data.visibility };
    default:
      return assertNever(event);
  }
}

export const goalDecider: Decider<GoalCommand, GoalEvent, GoalState> = { decide, evolve, initialState: { status: 'none' } };

export const goalStreamId = (goalId: string) => `feedback-goal-${goalId}`;
