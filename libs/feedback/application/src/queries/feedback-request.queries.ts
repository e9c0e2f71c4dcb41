import { FeedbackAnswerRating, FeedbackRequestPrompted } from '@cbme/contracts';
import { notFound } from '@cbme/decider';
import { EVENT_STORE, EventStore, loadState } from '@cbme/event-sourcing';
import {
  competencyFrameworksDecider, feedbackRequestStreamId, frameworksOf, frameworksStreamId, isPastExpiry, mayReadRequest, NO_FEEDBACK_REQUEST, NO_LEARNER, RATING_SCALES, scaleOf,
} from '@cbme/feedback-domain';
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { foldRequest, LINK_REFUSED, requestOfToken } from '../commands/feedback-request.commands';
import { FEEDBACK_REQUEST_VIEWS, FeedbackRequestView, FeedbackRequestViews, REQUEST_TOKENS, RequestTokens } from '../ports/feedback-request-ports';
import { CONTACTS, Contacts } from '../ports/notifier';
import { CURRENT_COACHES, CurrentCoaches } from '../ports/read-model-ports';
import { Viewer } from './feedback.queries';

export class GetFeedbackRequestQuery {
  constructor(readonly viewer: Viewer, readonly requestId: string, readonly now: string) {}
}

/**
 * A learner's requests and prompts: all for the learner; for their current coach those the coach may read (asked of
 * them, prompted by them); anyone else gets the 404 for a learner who does not exist (a colleague asked reads their
 * own list, "asked of me").
 */
export class ListLearnerFeedbackRequestsQuery {
  constructor(readonly viewer: Viewer, readonly learnerId: string, readonly now: string) {}
}

export class ListFeedbackAskedOfMeQuery {
  constructor(readonly viewer: Viewer, readonly now: string) {}
}

export class GetFeedbackRequestByTokenQuery {
  constructor(readonly token: string, readonly now: string) {}
}

/** An open request past its expiry reads as expired before its expiry job has run. */
const asOfNow = (view: FeedbackRequestView, now: string): FeedbackRequestView =>
  view.status === 'requested' && view.expiresAt && Date.parse(now) >= Date.parse(view.expiresAt) ? { ...view, status: 'expired' } : view;

/** Competencies with their names and the scale an answer rates each on. */
async function describeCompetencies(store: EventStore, schoolId: string, codes: string[]) {
  const { state } = await loadState(store, competencyFrameworksDecider, frameworksStreamId(schoolId));
  const names = new Map(frameworksOf(state).flatMap((f) => [...f.competencies, ...f.retired].map((c) => [c.code, c.name] as const)));
  return codes.map((code) => ({ code, name: names.get(code) ?? code, scale: scaleOf(code), levels: [...RATING_SCALES[scaleOf(code)]] }));
}

/** A request read from its stream by someone the decider's read rule lets see it (everyone else: the unknown id's 404). */
@QueryHandler(GetFeedbackRequestQuery)
export class GetFeedbackRequestHandler implements IQueryHandler<GetFeedbackRequestQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore, @Inject(CONTACTS) private readonly people: Contacts) {}

  async execute({ viewer, requestId, now }: GetFeedbackRequestQuery) {
    const history = await this.store.readStream(feedbackRequestStreamId(requestId));
    if (history.length === 0 || history[0].tenant.schoolId !== viewer.schoolId) throw notFound(NO_FEEDBACK_REQUEST);
    const state = foldRequest(history);
    if (state.status === 'none' || !mayReadRequest(state, { userId: viewer.userId })) throw notFound(NO_FEEDBACK_REQUEST);
    const prompt = history.find((e) => e.type === 'feedback.request-prompted')?.data as (FeedbackRequestPrompted & { message?: string }) | undefined;
    const answered = history.find((e) => e.type === 'feedback.request-answered');
    const mayReadPrompt = viewer.userId === state.learnerId || viewer.userId === state.promptedBy;
    const status = state.status === 'requested' && isPastExpiry(state, now) ? 'expired' : state.status;
    return {
      requestId, learnerId: state.learnerId, learner: { displayName: (await this.people.contactOf(state.learnerId))?.displayName ?? state.learnerId },
      status, competencies: await describeCompetencies(this.store, viewer.schoolId, state.competencies),
      promptedBy: state.promptedBy, promptMessage: mayReadPrompt ? prompt?.message ?? null : null,
      assessor: state.request ? { kind: state.request.assessorKind, userId: state.request.assessorId, name: state.request.assessorName } : null,
      context: state.request?.context ?? null, expiresAt: state.request?.expiresAt ?? null, reminded: state.request?.reminded ?? false,
      answer: answered ? { at: answered.occurredAt, dialogueId: (answered.data as { dialogueId: string }).dialogueId, ratings: (answered.data as { ratings: FeedbackAnswerRating[] }).ratings } : null,
      version: history[history.length - 1].streamVersion,
    };
  }
}


