import {
  FeedbackRequestAnswered, FeedbackRequestContext, FeedbackRequestDeclined, FeedbackRequestExpired, FeedbackRequestMade, FeedbackRequestPrompted, FeedbackRequestReminderSent,
  FeedbackRating, RATING_SCALE, RequestedAssessorKind,
} from '@cbme/contracts';
import { assertNever, Decider, DomainError, invalidState, notFound, ruleViolated } from '@cbme/decider';

/**
 * A learner's request for feedback, one stream per request. A coach may open the stream with a prompt ("seek
 * feedback on ICS"); the learner turns it into a request, which goes to their coach, a colleague with an account
 * or an external assessor by e-mail. The request is answered once (free text plus a rating per requested
 * competency), declined, or it expires; it is reminded at most once.
 *
 * The answer lands in a new dialogue of the learner with their coach (see `dialogueOfAnswer` and the dialogue
 * decider's `OpenDialogueFromAnswer`): the learner reflects on it there and links goals to it as to any dialogue.
 */

/** Stored forms: the public events plus the text and addresses that never leave this service. */
export type FeedbackRequestPromptedWritten = FeedbackRequestPrompted & { message?: string };
export type FeedbackRequestMadeWritten = FeedbackRequestMade & { assessorEmail?: string; assessorName: string; context: FeedbackRequestContext };
export type FeedbackRequestAnsweredWritten = FeedbackRequestAnswered & { text: string };
export type FeedbackRequestDeclinedWritten = FeedbackRequestDeclined & { reason?: string };

export type FeedbackRequestEvent =
  | { type: 'feedback.request-prompted'; data: FeedbackRequestPromptedWritten }
  | { type: 'feedback.request-made'; data: FeedbackRequestMadeWritten }
  | { type: 'feedback.request-reminder-sent'; data: FeedbackRequestReminderSent }
  | { type: 'feedback.request-answered'; data: FeedbackRequestAnsweredWritten }
  | { type: 'feedback.request-declined'; data: FeedbackRequestDeclinedWritten }
  | { type: 'feedback.request-expired'; data: FeedbackRequestExpired };

/** Who is asked. An account holder is named by id (the handler reads their name); an external by name and address. */
export type AskedPerson =
  | { kind: 'coach' }
  | { kind: 'colleague'; userId: string }
  | { kind: 'external'; email: string; name: string };

/**
 * Who answers or declines: a signed-in user, or the bearer of the request's token (the handler verified that the
 * token is signed by this service, names this request and has not expired).
 */
export type Responder = { userId: string } | { token: true };

/**
 * `today` is the request's instant (the domain has no clock). `currentCoachId` is who coaches the learner now, as
 * the handler read it from this service's copy of coaching's events. Facts about people the handler reads:
 * `colleague` (the named colleague's roles in the school and display name; null: no such person here).
 */
export type FeedbackRequestCommand =
  | { type: 'PromptFeedbackRequest'; data: { requestId: string; learnerId: string; competencies: string[]; message?: string; promptedBy: string; currentCoachId: string | null } }
  | {
      type: 'RequestFeedback';
      data: {
        requestId: string; requestedBy: string; asked: AskedPerson; competencies: string[]; context: FeedbackRequestContext; today: string;
        currentCoachId: string | null; colleague: { displayName: string; isMember: boolean } | null; coachName: string | null;
        settings: FeedbackRequestSettings;
      };
    }
  | { type: 'AnswerFeedbackRequest'; data: { by: Responder; text: string; ratings: FeedbackRating[]; today: string } }
  | { type: 'DeclineFeedbackRequest'; data: { by: Responder; reason?: string; today: string } }
  | { type: 'SendFeedbackRequestReminder'; data: { today: string } }
  | { type: 'ExpireFeedbackRequest'; data: { today: string } };

/** From feedback's config: when the one reminder goes out and when an unanswered request expires, in days after it was made. */
export interface FeedbackRequestSettings {
  reminderAfterDays: number;
  expiresAfterDays: number;
}

export type FeedbackRequestStatus = 'prompted' | 'requested' | 'answered' | 'declined' | 'expired';

export type FeedbackRequestState =
  | { status: 'none' }
  | {
      status: FeedbackRequestStatus; requestId: string; learnerId: string; promptedBy: string | null; competencies: string[];
      /** set once requested */
      request: null | {
        coachId: string; assessorKind: RequestedAssessorKind; assessorId: string | null; assessorName: string; assessorEmail: string | null;
        context: FeedbackRequestContext; remindAt: string; expiresAt: string; reminded: boolean;
      };
    };

