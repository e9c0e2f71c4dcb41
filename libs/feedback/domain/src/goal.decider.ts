import {
  GoalDraftAbandoned, GoalLinked, GoalProgressNoted, GoalRevised, GoalSet, GoalSharingChanged, GoalStatus, GoalStatusChanged, GoalVisibility, MotivationKind,
} from '@cbme/contracts';
import { assertNever, Decider, DomainError, invalidState, notFound, ruleViolated } from '@cbme/decider';

/** The stored form of a goal's events always has the goal's text; only the published form of a private goal leaves it out. */
export type GoalSetWritten = GoalSet & { description: string; measureOfSuccess: string | null };
export type GoalRevisedWritten = GoalRevised & { description: string; rationale: string };
/** The stored form of a progress note carries its text; the published form never does. */
export type GoalProgressWritten = GoalProgressNoted & { note: string };

export type GoalEvent =
  | { type: 'feedback.goal-drafted'; data: GoalSetWritten }
  | { type: 'feedback.goal-set'; data: GoalSetWritten }
  | { type: 'feedback.goal-revised'; data: GoalRevisedWritten }
  | { type: 'feedback.goal-status-changed'; data: GoalStatusChanged }
  | { type: 'feedback.goal-draft-abandoned'; data: GoalDraftAbandoned }
  | { type: 'feedback.goal-sharing-changed'; data: GoalSharingChanged }
  | { type: 'feedback.goal-progress-noted'; data: GoalProgressWritten }
  | { type: 'feedback.goal-linked'; data: GoalLinked };

/** A goal's lifecycle in this service: a draft first when the learner wants one, then the published statuses. */
export type GoalLifecycle = 'draft' | GoalStatus;

/** `today` is the request's date (YYYY-MM-DD or an instant), read by the HTTP edge: the domain has no clock. */
export type GoalCommand =
  | { type: 'SetGoal'; data: GoalSetWritten & { setBy: string; today: string; draft?: boolean } }
  | { type: 'ReviseGoal'; data: { description: string; targetDate: string; rationale: string; revisedBy: string; today: string } }
  | { type: 'ChangeGoalStatus'; data: { to: GoalStatus; note?: string; changedBy: string; today?: string } }
  /** only the learner chooses whether their coach sees a goal */
  | { type: 'ChangeGoalSharing'; data: { visibility: GoalVisibility; changedBy: string } }
  /** by the learner, or by their current coach on a goal the learner shares */
  | { type: 'NoteGoalProgress'; data: { noteId: string; note: string; authorId: string; currentCoachId: string | null } }
  /** `targetLearnerId`: whose dialogue or result the target is (null: no such thing in this school), read by the handler */
  | { type: 'LinkGoal'; data: { kind: MotivationKind; targetId: string; targetLearnerId: string | null; linkedBy: string } };

export type GoalState =
  | { status: 'none' }
  | {
      status: GoalLifecycle; goalId: string; learnerId: string; description: string; measureOfSuccess: string | null; competencies: string[];
      targetDate: string; revisions: number; visibility: GoalVisibility; links: string[];
    };

/** Which status may follow which; achieved and abandoned are final. A draft becomes active or is abandoned. */
export const GOAL_TRANSITIONS: Record<GoalLifecycle, GoalStatus[]> = {
  draft: ['active', 'abandoned'],
  active: ['achieved', 'abandoned', 'deferred'],
  deferred: ['active', 'abandoned'],
  achieved: [],
  abandoned: [],
};

const dateOnly = (iso: string) => iso.slice(0, 10);
const countWords = (text: string) => text.trim().split(/\s+/).filter(Boolean).length;
const linkKey = (kind: MotivationKind, id: string) => `${kind}:${id}`;

function requireFutureTarget(targetDate: string, today: string) {
  if (dateOnly(targetDate) <= dateOnly(today)) throw ruleViolated(`target date ${dateOnly(targetDate)} must be after today (${dateOnly(today)})`);
}

