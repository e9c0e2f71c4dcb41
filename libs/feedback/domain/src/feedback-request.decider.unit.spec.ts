import { spec } from '@cbme/decider';
import { feedbackDialogueDecider } from './feedback-dialogue.decider';
import {
  answerDialogue, FeedbackRequestCommand, FeedbackRequestEvent, feedbackRequestDecider, NO_FEEDBACK_REQUEST,
} from './feedback-request.decider';

const given = spec(feedbackRequestDecider).given;
const today = '2026-09-01T10:00:00.000Z';
const settings = { reminderAfterDays: 3, expiresAfterDays: 14 };
const context = { rotation: 'Ward 3', date: '2026-08-31', encounter: 'Breaking bad news' };

const request = (asked: Extract<FeedbackRequestCommand, { type: 'RequestFeedback' }>['data']['asked'], overrides: Partial<Extract<FeedbackRequestCommand, { type: 'RequestFeedback' }>['data']> = {}): FeedbackRequestCommand => ({
  type: 'RequestFeedback',
  data: {
    requestId: 'r1', requestedBy: 'lea', asked, competencies: ['ICS', 'EPA-8'], context, today, currentCoachId: 'coa',
    colleague: { displayName: 'Dr. Col', isMember: true }, coachName: 'Cora Coach', settings, ...overrides,
  },
});

const madeExternal: FeedbackRequestEvent = {
  type: 'feedback.request-made',
  data: {
    requestId: 'r1', learnerId: 'lea', coachId: 'coa', assessorKind: 'external', competencies: ['ICS', 'EPA-8'],
    remindAt: '2026-09-04T10:00:00.000Z', expiresAt: '2026-09-15T10:00:00.000Z', assessorName: 'Dr. Ext', assessorEmail: 'ext@hospital.org', context,
  },
};
const madeColleague: FeedbackRequestEvent = {
  type: 'feedback.request-made',
  data: { ...madeExternal.data, assessorKind: 'colleague', assessorId: 'col', assessorName: 'Dr. Col', assessorEmail: undefined } as never,
};
const ratings = [{ competency: 'ICS', level: 4 }, { competency: 'EPA-8', level: 3 }];
const answer = (by: { userId: string } | { token: true }, overrides: Partial<{ text: string; ratings: typeof ratings; today: string }> = {}): FeedbackRequestCommand => ({
  type: 'AnswerFeedbackRequest', data: { by, text: 'Clear SBAR handover, check read-back.', ratings, today, ...overrides },
});
const answered: FeedbackRequestEvent = {
  type: 'feedback.request-answered',
  data: {
    requestId: 'r1', learnerId: 'lea', dialogueId: 'fr-r1',
    ratings: [{ competency: 'ICS', level: 4, scale: 'competency' }, { competency: 'EPA-8', level: 3, scale: 'entrustment' }], wordCount: 5, text: 'Clear SBAR handover, check read-back.',
  },
};
const declined: FeedbackRequestEvent = { type: 'feedback.request-declined', data: { requestId: 'r1', learnerId: 'lea' } };
const expired: FeedbackRequestEvent = { type: 'feedback.request-expired', data: { requestId: 'r1', learnerId: 'lea' } };