type Request = Exclude<FeedbackRequestState, { status: 'none' }>;

/** What someone who may not see a request is told, exactly as for an id that does not exist. */
export const NO_FEEDBACK_REQUEST = 'no feedback request with that id in this school';

/** The longest answer and the most competencies a request names. */
export const ANSWER_TEXT_MAX = 5000;
export const REQUEST_COMPETENCIES_MAX = 12;

/**
 * The scale every answer rates on: a competency on the 1-5 scale self-assessments use (novice .. expert); an EPA
 * (a code of the AAMC Core EPAs, `EPA-n`) on the 1-5 entrustment scale (how much supervision the learner needs).
 */
export const RATING_SCALES = {
  competency: ['novice', 'advanced beginner', 'competent', 'proficient', 'expert'],
  entrustment: ['observe only', 'act with direct supervision', 'act with indirect supervision', 'act unsupervised', 'supervise others'],
} as const;
export const scaleOf = (code: string): keyof typeof RATING_SCALES => (/^EPA-\d+$/.test(code) ? 'entrustment' : 'competency');

const DAY_MS = 86_400_000;
const plusDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY_MS).toISOString();
const countWords = (text: string) => text.trim().split(/\s+/).filter(Boolean).length;

/**
 * Who may see a request at all: its learner, the person asked (an account holder, by id), the coach who prompted
 * it, and the bearer of its token. Nobody else, whatever their role: reads ask the same.
 */
export function mayReadRequest(request: Request, by: Responder): boolean {
  if ('token' in by) return request.status !== 'prompted' && request.request !== null;
  return by.userId === request.learnerId || (!!request.request?.assessorId && by.userId === request.request.assessorId) || by.userId === request.promptedBy;
}

/** An open request past its expiry counts as expired even before the expiry is recorded. */
export const isPastExpiry = (request: Request, today: string) => !!request.request && Date.parse(today) >= Date.parse(request.request.expiresAt);