function decide(command: GoalCommand, state: GoalState): GoalEvent[] {
  switch (command.type) {
    case 'SetGoal': {
      const { setBy, today, draft, ...goal } = command.data;
      if (state.status !== 'none') throw invalidState(`goal ${goal.goalId} already exists`);
      if (setBy !== goal.learnerId) throw new DomainError('forbidden', 'a learner sets their own goals');
      requireFutureTarget(goal.targetDate, today);
      return [{ type: draft ? 'feedback.goal-drafted' : 'feedback.goal-set', data: goal }];
    }
    case 'ReviseGoal': {
      const goal = requireGoal(state);
      const { revisedBy, today, ...revision } = command.data;
      if (revisedBy !== goal.learnerId) throw new DomainError('forbidden', 'a learner revises their own goals');
      if (goal.status === 'achieved' || goal.status === 'abandoned') throw invalidState(`a ${goal.status} goal cannot be revised`);
      if (revision.targetDate !== goal.targetDate) requireFutureTarget(revision.targetDate, today);
      return [{ type: 'feedback.goal-revised', data: { goalId: goal.goalId, learnerId: goal.learnerId, ...revision, visibility: goal.visibility } }];
    }
    case 'ChangeGoalStatus': {
      const goal = requireGoal(state);
      const { to, note, changedBy, today } = command.data;
      if (changedBy !== goal.learnerId) throw new DomainError('forbidden', 'a learner changes the status of their own goals');
      if (!GOAL_TRANSITIONS[goal.status].includes(to)) throw invalidState(`a goal cannot go from ${goal.status} to ${to}`);
      if (goal.status === 'draft') {
        if (to === 'abandoned') return [{ type: 'feedback.goal-draft-abandoned', data: { goalId: goal.goalId, learnerId: goal.learnerId, visibility: goal.visibility } }];
        if (today) requireFutureTarget(goal.targetDate, today);
        const { goalId, learnerId, description, measureOfSuccess, competencies, targetDate, visibility } = goal;
        return [{ type: 'feedback.goal-set', data: { goalId, learnerId, description, measureOfSuccess, competencies, targetDate, visibility } }];
      }
      return [{
        type: 'feedback.goal-status-changed',
        data: { goalId: goal.goalId, learnerId: goal.learnerId, from: goal.status, to, ...(note ? { note } : {}), visibility: goal.visibility },
      }];
    }
    case 'ChangeGoalSharing': {
      const goal = requireGoal(state);
      if (command.data.changedBy !== goal.learnerId) throw new DomainError('forbidden', 'a learner chooses what they share of their own goals');
      // Asking for what is already the case changes nothing (a repeated request is harmless), at any status.
      if (command.data.visibility === goal.visibility) return [];
      return [{ type: 'feedback.goal-sharing-changed', data: { goalId: goal.goalId, learnerId: goal.learnerId, visibility: command.data.visibility } }];
    }
    case 'NoteGoalProgress': {
      const goal = requireGoal(state);
      const { noteId, note, authorId, currentCoachId } = command.data;
      const byCoach = authorId !== goal.learnerId;
      if (byCoach && (authorId !== currentCoachId || goal.visibility === 'private')) throw new DomainError('forbidden', 'progress notes are written by the learner and by their current coach on goals the learner shares');
      if (goal.status !== 'active' && goal.status !== 'deferred') throw invalidState(`a ${goal.status} goal takes no progress notes`);
      return [{ type: 'feedback.goal-progress-noted', data: { goalId: goal.goalId, learnerId: goal.learnerId, noteId, authorId, wordCount: countWords(note), visibility: goal.visibility, note } }];
    }
    case 'LinkGoal': {
      const goal = requireGoal(state);
      const { kind, targetId, targetLearnerId, linkedBy } = command.data;
      if (linkedBy !== goal.learnerId) throw new DomainError('forbidden', 'a learner links their own goals');
      if (targetLearnerId === null) throw notFound(`no ${kind.replace('-', ' ')} ${targetId} in this school`);
      if (targetLearnerId !== goal.learnerId) throw ruleViolated(`${kind.replace('-', ' ')} ${targetId} is not about ${goal.learnerId}`);
      if (goal.links.includes(linkKey(kind, targetId))) return [];
      return [{ type: 'feedback.goal-linked', data: { goalId: goal.goalId, learnerId: goal.learnerId, kind, targetId, visibility: goal.visibility } }];
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
    case 'feedback.goal-drafted':
    case 'feedback.goal-set': {
      const { goalId, learnerId, description, measureOfSuccess, competencies, targetDate, visibility } = event.data;
      const status = event.type === 'feedback.goal-drafted' ? 'draft' : 'active';
      const earlier = state.status === 'none' ? { revisions: 0, links: [] } : { revisions: state.revisions, links: state.links };
      return { status, goalId, learnerId, description, measureOfSuccess: measureOfSuccess ?? null, competencies, targetDate, visibility, ...earlier };
    }
    case 'feedback.goal-revised':
      return state.status === 'none' ? state : { ...state, description: event.data.description, targetDate: event.data.targetDate, revisions: state.revisions + 1 };
    case 'feedback.goal-status-changed':
      return state.status === 'none' ? state : { ...state, status: event.data.to };
    case 'feedback.goal-draft-abandoned':
      return state.status === 'none' ? state : { ...state, status: 'abandoned' };
    case 'feedback.goal-sharing-changed':
      return state.status === 'none' ? state : { ...state, visibility: event.data.visibility };
    case 'feedback.goal-progress-noted':
      return state;
    case 'feedback.goal-linked':
      return state.status === 'none' ? state : { ...state, links: [...state.links, linkKey(event.data.kind, event.data.targetId)] };
    default:
      return assertNever(event);
  }
}

export const goalDecider: Decider<GoalCommand, GoalEvent, GoalState> = { decide, evolve, initialState: { status: 'none' } };

export const goalStreamId = (goalId: string) => `feedback-goal-${goalId}`;