describe('feedback request', () => {
  describe('asking', () => {
    it('asks an external assessor by e-mail, with reminder and expiry dates from the settings', () => {
      expect(given([]).when(request({ kind: 'external', email: ' Ext@Hospital.org ', name: ' Dr. Ext ' })).events()).toEqual([madeExternal]);
    });

    it('asks the current coach or a colleague with an account, named by id', () => {
      const [toCoach] = given([]).when(request({ kind: 'coach' })).events();
      expect(toCoach.data).toMatchObject({ assessorKind: 'coach', assessorId: 'coa', assessorName: 'Cora Coach' });
      const [toColleague] = given([]).when(request({ kind: 'colleague', userId: 'col' })).events();
      expect(toColleague.data).toMatchObject({ assessorKind: 'colleague', assessorId: 'col', assessorName: 'Dr. Col' });
      expect(toColleague.data).not.toHaveProperty('assessorEmail');
    });

    it.each([
      ['a colleague without an account in the school', request({ kind: 'colleague', userId: 'nob' }, { colleague: null }), 'nob has no account in this school'],
      ['a colleague who is not a member any more', request({ kind: 'colleague', userId: 'col' }, { colleague: { displayName: 'x', isMember: false } }), 'col has no account in this school'],
      ['oneself', request({ kind: 'colleague', userId: 'lea' }), 'ask someone other than yourself'],
      ['no competency', request({ kind: 'coach' }, { competencies: [] }), 'name at least one competency or EPA'],
      ['a competency twice', request({ kind: 'coach' }, { competencies: ['ICS', 'ICS'] }), 'each competency once'],
      ['a learner without a coach', request({ kind: 'coach' }, { currentCoachId: null }), 'you have no coach now; answers to feedback requests arrive in a dialogue with your coach'],
      ['an expiry of 0 days', request({ kind: 'coach' }, { settings: { reminderAfterDays: 0, expiresAfterDays: 0 } }), 'a request must stay open for at least a day'],
    ])('refuses asking %s (422)', (_label, command, message) => {
      expect(given([]).when(command).error()).toMatchObject({ kind: 'rule-violated', message });
    });

    it('is made once', () => {
      expect(given([madeExternal]).when(request({ kind: 'coach' })).error()).toMatchObject({ kind: 'invalid-state' });
    });
  });

  describe('a coach\'s prompt', () => {
    const prompt = (promptedBy: string): FeedbackRequestCommand => ({
      type: 'PromptFeedbackRequest', data: { requestId: 'r1', learnerId: 'lea', competencies: ['ICS'], message: ' Ask the night nurse ', promptedBy, currentCoachId: 'coa' },
    });
    const prompted: FeedbackRequestEvent = { type: 'feedback.request-prompted', data: { requestId: 'r1', learnerId: 'lea', coachId: 'coa', competencies: ['ICS'], message: 'Ask the night nurse' } };

    it('is given by the learner\'s current coach only; to anyone else the learner is unknown', () => {
      expect(given([]).when(prompt('coa')).events()).toEqual([prompted]);
      expect(given([]).when(prompt('other-coach')).error()).toMatchObject({ kind: 'not-found' });
    });

    it('is turned into a request by its learner, who may ask about other competencies too, and names the coach who prompted', () => {
      const [made] = given([prompted]).when(request({ kind: 'external', email: 'e@x.org', name: 'E' })).events();
      expect(made.data).toMatchObject({ requestId: 'r1', promptedBy: 'coa', competencies: ['ICS', 'EPA-8'] });
      expect(given([prompted]).when(request({ kind: 'coach' }, { requestedBy: 'other-learner' })).error()).toMatchObject({ kind: 'not-found', message: NO_FEEDBACK_REQUEST });
    });

    it('lets the prompting coach see the request, but not answer it when someone else was asked', () => {
      const made: FeedbackRequestEvent = { ...madeColleague, data: { ...madeColleague.data, promptedBy: 'coa' } };
      expect(given([prompted, made]).when(answer({ userId: 'coa' })).error()).toMatchObject({ kind: 'forbidden' });
    });
  });

  describe('answering', () => {
    it('takes the answer of the bearer of the token: a rating per competency, on the competency or the entrustment scale', () => {
      expect(given([madeExternal]).when(answer({ token: true })).events()).toEqual([answered]);
    });

    it('takes the answer of the colleague asked, who is named', () => {
      const [event] = given([madeColleague]).when(answer({ userId: 'col' })).events();
      expect(event.data).toMatchObject({ answeredBy: 'col', dialogueId: 'fr-r1' });
    });

    it('is single use: a second answer, or one after a decline or the expiry, is refused (409)', () => {
      expect(given([madeExternal, answered]).when(answer({ token: true })).error()).toMatchObject({ kind: 'invalid-state', message: 'this feedback request was answered; it takes no further answer' });
      expect(given([madeExternal, declined]).when(answer({ token: true })).error()).toMatchObject({ kind: 'invalid-state' });
      expect(given([madeExternal, expired]).when(answer({ token: true })).error()).toMatchObject({ kind: 'invalid-state' });
    });

    it('is refused once the expiry has passed, even before the expiry is recorded', () => {
      expect(given([madeExternal]).when(answer({ token: true }, { today: '2026-09-15T10:00:00.000Z' })).error())
        .toMatchObject({ kind: 'invalid-state', message: 'this feedback request has expired' });
    });

    it('is for the person asked: anyone else who may not see the request is told it does not exist; the learner is forbidden', () => {
      expect(given([madeColleague]).when(answer({ userId: 'stranger' })).error()).toMatchObject({ kind: 'not-found', message: NO_FEEDBACK_REQUEST });
      expect(given([]).when(answer({ token: true })).error()).toMatchObject({ kind: 'not-found', message: NO_FEEDBACK_REQUEST });
      expect(given([madeColleague]).when(answer({ userId: 'lea' })).error()).toMatchObject({ kind: 'forbidden' });
      // an answered request tells a stranger no more than an unknown one
      expect(given([madeColleague, answered]).when(answer({ userId: 'stranger' })).error()).toMatchObject({ kind: 'not-found', message: NO_FEEDBACK_REQUEST });
    });

    it.each([
      ['no text', { text: '  ' }, 'text', 'write what you observed'],
      ['a missing rating', { ratings: [ratings[0]] }, 'ratings', 'rate every competency asked about; missing: EPA-8'],
      ['a rating of a competency not asked about', { ratings: [...ratings, { competency: 'PC', level: 2 }] }, 'ratings', 'not asked about: PC'],
      ['a competency rated twice', { ratings: [...ratings, { competency: 'ICS', level: 2 }] }, 'ratings', 'rate each competency once'],
      ['a level off the scale', { ratings: [{ competency: 'ICS', level: 6 }, ratings[1]] }, 'ratings', 'ratings go from 1 to 5'],
      ['a text that is too long', { text: 'x'.repeat(5001) }, 'text', 'at most 5000 characters (5001 given)'],
    ])('refuses %s (422 at the field)', (_label, overrides, field, message) => {
      expect(given([madeExternal]).when(answer({ token: true }, overrides)).error()).toMatchObject({ kind: 'rule-violated', field, message });
    });
  });

  describe('declining', () => {
    it('is the person asked\'s, with an optional reason, and closes the request', () => {
      expect(given([madeExternal]).when({ type: 'DeclineFeedbackRequest', data: { by: { token: true }, reason: ' On leave ', today } }).events())
        .toEqual([{ type: 'feedback.request-declined', data: { requestId: 'r1', learnerId: 'lea', reason: 'On leave' } }]);
      expect(given([madeColleague]).when({ type: 'DeclineFeedbackRequest', data: { by: { userId: 'col' }, today } }).events())
        .toEqual([declined]);
      expect(given([madeExternal, declined]).when({ type: 'DeclineFeedbackRequest', data: { by: { token: true }, today } }).error()).toMatchObject({ kind: 'invalid-state' });
      expect(given([madeColleague]).when({ type: 'DeclineFeedbackRequest', data: { by: { userId: 'stranger' }, today } }).error()).toMatchObject({ kind: 'not-found' });
    });
  });

  describe('reminder and expiry (jobs)', () => {
    const remind = (at: string): FeedbackRequestCommand => ({ type: 'SendFeedbackRequestReminder', data: { today: at } });
    const reminded: FeedbackRequestEvent = { type: 'feedback.request-reminder-sent', data: { requestId: 'r1', learnerId: 'lea' } };

    it('reminds once, when due, while the request is open and not past its expiry', () => {
      expect(given([madeExternal]).when(remind('2026-09-03T10:00:00.000Z')).events()).toEqual([]);
      expect(given([madeExternal]).when(remind('2026-09-04T10:00:00.000Z')).events()).toEqual([reminded]);
      expect(given([madeExternal, reminded]).when(remind('2026-09-05T10:00:00.000Z')).events()).toEqual([]);
      expect(given([madeExternal, answered]).when(remind('2026-09-05T10:00:00.000Z')).events()).toEqual([]);
      expect(given([madeExternal]).when(remind('2026-09-15T10:00:00.000Z')).events()).toEqual([]);
    });

    it('expires an open request once its expiry has passed, and nothing else', () => {
      const expire = (at: string): FeedbackRequestCommand => ({ type: 'ExpireFeedbackRequest', data: { today: at } });
      expect(given([madeExternal]).when(expire('2026-09-14T10:00:00.000Z')).events()).toEqual([]);
      expect(given([madeExternal]).when(expire('2026-09-15T10:00:00.000Z')).events()).toEqual([expired]);
      expect(given([madeExternal, answered]).when(expire('2026-09-20T10:00:00.000Z')).events()).toEqual([]);
      expect(given([madeExternal, expired]).when(expire('2026-09-20T10:00:00.000Z')).events()).toEqual([]);
    });
  });

  describe('the dialogue of an answer', () => {
    const state = [madeExternal, answered].reduce(feedbackRequestDecider.evolve, feedbackRequestDecider.initialState);
    const open = (answerState = state) => ({ type: 'OpenDialogueFromAnswer' as const, data: { dialogueId: 'fr-r1', entryId: 'fr-r1-answer', answer: answerDialogue(answerState, answered.data) } });
    const dialogues = spec(feedbackDialogueDecider).given;

    it('is opened with the coach the learner had when asking, the answer as a shared entry; no name or context in its published topic', () => {
      const events = dialogues([]).when(open()).events();
      expect(events.map((e) => e.type)).toEqual(['feedback.dialogue-opened', 'feedback.dialogue-entry-added']);
      expect(events[0].data).toEqual({ dialogueId: 'fr-r1', learnerId: 'lea', coachId: 'coa', topic: 'Feedback you asked for on ICS, EPA-8', competencies: ['ICS', 'EPA-8'] });
      expect(events[1].data).toMatchObject({ authorId: 'external:r1', visibility: 'shared', ratings: [{ competency: 'ICS', level: 4 }, { competency: 'EPA-8', level: 3 }] });
      expect((events[1].data as { text: string }).text).toBe([
        'Feedback you asked of Dr. Ext (external assessor), on Ward 3 · 2026-08-31 · Breaking bad news:',
        'Clear SBAR handover, check read-back.', '', 'Ratings:', 'ICS: 4/5 (proficient)', 'EPA-8: 3/5 (act with indirect supervision)',
      ].join('\n'));
    });

    it('names a colleague as the dialogue\'s assessor', () => {
      const colleagueState = [madeColleague, answered].reduce(feedbackRequestDecider.evolve, feedbackRequestDecider.initialState);
      const [opened] = dialogues([]).when(open(colleagueState)).events();
      expect(opened.data).toMatchObject({ assessor: { userId: 'col', name: 'Dr. Col' } });
    });

    it('is opened once (a retried reaction changes nothing) and only for an answered request', () => {
      const first = dialogues([]).when(open()).events();
      expect(dialogues(first).when(open()).events()).toEqual([]);
      const unanswered = [madeExternal].reduce(feedbackRequestDecider.evolve, feedbackRequestDecider.initialState);
      expect(dialogues([]).when(open(unanswered)).error()).toMatchObject({ kind: 'invalid-state' });
    });
  });
});