function decide(command: FeedbackRequestCommand, state: FeedbackRequestState): FeedbackRequestEvent[] {
  switch (command.type) {
    case 'PromptFeedbackRequest': {
      const { requestId, learnerId, competencies, message, promptedBy, currentCoachId } = command.data;
      // only the learner's current coach prompts; to anyone else the learner is one they cannot see
      if (promptedBy !== currentCoachId) throw notFound(`no learner ${learnerId} coached by you in this school`);
      if (state.status !== 'none') throw invalidState(`feedback request ${requestId} already exists`);
      requireCompetencyCount(competencies);
      return [{ type: 'feedback.request-prompted', data: { requestId, learnerId, coachId: promptedBy, competencies, ...(message?.trim() ? { message: message.trim() } : {}) } }];
    }
    case 'RequestFeedback': {
      const { requestId, requestedBy, asked, competencies, context, today, currentCoachId, colleague, coachName, settings } = command.data;
      if (state.status !== 'none' && state.learnerId !== requestedBy) throw notFound(NO_FEEDBACK_REQUEST);
      if (state.status !== 'none' && state.status !== 'prompted') throw invalidState('this request was already made');
      requireCompetencyCount(competencies);
      if (settings.expiresAfterDays < 1) throw ruleViolated('a request must stay open for at least a day');
      if (!currentCoachId) throw ruleViolated('you have no coach now; answers to feedback requests arrive in a dialogue with your coach');
      const assessor = askedAssessor(asked, requestedBy, currentCoachId, colleague, coachName);
      const data: FeedbackRequestMadeWritten = {
        requestId, learnerId: requestedBy, coachId: currentCoachId, assessorKind: asked.kind, ...(assessor.userId ? { assessorId: assessor.userId } : {}),
        competencies, remindAt: plusDays(today, settings.reminderAfterDays), expiresAt: plusDays(today, settings.expiresAfterDays),
        ...(state.status === 'prompted' && state.promptedBy ? { promptedBy: state.promptedBy } : {}),
        assessorName: assessor.name, ...(assessor.email ? { assessorEmail: assessor.email } : {}), context,
      };
      return [{ type: 'feedback.request-made', data }];
    }
    case 'AnswerFeedbackRequest': {
      const { by, text, ratings, today } = command.data;
      const request = requireRespondable(state, by, today, 'answered');
      const trimmed = text.trim();
      if (!trimmed) throw ruleViolated('write what you observed', 'text');
      if (trimmed.length > ANSWER_TEXT_MAX) throw ruleViolated(`at most ${ANSWER_TEXT_MAX} characters (${trimmed.length} given)`, 'text');
      const rated = new Map(ratings.map((r) => [r.competency, r.level]));
      if (rated.size !== ratings.length) throw ruleViolated('rate each competency once', 'ratings');
      const unasked = ratings.filter((r) => !request.competencies.includes(r.competency)).map((r) => r.competency);
      if (unasked.length > 0) throw ruleViolated(`not asked about: ${unasked.join(', ')}`, 'ratings');
      const missing = request.competencies.filter((c) => !rated.has(c));
      if (missing.length > 0) throw ruleViolated(`rate every competency asked about; missing: ${missing.join(', ')}`, 'ratings');
      if (ratings.some((r) => !Number.isInteger(r.level) || r.level < RATING_SCALE.min || r.level > RATING_SCALE.max)) throw ruleViolated(`ratings go from ${RATING_SCALE.min} to ${RATING_SCALE.max}`, 'ratings');
      const answeredBy = 'userId' in by ? by.userId : null;
      return [{
        type: 'feedback.request-answered',
        data: {
          requestId: request.requestId, learnerId: request.learnerId, dialogueId: dialogueOfAnswer(request.requestId), ...(answeredBy ? { answeredBy } : {}),
          ratings: request.competencies.map((competency) => ({ competency, level: rated.get(competency) ?? 0, scale: scaleOf(competency) })),
          wordCount: countWords(trimmed), text: trimmed,
        },
      }];
    }
    case 'DeclineFeedbackRequest': {
      const { by, reason, today } = command.data;
      const request = requireRespondable(state, by, today, 'declined');
      const trimmed = reason?.trim();
      if (trimmed && trimmed.length > 1000) throw ruleViolated(`at most 1000 characters (${trimmed.length} given)`, 'reason');
      return [{ type: 'feedback.request-declined', data: { requestId: request.requestId, learnerId: request.learnerId, ...(trimmed ? { reason: trimmed } : {}) } }];
    }
    case 'SendFeedbackRequestReminder': {
      // a job's command: a reminder that is not due (any more) changes nothing
      if (state.status !== 'requested' || !state.request || state.request.reminded) return [];
      const { today } = command.data;
      if (Date.parse(today) < Date.parse(state.request.remindAt) || isPastExpiry(state, today)) return [];
      return [{ type: 'feedback.request-reminder-sent', data: { requestId: state.requestId, learnerId: state.learnerId } }];
    }
    case 'ExpireFeedbackRequest': {
      if (state.status !== 'requested' || !isPastExpiry(state, command.data.today)) return [];
      return [{ type: 'feedback.request-expired', data: { requestId: state.requestId, learnerId: state.learnerId } }];
    }
    default:
      return assertNever(command);
  }
}

function requireCompetencyCount(competencies: string[]) {
  if (competencies.length === 0) throw ruleViolated('name at least one competency or EPA', 'competencies');
  if (competencies.length > REQUEST_COMPETENCIES_MAX) throw ruleViolated(`at most ${REQUEST_COMPETENCIES_MAX} competencies in one request`, 'competencies');
  if (new Set(competencies).size !== competencies.length) throw ruleViolated('each competency once', 'competencies');
}

function askedAssessor(asked: AskedPerson, learnerId: string, coachId: string, colleague: { displayName: string; isMember: boolean } | null, coachName: string | null) {
  switch (asked.kind) {
    case 'coach':
      return { userId: coachId, name: coachName ?? coachId };
    case 'colleague':
      if (asked.userId === learnerId) throw ruleViolated('ask someone other than yourself', 'userId');
      if (!colleague?.isMember) throw ruleViolated(`${asked.userId} has no account in this school`, 'userId');
      return { userId: asked.userId, name: colleague.displayName };
    case 'external': {
      const name = asked.name.trim();
      if (!name) throw ruleViolated('say whom you ask', 'name');
      return { name, email: asked.email.trim().toLowerCase() };
    }
    default:
      return assertNever(asked);
  }
}

/**
 * The order every answer and decline decides in: may the responder see the request (otherwise the answer for an
 * unknown id), are they the one asked (403), and is it still open (409: answered, declined or expired; a token is
 * single-use because an answered request takes no second answer).
 */