@QueryHandler(ListLearnerFeedbackRequestsQuery)
export class ListLearnerFeedbackRequestsHandler implements IQueryHandler<ListLearnerFeedbackRequestsQuery> {
  constructor(@Inject(FEEDBACK_REQUEST_VIEWS) private readonly views: FeedbackRequestViews, @Inject(CURRENT_COACHES) private readonly coaches: CurrentCoaches) {}

  async execute({ viewer, learnerId, now }: ListLearnerFeedbackRequestsQuery) {
    if (viewer.userId !== learnerId && (await this.coaches.currentCoachOf(viewer.schoolId, learnerId)) !== viewer.userId) throw notFound(NO_LEARNER);
    const all = await this.views.ofLearner(viewer.schoolId, learnerId);
    const visible = viewer.userId === learnerId ? all : all.filter((v) => v.assessorId === viewer.userId || v.promptedBy === viewer.userId);
    return {
      learnerId,
      requests: visible.map((v) => asOfNow(viewer.userId === learnerId || v.promptedBy === viewer.userId ? v : { ...v, promptMessage: null }, now)),
    };
  }
}

@QueryHandler(ListFeedbackAskedOfMeQuery)
export class ListFeedbackAskedOfMeHandler implements IQueryHandler<ListFeedbackAskedOfMeQuery> {
  constructor(@Inject(FEEDBACK_REQUEST_VIEWS) private readonly views: FeedbackRequestViews, @Inject(CONTACTS) private readonly people: Contacts) {}

  async execute({ viewer, now }: ListFeedbackAskedOfMeQuery) {
    const asked = await this.views.askedOf(viewer.schoolId, viewer.userId);
    const requests = await Promise.all(asked.map(async (v) => ({
      ...asOfNow({ ...v, promptMessage: null }, now), learner: { displayName: (await this.people.contactOf(v.learnerId))?.displayName ?? v.learnerId },
    })));
    return { requests };
  }
}

/**
 * What the bearer of a link sees: that one request (the learner's name, the competencies, the context) while it is
 * open; for a used, declined, expired or forged token, one message and nothing else.
 */
@QueryHandler(GetFeedbackRequestByTokenQuery)
export class GetFeedbackRequestByTokenHandler implements IQueryHandler<GetFeedbackRequestByTokenQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(REQUEST_TOKENS) private readonly tokens: RequestTokens,
    @Inject(CONTACTS) private readonly people: Contacts,
  ) {}

  async execute({ token, now }: GetFeedbackRequestByTokenQuery) {
    const claims = await requestOfToken(this.tokens, token);
    const history = await this.store.readStream(feedbackRequestStreamId(claims.requestId));
    const state = foldRequest(history);
    if (history[0]?.tenant.schoolId !== claims.schoolId || state.status !== 'requested' || !state.request || isPastExpiry(state, now)) throw notFound(LINK_REFUSED);
    return {
      requestId: claims.requestId, learner: { displayName: (await this.people.contactOf(state.learnerId))?.displayName ?? 'a learner' },
      assessorName: state.request.assessorName, competencies: await describeCompetencies(this.store, claims.schoolId, state.competencies),
      context: state.request.context, expiresAt: state.request.expiresAt,
    };
  }
}
