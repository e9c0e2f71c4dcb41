import { DialogueClosed, DialogueEntryAdded, DialogueOpened, EntryVisibility, Role } from '@cbme/contracts';
import { assertNever, Decider, invalidState, notFound, ruleViolated, DomainError } from '@cbme/decider';

/** The stored form of an entry: the public event plus its text, which never leaves this service. */
export type DialogueEntryWritten = DialogueEntryAdded & { text: string };

export type DialogueEvent =
  | { type: 'feedback.dialogue-opened'; data: DialogueOpened }
  | { type: 'feedback.dialogue-entry-added'; data: DialogueEntryWritten }
  | { type: 'feedback.dialogue-closed'; data: DialogueClosed };

/**
 * `currentCoachId`: who coaches the dialogue's learner now (null: nobody), as the handler read it from this
 * service's copy of coaching's events. A coach writes in a dialogue only while they are the learner's current
 * coach; the learner always may.
 */
export type DialogueCommand =
  | {
      type: 'OpenFeedbackDialogue';
      data: Omit<DialogueOpened, 'coachId'> & { coachId: string; requestedBy: string; coachIsCurrentCoach: boolean };
    }
  | { type: 'AddDialogueEntry'; data: { entryId: string; authorId: string; text: string; visibility: EntryVisibility; currentCoachId: string | null } }
  | { type: 'CloseFeedbackDialogue'; data: { closedBy: string; role: Role; currentCoachId: string | null } };

export type DialogueState =
  | { status: 'none' }
  | { status: 'open' | 'closed'; dialogueId: string; learnerId: string; coachId: string; entries: number };

const countWords = (text: string) => text.trim().split(/\s+/).filter(Boolean).length;

function decide(command: DialogueCommand, state: DialogueState): DialogueEvent[] {
  switch (command.type) {
    case 'OpenFeedbackDialogue': {
      const { requestedBy, coachIsCurrentCoach, ...opened } = command.data;
      if (state.status !== 'none') throw invalidState(`dialogue ${opened.dialogueId} already exists`);
      if (requestedBy !== opened.learnerId) throw new DomainError('forbidden', 'a learner opens feedback dialogues for themselves');
      if (!coachIsCurrentCoach) throw ruleViolated(`${opened.coachId} is not the current coach of ${opened.learnerId}`);
      return [{ type: 'feedback.dialogue-opened', data: opened }];
    }
    case 'AddDialogueEntry': {
      const dialogue = requireDialogue(state);
      if (dialogue.status === 'closed') throw invalidState('the dialogue is closed; reopen it to add entries');
      const { authorId, text, visibility, entryId, currentCoachId } = command.data;
      requireParticipant(dialogue, authorId, currentCoachId, 'write in it');
      if (authorId === dialogue.coachId && visibility === 'private') {
        throw ruleViolated('a coach entry is always shared with the learner');
      }
      return [{ type: 'feedback.dialogue-entry-added', data: { dialogueId: dialogue.dialogueId, entryId, authorId, visibility, wordCount: countWords(text), text } }];
    }
    case 'CloseFeedbackDialogue': {
      const dialogue = requireDialogue(state);
      if (dialogue.status === 'closed') throw invalidState('the dialogue is already closed');
      requireParticipant(dialogue, command.data.closedBy, command.data.currentCoachId, 'close it');
      return [{ type: 'feedback.dialogue-closed', data: { dialogueId: dialogue.dialogueId, learnerId: dialogue.learnerId } }];
    }
    default:
      return assertNever(command);
  }
}

/** The learner always; the dialogue's coach only while still the learner's current coach; nobody else. */
function requireParticipant(dialogue: Exclude<DialogueState, { status: 'none' }>, userId: string, currentCoachId: string | null, action: string) {
  if (userId === dialogue.learnerId) return;
  if (userId !== dialogue.coachId) throw new DomainError('forbidden', `only the learner and the coach of a dialogue ${action}`);
  if (currentCoachId !== userId) throw new DomainError('forbidden', `${userId} is no longer the coach of ${dialogue.learnerId}`);
}

function requireDialogue(state: DialogueState) {
  if (state.status === 'none') throw notFound('no such feedback dialogue');
  return state;
}

function evolve(state: DialogueState, event: DialogueEvent): DialogueState {
  switch (event.type) {
    case 'feedback.dialogue-opened':
      return { status: 'open', dialogueId: event.data.dialogueId, learnerId: event.data.learnerId, coachId: event.data.coachId, entries: 0 };
    case 'feedback.dialogue-entry-added':
      return state.status === 'none' ? state : { ...state, entries: state.entries + 1 };
    case 'feedback.dialogue-closed':
      return state.status === 'none' ? state : { ...state, status: 'closed' };
    default:
      return assertNever(event);
  }
}

export const feedbackDialogueDecider: Decider<DialogueCommand, DialogueEvent, DialogueState> = {
  decide,
  evolve,
  initialState: { status: 'none' },
};

export const dialogueStreamId = (dialogueId: string) => `feedback-dialogue-${dialogueId}`;
