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
    const learner = given([opened]).when({ type: 'AddDialogueEntry', data: { entryId: 'e1', authorId: 'lea', text: 'I rushed the handover', visibility: 'private', currentCoachId: 'coa' } }).events();
    const coach = given([opened]).when({ type: 'AddDialogueEntry', data: { entryId: 'e2', authorId: 'coa', text: 'Try SBAR', visibility: 'shared', currentCoachId: 'coa' } }).events();
    expect(learner).toEqual([{ type: 'feedback.dialogue-entry-added', data: { dialogueId: 'd1', entryId: 'e1', authorId: 'lea', visibility: 'private', wordCount: 4, text: 'I rushed the handover' } }]);
    expect(coach[0].data).toMatchObject({ authorId: 'coa', wordCount: 2 });
  });

  const entry = (authorId: string, currentCoachId: string | null, visibility: 'shared' | 'private' = 'shared') =>
    ({ type: 'AddDialogueEntry' as const, data: { entryId: 'e', authorId, text: 'x', visibility, currentCoachId } });
  const close = (closedBy: string, role: 'learner' | 'coach', currentCoachId: string | null) =>
    ({ type: 'CloseFeedbackDialogue' as const, data: { closedBy, role, currentCoachId } });

  it.each([
    ['an entry on a closed dialogue', [opened, closed], entry('lea', 'coa'), 'invalid-state'],
    ['an entry by a stranger', [opened], entry('other', 'coa'), 'forbidden'],
    ['an entry by the learner\'s current coach who is not this dialogue\'s coach', [opened], entry('cob', 'cob'), 'forbidden'],
    ['a private coach entry', [opened], entry('coa', 'coa', 'private'), 'rule-violated'],
    ['closing twice', [opened, closed], close('lea', 'learner', 'coa'), 'invalid-state'],
    ['an entry on a missing dialogue', [], entry('lea', null), 'not-found'],
  ] as const)('refuses %s', (_label, past, command, kind) => {
    expect(given([...past]).when(command).error()).toMatchObject({ kind });
  });

  it('is closed by the coach', () => {
    expect(given([opened]).when(close('coa', 'coach', 'coa')).events()).toEqual([closed]);
  });

  describe('after the coach stops being the learner\'s current coach (transfer or end)', () => {
    it.each([
      ['transferred to another coach', 'cob'],
      ['with no coach at all', null],
    ])('the former coach neither writes nor closes (learner %s)', (_label, currentCoachId) => {
      expect(given([opened]).when(entry('coa', currentCoachId)).error()).toMatchObject({ kind: 'forbidden', message: 'coa is no longer the coach of lea' });
      expect(given([opened]).when(close('coa', 'coach', currentCoachId)).error()).toMatchObject({ kind: 'forbidden', message: 'coa is no longer the coach of lea' });
    });

    it('the learner still writes in and closes their dialogue', () => {
      expect(given([opened]).when(entry('lea', null, 'private')).events()).toHaveLength(1);
      expect(given([opened]).when(close('lea', 'learner', 'cob')).events()).toEqual([closed]);
    });
  });
});
