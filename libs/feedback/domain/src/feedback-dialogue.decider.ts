import {
  CompetencyRating, DialogueActionAgreed, DialogueActionCompleted, DialogueActionDropped, DialogueAssessor, DialogueClosed, DialogueEntryAdded, DialogueOpened, DialogueReopened, DialogueResultReferenced, EntryKind, EntryVisibility,
  RATING_SCALE, Role,
} from '@cbme/contracts';
import { assertNever, Decider, invalidState, notFound, ruleViolated, DomainError } from '@cbme/decider';

/** The stored form of an entry: the public event plus its text, which never leaves this service. */
export type DialogueEntryWritten = DialogueEntryAdded & { text: string };
/** The stored form of an action item: the public event plus its wording. */
export type DialogueActionWritten = DialogueActionAgreed & { description: string };
/** The stored form of a completion: what came of the item (null: done before outcomes were asked). */
export type DialogueActionCompletedWritten = DialogueActionCompleted & { outcome: string | null };
/** The stored form of a drop: why the item will not be done. */
export type DialogueActionDroppedWritten = DialogueActionDropped & { reason: string };

/** The longest outcome or reason for dropping an action item. */
export const ACTION_TEXT_MAX = 1000;

export type DialogueEvent =
  | { type: 'feedback.dialogue-opened'; data: DialogueOpened }
  | { type: 'feedback.dialogue-entry-added'; data: DialogueEntryWritten }
  | { type: 'feedback.dialogue-action-agreed'; data: DialogueActionWritten }
  | { type: 'feedback.dialogue-action-completed'; data: DialogueActionCompletedWritten }
  | { type: 'feedback.dialogue-action-dropped'; data: DialogueActionDroppedWritten }
  | { type: 'feedback.dialogue-closed'; data: DialogueClosed }
  | { type: 'feedback.dialogue-reopened'; data: DialogueReopened }
  | { type: 'feedback.dialogue-result-referenced'; data: DialogueResultReferenced };

/**
 * `currentCoachId`: who coaches the dialogue's learner now (null: nobody), as the handler read it from this
 * service's copy of coaching's events. A coach writes in a dialogue only while they are the learner's current
 * coach; the learner always may; a named assessor with an account writes shared entries while it lasts.
 * `assessorIsStaff`: whether the assessor's account holds a staff role in the school (read by the handler).
 * `today` is the request's instant (the domain has no clock).
 */
export type DialogueCommand =
  | {
      type: 'OpenFeedbackDialogue';
      data: DialogueOpened & { requestedBy: string; coachIsCurrentCoach: boolean; assessorIsStaff?: boolean };
    }
  | {
      type: 'AddDialogueEntry';
      data: { entryId: string; authorId: string; text: string; visibility: EntryVisibility; kind?: EntryKind; ratings?: CompetencyRating[]; currentCoachId: string | null };
    }
  | {
      type: 'AgreeActionItem';
      data: { actionId: string; description: string; ownerId: string; dueDate?: string; agreedBy: string; currentCoachId: string | null; today: string };
    }
  /**
   * by the item's owner or the dialogue's learner, also once the dialogue is closed (the work often comes after);
   * done says what came of it, dropped says why; each is final
   */
  | { type: 'CompleteActionItem'; data: { actionId: string; completedBy: string; outcome: string; currentCoachId: string | null } }
  | { type: 'DropActionItem'; data: { actionId: string; droppedBy: string; reason: string; currentCoachId: string | null } }
  | { type: 'CloseFeedbackDialogue'; data: { closedBy: string; role: Role; currentCoachId: string | null } }
  | { type: 'ReopenFeedbackDialogue'; data: { reopenedBy: string; currentCoachId: string | null } }
  /**
   * The answer to a learner's feedback request becomes a dialogue of the learner with the coach they had when they
   * asked, holding the answer as its first (shared) entry. Sent by this service's reaction to the answer, so it is
   * idempotent: a dialogue that exists already changes nothing. `answer` is the request as the handler read it.
   */
  | {
      type: 'OpenDialogueFromAnswer';
      data: {
        dialogueId: string; entryId: string;
        answer: { status: string; learnerId: string; coachId: string; competencies: string[]; assessorId: string | null; assessorName: string; authorId: string; entryText: string; topic: string;
          /** the answer's ratings, checked by the request's decider against what was asked */
          ratings: { competency: string; level: number }[] };
      };
    }
  /** `resultLearnerId`: whose result it is (null: no such result in this school), read by the handler */
  | { type: 'ReferenceAssessmentResult'; data: { resultId: string; resultLearnerId: string | null; referencedBy: string; currentCoachId: string | null } };

