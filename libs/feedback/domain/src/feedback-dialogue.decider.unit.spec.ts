import { spec } from '@cbme/decider';
import { DialogueCommand, DialogueEvent, feedbackDialogueDecider, isOverdue, NO_DIALOGUE } from './feedback-dialogue.decider';

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

  it('adds an entry once: the same entry id again (a retry after an unanswered attempt) is a conflict', () => {
    const add = { type: 'AddDialogueEntry' as const, data: { entryId: 'e1', authorId: 'lea', text: 'I rushed the handover', visibility: 'shared' as const, currentCoachId: 'coa' } };
    const [added] = given([opened]).when(add).events();
    expect(given([opened, added]).when(add).error()).toMatchObject({ kind: 'invalid-state', message: 'entry e1 is in the dialogue already' });
    expect(given([opened, added]).when({ ...add, data: { ...add.data, entryId: 'e2' } }).events()).toHaveLength(1);
  });

  const entry = (authorId: string, currentCoachId: string | null, visibility: 'shared' | 'private' = 'shared') =>
    ({ type: 'AddDialogueEntry' as const, data: { entryId: 'e', authorId, text: 'x', visibility, currentCoachId } });
  const close = (closedBy: string, role: 'learner' | 'coach', currentCoachId: string | null) =>
    ({ type: 'CloseFeedbackDialogue' as const, data: { closedBy, role, currentCoachId } });

  it.each([
    ['an entry on a closed dialogue', [opened, closed], entry('lea', 'coa'), 'invalid-state'],
    ['an entry by a stranger', [opened], entry('other', 'coa'), 'not-found'],
    ['an entry by the learner\'s current coach who is not this dialogue\'s coach', [opened], entry('cob', 'cob'), 'forbidden'],
    ['a private coach entry', [opened], entry('coa', 'coa', 'private'), 'rule-violated'],
    ['closing twice', [opened, closed], close('lea', 'learner', 'coa'), 'invalid-state'],
    ['an entry on a missing dialogue', [], entry('lea', null), 'not-found'],
  ] as const)('refuses %s', (_label, past, command, kind) => {
    expect(given([...past]).when(command).error()).toMatchObject({ kind });
  });

  describe('ratings in an entry (others\' view of the learner)', () => {
    const rated = (authorId: string, ratings: { competency: string; level: number }[]) =>
      ({ type: 'AddDialogueEntry' as const, data: { entryId: 'e', authorId, text: 'Clear SBAR', visibility: 'shared' as const, ratings, currentCoachId: 'coa' } });
    const withAssessor: DialogueEvent = { type: 'feedback.dialogue-opened', data: { ...opened.data, competencies: ['ICS', 'PC'], assessor: { userId: 'ass', name: 'Dr A' } } };

    it('are the coach\'s or the assessor\'s, on the dialogue\'s competencies', () => {
      expect(given([opened]).when(rated('coa', [{ competency: 'ICS', level: 3 }])).events()[0].data).toMatchObject({ authorId: 'coa', ratings: [{ competency: 'ICS', level: 3 }] });
      expect(given([withAssessor]).when(rated('ass', [{ competency: 'ICS', level: 2 }, { competency: 'PC', level: 5 }])).events()[0].data)
        .toMatchObject({ ratings: [{ competency: 'ICS', level: 2 }, { competency: 'PC', level: 5 }] });
    });

    it.each([
      ['by the learner', rated('lea', [{ competency: 'ICS', level: 3 }]), 'self-assessment'],
      ['of a competency the dialogue is not about', rated('coa', [{ competency: 'MK', level: 3 }]), 'not about MK'],
      ['of one competency twice', rated('coa', [{ competency: 'ICS', level: 3 }, { competency: 'ICS', level: 4 }]), 'rated twice: ICS'],
      ['off the scale', rated('coa', [{ competency: 'ICS', level: 6 }]), 'levels go from 1'],
    ] as const)('are refused %s, at the field', (_label, command, message) => {
      expect(given([opened]).when(command).error()).toMatchObject({ kind: 'rule-violated', field: 'ratings', message: expect.stringContaining(message) });
    });

    it('are left out of an entry without any', () => {
      expect(given([opened]).when(rated('coa', [])).events()[0].data).not.toHaveProperty('ratings');
    });
  });

  it('is closed by the coach', () => {
    expect(given([opened]).when(close('coa', 'coach', 'coa')).events()).toEqual([closed]);
  });

  describe('after the coach stops being the learner\'s current coach (transfer or end)', () => {
    it.each([
      ['transferred to another coach', 'cob'],
      ['with no coach at all', null],
    ])('the former coach, who may not see it any more, is told it does not exist (learner %s)', (_label, currentCoachId) => {
      expect(given([opened]).when(entry('coa', currentCoachId)).error()).toMatchObject({ kind: 'not-found', message: NO_DIALOGUE });
      expect(given([opened]).when(close('coa', 'coach', currentCoachId)).error()).toMatchObject({ kind: 'not-found', message: NO_DIALOGUE });
    });

    it('the new coach sees it but writes only in their own dialogues (403)', () => {
      expect(given([opened]).when(entry('cob', 'cob')).error()).toMatchObject({ kind: 'forbidden' });
      expect(given([opened, closed]).when(entry('cob', 'cob')).error()).toMatchObject({ kind: 'forbidden' });
    });

    it('the learner still writes in and closes their dialogue', () => {
      expect(given([opened]).when(entry('lea', null, 'private')).events()).toHaveLength(1);
      expect(given([opened]).when(close('lea', 'learner', 'cob')).events()).toEqual([closed]);
    });
  });

  describe('request, reflection, action items, reopening', () => {
    const today = '2026-09-01T10:00:00.000Z';
    const withAssessor: DialogueEvent = {
      type: 'feedback.dialogue-opened',
      data: { ...opened.data, dialogueId: 'd1', context: { course: 'Surgery clerkship', rotation: 'Nights', date: '2026-08-30' }, assessor: { userId: 'pre', name: 'Dr Preceptor' } },
    };
    const open = (assessorIsStaff: boolean, assessor = { userId: 'pre', name: 'Dr Preceptor' }) =>
      ({ type: 'OpenFeedbackDialogue' as const, data: { ...withAssessor.data, assessor, requestedBy: 'lea', coachIsCurrentCoach: true, assessorIsStaff } });
    const agree = (by: string, ownerId: string, dueDate?: string) =>
      ({ type: 'AgreeActionItem' as const, data: { actionId: 'a1', description: 'Use SBAR', ownerId, ...(dueDate ? { dueDate } : {}), agreedBy: by, currentCoachId: 'coa', today } });
    const reopen = (by: string, currentCoachId: string | null = 'coa') => ({ type: 'ReopenFeedbackDialogue' as const, data: { reopenedBy: by, currentCoachId } });

    it('is requested in a context from a named assessor on the school\'s staff', () => {
      expect(given([]).when(open(true)).events()).toEqual([withAssessor]);
      expect(given([]).when(open(false)).error()).toMatchObject({ kind: 'rule-violated', message: 'pre is not a member of staff of this school' });
      expect(given([]).when(open(false, { userId: 'lea', name: 'Me' })).error()).toMatchObject({ kind: 'rule-violated' });
      expect(given([]).when(open(false, { name: 'Dr Visiting' } as never)).events()).toHaveLength(1);
    });

    it('lets the assessor write shared entries, never private ones, and not close it', () => {
      expect(given([withAssessor]).when(entry('pre', 'coa')).events()[0].data).toMatchObject({ authorId: 'pre', visibility: 'shared' });
      expect(given([withAssessor]).when(entry('pre', 'coa', 'private')).error()).toMatchObject({ kind: 'rule-violated' });
      expect(given([withAssessor]).when(close('pre', 'coach', 'coa')).error()).toMatchObject({ kind: 'forbidden' });
    });

    it('records the learner\'s reflection, which only the learner writes', () => {
      const reflect = (authorId: string) => ({ type: 'AddDialogueEntry' as const, data: { entryId: 'r1', authorId, text: 'What I learned', visibility: 'shared' as const, kind: 'reflection' as const, currentCoachId: 'coa' } });
      expect(given([opened]).when(reflect('lea')).events()[0].data).toMatchObject({ kind: 'reflection', wordCount: 3 });
      expect(given([opened]).when(reflect('coa')).error()).toMatchObject({ kind: 'rule-violated', message: 'a reflection is the learner\'s own' });
    });

    it('agrees action items owned by a participant, with an optional due date not in the past', () => {
      expect(given([opened]).when(agree('coa', 'lea', '2026-09-15')).events()).toEqual([{
        type: 'feedback.dialogue-action-agreed', data: { dialogueId: 'd1', learnerId: 'lea', actionId: 'a1', ownerId: 'lea', dueDate: '2026-09-15', description: 'Use SBAR' },
      }]);
      expect(given([opened]).when(agree('lea', 'coa')).events()[0].data).not.toHaveProperty('dueDate');
      expect(given([withAssessor]).when(agree('pre', 'pre')).events()).toHaveLength(1);
      expect(given([opened]).when(agree('lea', 'someone')).error()).toMatchObject({ kind: 'rule-violated' });
      expect(given([opened]).when(agree('lea', 'lea', '2026-08-31')).error()).toMatchObject({ kind: 'rule-violated', message: 'due date 2026-08-31 is in the past (today is 2026-09-01)' });
      expect(given([opened, closed]).when(agree('lea', 'lea')).error()).toMatchObject({ kind: 'invalid-state' });
      expect(given([opened]).when(agree('other', 'lea')).error()).toMatchObject({ kind: 'not-found', message: NO_DIALOGUE });
    });

    const complete = (by: string, outcome = '  Used SBAR on four handovers ', actionId = 'a1', currentCoachId: string | null = 'coa') =>
      ({ type: 'CompleteActionItem' as const, data: { actionId, completedBy: by, outcome, currentCoachId } });
    const drop = (by: string, reason = 'No night shifts until March', actionId = 'a1', currentCoachId: string | null = 'coa') =>
      ({ type: 'DropActionItem' as const, data: { actionId, droppedBy: by, reason, currentCoachId } });
    const done: DialogueEvent = {
      type: 'feedback.dialogue-action-completed', data: { dialogueId: 'd1', learnerId: 'lea', actionId: 'a1', outcomeWords: 5, outcome: 'Used SBAR on four handovers' },
    };
    const dropped: DialogueEvent = { type: 'feedback.dialogue-action-dropped', data: { dialogueId: 'd1', learnerId: 'lea', actionId: 'a1', reason: 'No night shifts until March' } };

    it('marks an action item done with its outcome, by its owner or the learner, also once closed; done again changes nothing', () => {
      const agreed = given([opened]).when(agree('coa', 'coa')).events();
      expect(given([opened, ...agreed]).when(complete('coa')).events()).toEqual([done]);
      expect(given([opened, ...agreed]).when(complete('lea')).events()).toEqual([done]);
      expect(given([opened, ...agreed, closed]).when(complete('lea')).events()).toEqual([done]);
      expect(given([opened, ...agreed, done]).when(complete('lea', 'something else')).events()).toEqual([]);
      expect(given([opened, ...agreed]).when(complete('lea', 'x', 'a2')).error()).toMatchObject({ kind: 'not-found', message: 'no action item a2 in this dialogue' });
      const learnerOwns = given([withAssessor]).when(agree('pre', 'lea')).events();
      expect(given([withAssessor, ...learnerOwns]).when(complete('pre')).error()).toMatchObject({ kind: 'forbidden' });
      expect(given([opened, ...agreed]).when(complete('coa', 'x', 'a1', 'cob')).error()).toMatchObject({ kind: 'not-found', message: NO_DIALOGUE });
    });

    it('drops an action item with its reason, by its owner or the learner, also once closed; dropped again changes nothing', () => {
      const agreed = given([opened]).when(agree('coa', 'coa')).events();
      expect(given([opened, ...agreed]).when(drop('coa')).events()).toEqual([dropped]);
      expect(given([opened, ...agreed, closed]).when(drop('lea')).events()).toEqual([dropped]);
      expect(given([opened, ...agreed, dropped]).when(drop('lea', 'another reason')).events()).toEqual([]);
      expect(given([opened, ...agreed]).when(drop('lea', 'x', 'a2')).error()).toMatchObject({ kind: 'not-found', message: 'no action item a2 in this dialogue' });
      const learnerOwns = given([withAssessor]).when(agree('pre', 'lea')).events();
      expect(given([withAssessor, ...learnerOwns]).when(drop('pre')).error()).toMatchObject({ kind: 'forbidden', message: 'an action item is dropped by its owner or the learner' });
    });

    it('keeps done and dropped final: the other way is refused (409) before the text is judged', () => {
      const agreed = given([opened]).when(agree('coa', 'coa')).events();
      expect(given([opened, ...agreed, done]).when(drop('lea', '')).error()).toMatchObject({ kind: 'invalid-state', message: 'the action item was done; that is final' });
      expect(given([opened, ...agreed, dropped]).when(complete('lea', '')).error()).toMatchObject({ kind: 'invalid-state', message: 'the action item was dropped; that is final' });
    });

    it('asks for an outcome and a reason: required, at most 1000 characters, each refusal at its field', () => {
      const agreed = given([opened]).when(agree('coa', 'coa')).events();
      expect(given([opened, ...agreed]).when(complete('lea', '   ')).error()).toMatchObject({ kind: 'rule-violated', field: 'outcome', message: 'say what came of it' });
      expect(given([opened, ...agreed]).when(drop('lea', '')).error()).toMatchObject({ kind: 'rule-violated', field: 'reason', message: 'say why it is dropped' });
      expect(given([opened, ...agreed]).when(complete('lea', 'x'.repeat(1001))).error()).toMatchObject({ kind: 'rule-violated', field: 'outcome', message: 'at most 1000 characters (1001 given)' });
      expect(given([opened, ...agreed]).when(drop('lea', 'x'.repeat(1001))).error()).toMatchObject({ kind: 'rule-violated', field: 'reason' });
      expect(given([opened, ...agreed]).when(complete('lea', 'x'.repeat(1000))).events()).toHaveLength(1);
    });

    it('reads done items stored before outcomes existed (upcast with a null outcome) as done', () => {
      const agreed = given([opened]).when(agree('coa', 'coa')).events();
      const old: DialogueEvent = { type: 'feedback.dialogue-action-completed', data: { dialogueId: 'd1', learnerId: 'lea', actionId: 'a1', outcomeWords: null, outcome: null } };
      expect(given([opened, ...agreed, old]).when(complete('lea')).events()).toEqual([]);
      expect(given([opened, ...agreed, old]).when(drop('lea')).error()).toMatchObject({ kind: 'invalid-state' });
    });

    it('is reopened by the learner or the current coach, and then takes entries again', () => {
      const reopened: DialogueEvent = { type: 'feedback.dialogue-reopened', data: { dialogueId: 'd1', learnerId: 'lea' } };
      expect(given([opened, closed]).when(reopen('lea')).events()).toEqual([reopened]);
      expect(given([opened, closed]).when(reopen('coa')).events()).toEqual([reopened]);
      expect(given([opened, closed]).when(reopen('coa', 'cob')).error()).toMatchObject({ kind: 'not-found', message: NO_DIALOGUE });
      expect(given([opened]).when(reopen('lea')).error()).toMatchObject({ kind: 'invalid-state', message: 'the dialogue is open' });
      expect(given([opened]).when(reopen('stranger')).error()).toMatchObject({ kind: 'not-found', message: NO_DIALOGUE });
      expect(given([opened, closed, reopened]).when(entry('lea', 'coa')).events()).toHaveLength(1);
      expect(given([opened, closed, reopened]).when(close('lea', 'learner', 'coa')).events()).toEqual([closed]);
    });
  });

  describe('someone who may not see a dialogue gets the answer for an unknown id, whatever its state', () => {
    const reference = (by: string, currentCoachId: string | null, resultLearnerId: string | null = 'lea') =>
      ({ type: 'ReferenceAssessmentResult' as const, data: { resultId: 'imp.2', resultLearnerId, referencedBy: by, currentCoachId } });
    const commands = (by: string, currentCoachId: string | null): [string, DialogueCommand][] => [
      ['an entry', entry(by, currentCoachId)],
      ['an action item', { type: 'AgreeActionItem', data: { actionId: 'a1', description: 'x', ownerId: 'lea', agreedBy: by, currentCoachId, today: '2026-09-01' } }],
      ['closing', close(by, 'coach', currentCoachId)],
      ['reopening', { type: 'ReopenFeedbackDialogue', data: { reopenedBy: by, currentCoachId } }],
      ['a result reference', reference(by, currentCoachId)],
      ['marking an action item done', { type: 'CompleteActionItem', data: { actionId: 'a1', completedBy: by, outcome: 'x', currentCoachId } }],
      ['dropping an action item', { type: 'DropActionItem', data: { actionId: 'a1', droppedBy: by, reason: 'x', currentCoachId } }],
    ];
    const reopened: DialogueEvent = { type: 'feedback.dialogue-reopened', data: { dialogueId: 'd1', learnerId: 'lea' } };
    const states: [string, DialogueEvent[]][] = [['open', [opened]], ['closed', [opened, closed]], ['reopened', [opened, closed, reopened]]];
    const outsiders: [string, string, string | null][] = [
      ['the former coach (learner transferred)', 'coa', 'cob'],
      ['the former coach (relationship ended)', 'coa', null],
      ['another coach', 'cox', 'coa'],
      ['another learner', 'lex', 'coa'],
    ];

    it.each(states.flatMap(([state, past]) => outsiders.flatMap(([who, by, current]) => commands(by, current).map(([what, command]) => [state, who, what, past, command] as const))))(
      'given a dialogue that is %s, when %s tries %s, then not-found as for an unknown id',
      (_state, _who, _what, past, command) => {
        const unknown = given([]).when(command).error();
        expect(given([...past]).when(command).error()).toEqual(unknown);
        expect(unknown).toMatchObject({ kind: 'not-found', message: NO_DIALOGUE });
      },
    );

    it('given an open dialogue, when its learner references another learner\'s result, then not-found as for a result that does not exist', () => {
      const missing = given([opened]).when(reference('lea', 'coa', null)).error();
      expect(given([opened]).when(reference('lea', 'coa', 'lex')).error()).toEqual(missing);
      expect(missing).toMatchObject({ kind: 'not-found' });
    });
  });

  describe('an action item is overdue', () => {
    it.each([
      ['open, its due day over', { dueDate: '2026-09-14', status: 'open' as const }, '2026-09-15T00:00:00.000Z', true],
      ['open, on its due day (until midnight UTC)', { dueDate: '2026-09-15', status: 'open' as const }, '2026-09-15T23:59:59.999Z', false],
      ['open, a due instant given as a date-time', { dueDate: '2026-09-14T08:00:00.000Z', status: 'open' as const }, '2026-09-15T00:00:00.000Z', true],
      ['open, without a due date', { dueDate: null, status: 'open' as const }, '2030-01-01T00:00:00.000Z', false],
      ['done, even late', { dueDate: '2026-09-14', status: 'done' as const }, '2026-10-01T00:00:00.000Z', false],
      ['dropped, even late', { dueDate: '2026-09-14', status: 'dropped' as const }, '2026-10-01T00:00:00.000Z', false],
    ])('when %s: %s', (_label, item, now, expected) => {
      expect(isOverdue(item, now)).toBe(expected);
    });
  });
});
