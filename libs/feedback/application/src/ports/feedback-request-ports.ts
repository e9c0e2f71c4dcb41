import { FeedbackAnswerRating, FeedbackRequestContext, RequestedAssessorKind } from '@cbme/contracts';
import { FeedbackRequestSettings, FeedbackRequestStatus } from '@cbme/feedback-domain';

/** What a request's link token names: that one request, in its school, until the request expires. */
export interface RequestTokenClaims {
  requestId: string;
  institutionId: string;
  schoolId: string;
  expiresAt: string;
}

/** Signs and checks the tokens of external assessors' links (null: forged, expired, or not one of ours). */
export interface RequestTokens {
  sign(claims: RequestTokenClaims): Promise<string>;
  verify(token: string): Promise<RequestTokenClaims | null>;
}
export const REQUEST_TOKENS = Symbol('REQUEST_TOKENS');

/** Feedback's settings for requests, and the web app's origin that links point into. */
export interface FeedbackRequestOptions extends FeedbackRequestSettings {
  webOrigin: string;
}
export const FEEDBACK_REQUEST_OPTIONS = Symbol('FEEDBACK_REQUEST_OPTIONS');

/** A request's reminder or expiry, due at `at`: the job re-decides when it fires, so a stale job changes nothing. */
export interface FeedbackRequestJob {
  kind: 'reminder' | 'expiry';
  at: string;
  institutionId: string;
  schoolId: string;
  requestId: string;
  correlationId: string;
}
export interface FeedbackRequestJobs {
  schedule(job: FeedbackRequestJob): Promise<void>;
}
export const FEEDBACK_REQUEST_JOBS = Symbol('FEEDBACK_REQUEST_JOBS');

/** One request as lists show it (the `feedback-requests` read model). */
export interface FeedbackRequestView {
  requestId: string;
  learnerId: string;
  status: FeedbackRequestStatus;
  competencies: string[];
  promptedBy: string | null;
  promptMessage: string | null;
  assessorKind: RequestedAssessorKind | null;
  assessorId: string | null;
  assessorName: string | null;
  context: FeedbackRequestContext | null;
  requestedAt: string | null;
  promptedAt: string | null;
  expiresAt: string | null;
  reminded: boolean;
  answeredAt: string | null;
  dialogueId: string | null;
  ratings: FeedbackAnswerRating[];
}

export interface FeedbackRequestViews {
  /** every request and prompt of the learner in the school, newest first */
  ofLearner(schoolId: string, learnerId: string): Promise<FeedbackRequestView[]>;
  /** every request asked of this account holder in the school, newest first */
  askedOf(schoolId: string, userId: string): Promise<FeedbackRequestView[]>;
}
export const FEEDBACK_REQUEST_VIEWS = Symbol('FEEDBACK_REQUEST_VIEWS');