export type DialogueState =
  | { status: 'none' }
  | {
      status: 'open' | 'closed'; dialogueId: string; learnerId: string; coachId: string; assessorId: string | null; entries: number;
      /** the ids of its entries: an entry sent again with its id (a retry after an unanswered attempt) is not added twice */
      entryIds: string[];
      /** the competencies the dialogue is about (what the coach and an assessor may rate in it) */
      competencies: string[];
      actions: { actionId: string; ownerId: string; status: ActionStatus }[];
      references: string[];
    };

export type ActionStatus = 'open' | 'done' | 'dropped';

type Dialogue = Exclude<DialogueState, { status: 'none' }>;

const countWords = (text: string) => text.trim().split(/\s+/).filter(Boolean).length;
const dateOnly = (iso: string) => iso.slice(0, 10);

/** What someone who may not see a dialogue is told, exactly as for an id that does not exist. */
export const NO_DIALOGUE = 'no feedback dialogue with that id in this school';

/**
 * Who may see a dialogue at all: its learner, its named assessor, and whoever coaches the learner now (a coach who
 * took over after a transfer too). A former coach, another coach or learner, a lead: nobody else. Reads ask the same.
 */
export function mayReadDialogue(dialogue: { learnerId: string; assessorId: string | null }, userId: string, currentCoachId: string | null): boolean {
  return userId === dialogue.learnerId || (!!dialogue.assessorId && userId === dialogue.assessorId) || (!!currentCoachId && userId === currentCoachId);
}

/**
 * Every command on a dialogue decides in this order: may the actor see it at all (otherwise exactly the answer for
 * an unknown id), may they do this (403, only to those who see it), and only then its state (409) and rules (422).
 */
