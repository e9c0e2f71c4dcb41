import {
  GoalDraftAbandoned, GoalLinked, GoalProgressNoted, GoalRevised, GoalSet, GoalSharingChanged, GoalStatus, GoalStatusChanged, GoalUnlinked, GoalVisibility, MotivationKind,
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
  | { type: 'feedback.goal-linked'; data: GoalLinked }
  | { type: 'feedback.goal-unlinked'; data: GoalUnlinked };

/** A goal's lifecycle in this service: a draft first when the learner wants one, then the published statuses. */
export type GoalLifecycle = 'draft' | GoalStatus;

/**
 * `today` is the request's date (YYYY-MM-DD or an instant), read by the HTTP edge: the domain has no clock.
 * `currentCoachId`: who coaches the goal's learner now (null: nobody), read by the handler: it says who may see the goal.
 */
export type GoalCommand =
  | { type: 'SetGoal'; data: GoalSetWritten & { setBy: string; today: string; draft?: boolean } }
  | { type: 'ReviseGoal'; data: { description: string; targetDate: string; rationale: string; revisedBy: string; today: string; currentCoachId: string | null } }
  /** `setAt`: when the goal was set (its goal-set event's date, read by the handler): no status changes before it */
  | { type: 'ChangeGoalStatus'; data: { to: GoalStatus; note?: string; changedBy: string; today?: string; setAt?: string; currentCoachId: string | null } }
  /** only the learner chooses whether their coach sees a goal */
  | { type: 'ChangeGoalSharing'; data: { visibility: GoalVisibility; changedBy: string; currentCoachId: string | null } }
  /** by the learner, or by their current coach on a goal the learner shares */
  | { type: 'NoteGoalProgress'; data: { noteId: string; note: string; authorId: string; currentCoachId: string | null } }
  /** `targetLearnerId`: whose dialogue or result the target is (null: no such thing in this school), read by the handler */
  | { type: 'LinkGoal'; data: { kind: MotivationKind; targetId: string; targetLearnerId: string | null; linkedBy: string; currentCoachId: string | null } }
  | { type: 'UnlinkGoal'; data: { kind: MotivationKind; targetId: string; unlinkedBy: string; currentCoachId: string | null } };

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

type Goal = Exclude<GoalState, { status: 'none' }>;

const dateOnly = (iso: string) => iso.slice(0, 10);
const countWords = (text: string) => text.trim().split(/\s+/).filter(Boolean).length;
const linkKey = (kind: MotivationKind, id: string) => `${kind}:${id}`;

function requireFutureTarget(targetDate: string, today: string) {
  if (dateOnly(targetDate) <= dateOnly(today)) throw ruleViolated(`target date ${dateOnly(targetDate)} must be after today (${dateOnly(today)})`);
}

/** What someone who may not see a goal is told, exactly as for an id that does not exist. */
export const NO_GOAL = 'no goal with that id among those you may see';

/** Who may see a goal: its learner, and their current coach unless the learner keeps it private. Reads ask the same. */
export function mayReadGoal(goal: { learnerId: string; visibility: GoalVisibility }, userId: string, currentCoachId: string | null): boolean {
  return userId === goal.learnerId || (goal.visibility !== 'private' && !!currentCoachId && userId === currentCoachId);
}

function requireVisible(state: GoalState, userId: string, currentCoachId: string | null): Goal {
  if (state.status === 'none' || !mayReadGoal(state, userId, currentCoachId)) throw notFound(NO_GOAL);
  return state;
}

/**
 * Every command on a goal decides in this order: may the actor see it (otherwise exactly the answer for an unknown
 * id), may they do this (403, only to those who see it), and only then its status (409) and rules (422).
 */
function decide(command: GoalCommand, state: GoalState): GoalEvent[] {
  switch (command.type) {
    case 'SetGoal': {
      const { setBy, today, draft, ...goal } = command.data;
      if (setBy !== goal.learnerId) throw new DomainError('forbidden', 'a learner sets their own goals');
      if (state.status !== 'none') throw invalidState(`goal ${goal.goalId} already exists`);
      requireFutureTarget(goal.targetDate, today);
      return [{ type: draft ? 'feedback.goal-drafted' : 'feedback.goal-set', data: goal }];
    }
    case 'ReviseGoal': {
      const { revisedBy, today, currentCoachId, ...revision } = command.data;
      const goal = requireVisible(state, revisedBy, currentCoachId);
      if (revisedBy !== goal.learnerId) throw new DomainError('forbidden', 'a learner revises their own goals');
      if (goal.status === 'achieved' || goal.status === 'abandoned') throw invalidState(`a ${goal.status} goal cannot be revised`);
      if (revision.targetDate !== goal.targetDate) requireFutureTarget(revision.targetDate, today);
      return [{ type: 'feedback.goal-revised', data: { goalId: goal.goalId, learnerId: goal.learnerId, ...revision, visibility: goal.visibility } }];
    }
    case 'ChangeGoalStatus': {
      const { to, note, changedBy, today, setAt, currentCoachId } = command.data;
      const goal = requireVisible(state, changedBy, currentCoachId);
      if (changedBy !== goal.learnerId) throw new DomainError('forbidden', 'a learner changes the status of their own goals');
      if (!GOAL_TRANSITIONS[goal.status].includes(to)) throw invalidState(`a goal cannot go from ${goal.status} to ${to}`);
      // a backdated (imported) change is judged at its own date: a goal is not achieved, abandoned or deferred before it was set
      if (today && setAt && Date.parse(today) < Date.parse(setAt)) throw ruleViolated(`a goal cannot be ${to} before it was set (${setAt}); ${today} is earlier`);
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
      const goal = requireVisible(state, command.data.changedBy, command.data.currentCoachId);
      if (command.data.changedBy !== goal.learnerId) throw new DomainError('forbidden', 'a learner chooses what they share of their own goals');
      // Asking for what is already the case changes nothing (a repeated request is harmless), at any status.
      if (command.data.visibility === goal.visibility) return [];
      return [{ type: 'feedback.goal-sharing-changed', data: { goalId: goal.goalId, learnerId: goal.learnerId, visibility: command.data.visibility } }];
    }
    case 'NoteGoalProgress': {
      const { noteId, note, authorId, currentCoachId } = command.data;
      // whoever sees the goal (the learner, their current coach on a shared goal) may note progress on it
      const goal = requireVisible(state, authorId, currentCoachId);
      if (goal.status !== 'active' && goal.status !== 'deferred') throw invalidState(`a ${goal.status} goal takes no progress notes`);
      return [{ type: 'feedback.goal-progress-noted', data: { goalId: goal.goalId, learnerId: goal.learnerId, noteId, authorId, wordCount: countWords(note), visibility: goal.visibility, note } }];
    }
    case 'LinkGoal': {
      const { kind, targetId, targetLearnerId, linkedBy, currentCoachId } = command.data;
      const goal = requireVisible(state, linkedBy, currentCoachId);
      if (linkedBy !== goal.learnerId) throw new DomainError('forbidden', 'a learner links their own goals');
      // another learner's dialogue or result is, to this learner, one that does not exist
      if (targetLearnerId !== goal.learnerId) throw notFound(`no ${kind.replace('-', ' ')} ${targetId} of ${goal.learnerId} in this school`);
      if (goal.links.includes(linkKey(kind, targetId))) return [];
      return [{ type: 'feedback.goal-linked', data: { goalId: goal.goalId, learnerId: goal.learnerId, kind, targetId, visibility: goal.visibility } }];
    }
    case 'UnlinkGoal': {
      const { kind, targetId, unlinkedBy, currentCoachId } = command.data;
      const goal = requireVisible(state, unlinkedBy, currentCoachId);
      if (unlinkedBy !== goal.learnerId) throw new DomainError('forbidden', 'a learner unlinks their own goals');
      // like linking twice: taking back a link that is not there changes nothing
      if (!goal.links.includes(linkKey(kind, targetId))) return [];
      return [{ type: 'feedback.goal-unlinked', data: { goalId: goal.goalId, learnerId: goal.learnerId, kind, targetId, visibility: goal.visibility } }];
    }
    default:
      return assertNever(command);
  }
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
    case 'feedback.goal-unlinked': {
      if (state.status === 'none') return state;
      const key = linkKey(event.data.kind, event.data.targetId);
      return { ...state, links: state.links.filter((link) => link !== key) };
    }
    default:
      return assertNever(event);
  }
}

export const goalDecider: Decider<GoalCommand, GoalEvent, GoalState> = { decide, evolve, initialState: { status: 'none' } };

export const goalStreamId = (goalId: string) => `feedback-goal-${goalId}`;