function requireRespondable(state: FeedbackRequestState, by: Responder, today: string, to: 'answered' | 'declined'): Request {
  if (state.status === 'none' || !mayReadRequest(state, by)) throw notFound(NO_FEEDBACK_REQUEST);
  const asked = 'token' in by || (!!state.request?.assessorId && by.userId === state.request.assessorId);
  if (!asked) throw new DomainError('forbidden', `only the person asked ${to === 'answered' ? 'answers' : 'declines'} a feedback request`);
  if (state.status === 'requested' && isPastExpiry(state, today)) throw invalidState('this feedback request has expired');
  if (state.status !== 'requested') throw invalidState(`this feedback request was ${state.status}; it takes no further answer`);
  return state;
}

/** The dialogue an answer lands in: one per request, so opening it again (a retried reaction) finds it. */
export const dialogueOfAnswer = (requestId: string) => `fr-${requestId}`;

function evolve(state: FeedbackRequestState, event: FeedbackRequestEvent): FeedbackRequestState {
  switch (event.type) {
    case 'feedback.request-prompted': {
      const { requestId, learnerId, coachId, competencies } = event.data;
      return { status: 'prompted', requestId, learnerId, promptedBy: coachId, competencies, request: null };
    }
    case 'feedback.request-made': {
      const d = event.data;
      return {
        status: 'requested', requestId: d.requestId, learnerId: d.learnerId, promptedBy: d.promptedBy ?? (state.status === 'none' ? null : state.promptedBy), competencies: d.competencies,
        request: {
          coachId: d.coachId, assessorKind: d.assessorKind, assessorId: d.assessorId ?? null, assessorName: d.assessorName, assessorEmail: d.assessorEmail ?? null,
          context: d.context, remindAt: d.remindAt, expiresAt: d.expiresAt, reminded: false,
        },
      };
    }
    case 'feedback.request-reminder-sent':
      return state.status === 'none' || !state.request ? state : { ...state, request: { ...state.request, reminded: true } };
    case 'feedback.request-answered':
      return state.status === 'none' ? state : { ...state, status: 'answered' };
    case 'feedback.request-declined':
      return state.status === 'none' ? state : { ...state, status: 'declined' };
    case 'feedback.request-expired':
      return state.status === 'none' ? state : { ...state, status: 'expired' };
    default:
      return assertNever(event);
  }
}

export const feedbackRequestDecider: Decider<FeedbackRequestCommand, FeedbackRequestEvent, FeedbackRequestState> = {
  decide,
  evolve,
  initialState: { status: 'none' },
};

export const feedbackRequestStreamId = (requestId: string) => `feedback-request-${requestId}`;

/** A request's context in one line (rotation · date · encounter), as the answer's entry and the mail tell it. */
export const contextInWords = (context: FeedbackRequestContext) => [context.rotation, context.date?.slice(0, 10), context.encounter].filter(Boolean).join(' · ');

/**
 * What the dialogue of an answer holds, for the dialogue decider's `OpenDialogueFromAnswer`: the coach the learner had
 * when asking; a topic without names or context (the dialogue's topic is published); the answer as the first entry,
 * told with who answered, the context, the text and each rating in its scale's words (entry text stays here).
 */
export function answerDialogue(state: FeedbackRequestState, answer: Pick<FeedbackRequestAnsweredWritten, 'text' | 'ratings' | 'answeredBy'>) {
  if (state.status === 'none' || !state.request) throw invalidState('no such request was made');
  const { request } = state;
  const context = contextInWords(request.context);
  const ratings = answer.ratings.map((r) => `${r.competency}: ${r.level}/${RATING_SCALE.max} (${RATING_SCALES[r.scale][r.level - 1]})`);
  const entryText = [
    `Feedback you asked of ${request.assessorName}${request.assessorKind === 'external' ? ' (external assessor)' : ''}${context ? `, on ${context}` : ''}:`,
    answer.text, '', 'Ratings:', ...ratings,
  ].join('\n');
  return {
    status: state.status, learnerId: state.learnerId, coachId: request.coachId, competencies: state.competencies, assessorId: request.assessorId,
    assessorName: request.assessorName, authorId: answer.answeredBy ?? `external:${state.requestId}`, entryText,
    ratings: answer.ratings.map(({ competency, level }) => ({ competency, level })),
    topic: `Feedback you asked for on ${state.competencies.join(', ')}`.slice(0, 300),
  };
}