function decide(command: DialogueCommand, state: DialogueState): DialogueEvent[] {
  switch (command.type) {
    case 'OpenFeedbackDialogue': {
      const { requestedBy, coachIsCurrentCoach, assessorIsStaff, ...opened } = command.data;
      if (requestedBy !== opened.learnerId) throw new DomainError('forbidden', 'a learner opens feedback dialogues for themselves');
      if (state.status !== 'none') throw invalidState(`dialogue ${opened.dialogueId} already exists`);
      if (!coachIsCurrentCoach) throw ruleViolated(`${opened.coachId} is not the current coach of ${opened.learnerId}`);
      requireAssessor(opened, assessorIsStaff ?? false);
      return [{ type: 'feedback.dialogue-opened', data: opened }];
    }
    case 'OpenDialogueFromAnswer': {
      const { dialogueId, entryId, answer } = command.data;
      if (answer.status !== 'answered') throw invalidState('only an answered feedback request opens a dialogue');
      if (state.status !== 'none') return [];
      // a colleague or the coach with an account is named as the assessor (they read and write shared entries); an
      // external's name stays out of the published dialogue and is told in the entry
      const assessor = answer.assessorId && answer.assessorId !== answer.coachId ? { assessor: { userId: answer.assessorId, name: answer.assessorName } } : {};
      return [
        { type: 'feedback.dialogue-opened', data: { dialogueId, learnerId: answer.learnerId, coachId: answer.coachId, topic: answer.topic, competencies: answer.competencies, ...assessor } },
        {
          type: 'feedback.dialogue-entry-added',
          data: {
            dialogueId, entryId, authorId: answer.authorId, visibility: 'shared', wordCount: countWords(answer.entryText), text: answer.entryText,
            ...(answer.ratings.length ? { ratings: answer.ratings } : {}),
          },
        },
      ];
    }
    case 'AddDialogueEntry': {
      const { authorId, text, visibility, entryId, currentCoachId, kind, ratings } = command.data;
      const dialogue = requireVisible(state, authorId, currentCoachId);
      requireParticipant(dialogue, authorId, currentCoachId, 'write in it', true);
      requireOpen(dialogue, 'add entries');
      if (dialogue.entryIds.includes(entryId)) throw invalidState(`entry ${entryId} is in the dialogue already`);
      if (authorId !== dialogue.learnerId && visibility === 'private') throw ruleViolated('an entry by the coach or an assessor is always shared with the learner');
      if (kind === 'reflection' && authorId !== dialogue.learnerId) throw ruleViolated('a reflection is the learner\'s own');
      if (ratings?.length) requireRatings(dialogue, authorId, ratings);
      return [{
        type: 'feedback.dialogue-entry-added',
        data: {
          dialogueId: dialogue.dialogueId, entryId, authorId, visibility, wordCount: countWords(text), ...(kind ? { kind } : {}),
          ...(ratings?.length ? { ratings: ratings.map(({ competency, level }) => ({ competency, level })) } : {}), text,
        },
      }];
    }
    case 'AgreeActionItem': {
      const { actionId, description, ownerId, dueDate, agreedBy, currentCoachId, today } = command.data;
      const dialogue = requireVisible(state, agreedBy, currentCoachId);
      requireParticipant(dialogue, agreedBy, currentCoachId, 'agree action items in it', true);
      requireOpen(dialogue, 'agree action items');
      const owners = [dialogue.learnerId, dialogue.coachId, ...(dialogue.assessorId ? [dialogue.assessorId] : [])];
      if (!owners.includes(ownerId)) throw ruleViolated(`an action item is owned by the learner, the coach or the assessor of the dialogue, not ${ownerId}`);
      if (dueDate && dateOnly(dueDate) < dateOnly(today)) throw ruleViolated(`due date ${dateOnly(dueDate)} is in the past (today is ${dateOnly(today)})`);
      return [{
        type: 'feedback.dialogue-action-agreed',
        data: { dialogueId: dialogue.dialogueId, learnerId: dialogue.learnerId, actionId, ownerId, ...(dueDate ? { dueDate } : {}), description },
      }];
    }
    case 'CompleteActionItem': {
      const { actionId, completedBy, outcome, currentCoachId } = command.data;
      const { dialogue, action } = requireSettleable(state, actionId, completedBy, currentCoachId, 'done');
      // done is final: marking it again changes nothing (the first outcome stands)
      if (action.status === 'done') return [];
      const text = requireActionText(outcome, 'outcome', 'what came of it');
      const ids = { dialogueId: dialogue.dialogueId, learnerId: dialogue.learnerId, actionId };
      return [{ type: 'feedback.dialogue-action-completed', data: { ...ids, outcomeWords: countWords(text), outcome: text } }];
    }
    case 'DropActionItem': {
      const { actionId, droppedBy, reason, currentCoachId } = command.data;
      const { dialogue, action } = requireSettleable(state, actionId, droppedBy, currentCoachId, 'dropped');
      if (action.status === 'dropped') return [];
      const text = requireActionText(reason, 'reason', 'why it is dropped');
      return [{ type: 'feedback.dialogue-action-dropped', data: { dialogueId: dialogue.dialogueId, learnerId: dialogue.learnerId, actionId, reason: text } }];
    }
    case 'CloseFeedbackDialogue': {
      const dialogue = requireVisible(state, command.data.closedBy, command.data.currentCoachId);
      requireParticipant(dialogue, command.data.closedBy, command.data.currentCoachId, 'close it', false);
      if (dialogue.status === 'closed') throw invalidState('the dialogue is already closed');
      return [{ type: 'feedback.dialogue-closed', data: { dialogueId: dialogue.dialogueId, learnerId: dialogue.learnerId } }];
    }
    case 'ReopenFeedbackDialogue': {
      const dialogue = requireVisible(state, command.data.reopenedBy, command.data.currentCoachId);
      requireParticipant(dialogue, command.data.reopenedBy, command.data.currentCoachId, 'reopen it', false);
      if (dialogue.status === 'open') throw invalidState('the dialogue is open');
      return [{ type: 'feedback.dialogue-reopened', data: { dialogueId: dialogue.dialogueId, learnerId: dialogue.learnerId } }];
    }
    case 'ReferenceAssessmentResult': {
      const { resultId, resultLearnerId, referencedBy, currentCoachId } = command.data;
      const dialogue = requireVisible(state, referencedBy, currentCoachId);
      requireParticipant(dialogue, referencedBy, currentCoachId, 'reference results in it', false);
      requireOpen(dialogue, 'reference results');
      // another learner's result is, to the dialogue's people, one that does not exist
      if (resultLearnerId !== dialogue.learnerId) throw notFound(`no assessment result ${resultId} of ${dialogue.learnerId} in this school`);
      if (dialogue.references.includes(resultId)) return [];
      return [{ type: 'feedback.dialogue-result-referenced', data: { dialogueId: dialogue.dialogueId, learnerId: dialogue.learnerId, resultId } }];
    }
    default:
      return assertNever(command);
  }
}

