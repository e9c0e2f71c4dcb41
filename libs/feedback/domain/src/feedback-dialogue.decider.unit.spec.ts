import { spec } from '@cbme/decider';
import { DialogueEvent, feedbackDialogueDecider } from './feedback-dialogue.decider';

const opened: DialogueEvent = {
  type: 'feedback.dialogue-opened',
  data: { dialogueId: 'd1', learnerId: 'lea', coachId: 'coa', topic: 'Handover on night shift', competencies: ['ICS'] },
};
const closed: DialogueEvent = { type: 'feedback.dialogue-closed', data: { dialogueId: 'd1', learnerId: 'lea' } };
const given = spec(feedbackDialogueDecider).given;

describe('feedback dialogue', () => {
  it('is opened by the learner with their current coach', () => {
    const events = given([]).when({ type: 'OpenFeedbackDialogue', data: { ...opened.data, requestedBy: 'lea', coachIsCurrentCoach: true } }).events();
    expect(events).toEqual([opened]);
  });

  it('is refused with someone who is not the learner\'s coach', () => {
    const error = given([]).when({ type: 'OpenFeedbackDialogue', data: { ...opened.data, requestedBy: 'lea', coachIsCurrentCoach: false } }).error();
    expect(error).toMatchObject({ kind: 'rule-violated', message: 'coa is not the current coach of lea' });
  });

  it('is not opened by someone else for the learner', () => {
    const error = given([]).when({ type: 'OpenFeedbackDialogue', data: { ...opened.data, requestedBy: 'coa', coachIsCurrentCoach: true } }).error();
    expect(error).toMatchObject({ kind: 'forbidden' });
  });

  it('records entries from both sides with word counts', () => {
    const learner = given([opened]).when({ type: 'AddDialogueEntry', data: { entryId: 'e1', authorId: 'lea', text: 'I rushed the handover', visibility: 'private' } }).events();
    const coach = given([opened]).when({ type: 'AddDialogueEntry', data: { entryId: 'e2', authorId: 'coa', text: 'Try SBAR', visibility: 'shared' } }).events();
    expect(learner).toEqual([{ type: 'feedback.dialogue-entry-added', data: { dialogueId: 'd1', entryId: 'e1', authorId: 'lea', visibility: 'private', wordCount: 4, text: 'I rushed the handover' } }]);
    expect(coach[0].data).toMatchObject({ authorId: 'coa', wordCount: 2 });
  });

  it.each([
    ['an entry on a closed dialogue', [opened, closed], { type: 'AddDialogueEntry', data: { entryId: 'e', authorId: 'lea', text: 'x', visibility: 'shared' } }, 'invalid-state'],
    ['an entry by a stranger', [opened], { type: 'AddDialogueEntry', data: { entryId: 'e', authorId: 'other', text: 'x', visibility: 'shared' } }, 'forbidden'],
    ['a private coach entry', [opened], { type: 'AddDialogueEntry', data: { entryId: 'e', authorId: 'coa', text: 'x', visibility: 'private' } }, 'rule-violated'],
    ['closing twice', [opened, closed], { type: 'CloseFeedbackDialogue', data: { closedBy: 'lea', role: 'learner' } }, 'invalid-state'],
    ['an entry on a missing dialogue', [], { type: 'AddDialogueEntry', data: { entryId: 'e', authorId: 'lea', text: 'x', visibility: 'shared' } }, 'not-found'],
  ] as const)('refuses %s', (_label, past, command, kind) => {
    expect(given([...past]).when(command).error()).toMatchObject({ kind });
  });

  it('is closed by the coach', () => {
    expect(given([opened]).when({ type: 'CloseFeedbackDialogue', data: { closedBy: 'coa', role: 'coach' } }).events()).toEqual([closed]);
  });
});