/**
 * Others' view of the learner: the coach or the assessor rates competencies the dialogue is about, each once per
 * entry, on the framework's scale. The learner's own view is a self-assessment, not a rating in a dialogue.
 */
function requireRatings(dialogue: Dialogue, authorId: string, ratings: CompetencyRating[]) {
  if (authorId === dialogue.learnerId) throw ruleViolated('a learner rates themselves in a self-assessment, not in a dialogue entry', 'ratings');
  const outside = ratings.map((r) => r.competency).filter((c) => !dialogue.competencies.includes(c));
  if (outside.length > 0) throw ruleViolated(`the dialogue is not about ${[...new Set(outside)].join(', ')} (it is about ${dialogue.competencies.join(', ') || 'no competency'})`, 'ratings');
  const twice = ratings.map((r) => r.competency).filter((c, i, all) => all.indexOf(c) !== i);
  if (twice.length > 0) throw ruleViolated(`rated twice: ${[...new Set(twice)].join(', ')}`, 'ratings');
  if (ratings.some((r) => !Number.isInteger(r.level) || r.level < RATING_SCALE.min || r.level > RATING_SCALE.max)) throw ruleViolated(`levels go from ${RATING_SCALE.min} (novice) to ${RATING_SCALE.max} (expert)`, 'ratings');
}

function requireAssessor(opened: DialogueOpened, assessorIsStaff: boolean) {
  const assessor: DialogueAssessor | undefined = opened.assessor;
  if (!assessor?.userId) return;
  if (assessor.userId === opened.learnerId) throw ruleViolated('a learner does not assess themselves in a dialogue');
  if (assessor.userId !== opened.coachId && !assessorIsStaff) throw ruleViolated(`${assessor.userId} is not a member of staff of this school`);
}

/**
 * The learner always; the dialogue's coach only while still the learner's current coach; its assessor (when
 * allowed for the action) while the dialogue lasts; nobody else.
 */
function requireParticipant(dialogue: Dialogue, userId: string, currentCoachId: string | null, action: string, assessorMay: boolean) {
  if (userId === dialogue.learnerId) return;
  if (assessorMay && dialogue.assessorId && userId === dialogue.assessorId) return;
  if (userId !== dialogue.coachId) throw new DomainError('forbidden', `only the learner and the coach of a dialogue ${action}`);
  if (currentCoachId !== userId) throw new DomainError('forbidden', `${userId} is no longer the coach of ${dialogue.learnerId}`);
}

/**
 * Who may settle an action item (mark it done or drop it): its owner or the dialogue's learner, also once the
 * dialogue is closed. Done and dropped are both final: settling it the other way is refused (409); the same way
 * again is for the caller to treat as no change.
 */
function requireSettleable(state: DialogueState, actionId: string, userId: string, currentCoachId: string | null, to: 'done' | 'dropped') {
  const dialogue = requireVisible(state, userId, currentCoachId);
  requireParticipant(dialogue, userId, currentCoachId, to === 'done' ? 'mark action items done' : 'drop action items', true);
  const action = dialogue.actions.find((a) => a.actionId === actionId);
  if (!action) throw notFound(`no action item ${actionId} in this dialogue`);
  if (userId !== action.ownerId && userId !== dialogue.learnerId) throw new DomainError('forbidden', `an action item is ${to === 'done' ? 'marked done' : 'dropped'} by its owner or the learner`);
  if (action.status !== 'open' && action.status !== to) throw invalidState(`the action item was ${action.status}; that is final`);
  return { dialogue, action };
}

/** An outcome or a reason: required, at most ACTION_TEXT_MAX characters (trimmed). */
function requireActionText(text: string, field: string, what: string): string {
  const trimmed = text.trim();
  if (!trimmed) throw ruleViolated(`say ${what}`, field);
  if (trimmed.length > ACTION_TEXT_MAX) throw ruleViolated(`at most ${ACTION_TEXT_MAX} characters (${trimmed.length} given)`, field);
  return trimmed;
}

function requireVisible(state: DialogueState, userId: string, currentCoachId: string | null): Dialogue {
  if (state.status === 'none' || !mayReadDialogue(state, userId, currentCoachId)) throw notFound(NO_DIALOGUE);
  return state;
}

function requireOpen(dialogue: Dialogue, what: string): void {
  if (dialogue.status === 'closed') throw invalidState(`the dialogue is closed; reopen it to ${what}`);
}

function evolve(state: DialogueState, event: DialogueEvent): DialogueState {
  switch (event.type) {
    case 'feedback.dialogue-opened':
      return {
        status: 'open', dialogueId: event.data.dialogueId, learnerId: event.data.learnerId, coachId: event.data.coachId,
        assessorId: event.data.assessor?.userId ?? null, entries: 0, entryIds: [], competencies: event.data.competencies, actions: [], references: [],
      };
    case 'feedback.dialogue-entry-added':
      return state.status === 'none' ? state : { ...state, entries: state.entries + 1, entryIds: [...state.entryIds, event.data.entryId] };
    case 'feedback.dialogue-action-agreed':
      return state.status === 'none' ? state : { ...state, actions: [...state.actions, { actionId: event.data.actionId, ownerId: event.data.ownerId, status: 'open' }] };
    case 'feedback.dialogue-action-completed':
      return settle(state, event.data.actionId, 'done');
    case 'feedback.dialogue-action-dropped':
      return settle(state, event.data.actionId, 'dropped');
    case 'feedback.dialogue-closed':
      return state.status === 'none' ? state : { ...state, status: 'closed' };
    case 'feedback.dialogue-reopened':
      return state.status === 'none' ? state : { ...state, status: 'open' };
    case 'feedback.dialogue-result-referenced':
      return state.status === 'none' ? state : { ...state, references: [...state.references, event.data.resultId] };
    default:
      return assertNever(event);
  }
}

function settle(state: DialogueState, actionId: string, status: ActionStatus): DialogueState {
  return state.status === 'none' ? state : { ...state, actions: state.actions.map((a) => (a.actionId === actionId ? { ...a, status } : a)) };
}

/**
 * An open action item is overdue once the day of its due date has passed (UTC dates, as the due-date rule of
 * `AgreeActionItem` reads them), judged at `now`, the request's instant; done, dropped or undated items never are.
 */
export function isOverdue(item: { dueDate?: string | null; status: ActionStatus }, now: string): boolean {
  return item.status === 'open' && !!item.dueDate && dateOnly(item.dueDate) < dateOnly(now);
}

export const feedbackDialogueDecider: Decider<DialogueCommand, DialogueEvent, DialogueState> = {
  decide,
  evolve,
  initialState: { status: 'none' },
};

export const dialogueStreamId = (dialogueId: string) => `feedback-dialogue-${dialogueId}`;
