import { FeedbackAnswerRating, FeedbackRequestContext, RequestedAssessorKind } from '@cbme/contracts';
import { GroupedChange, GroupedReadModel, StoredEvent } from '@cbme/event-sourcing';
import { FeedbackRequestView, FeedbackRequestViews } from '@cbme/feedback-application';
import { FeedbackRequestAnsweredWritten, FeedbackRequestMadeWritten, FeedbackRequestPromptedWritten } from '@cbme/feedback-domain';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection } from 'mongoose';

/** a request as its learner's list holds it; `sortAt` (when it was made, or prompted) orders the lists newest first */
type RequestEntry = FeedbackRequestView & { sortAt: string };
/** an "asked of me" entry names the request's learner, whose group holds the request */
type AskedEntry = { requestId: string; learnerId: string };

const learnerGroup = (schoolId: string, learnerId: string) => `learner:${schoolId}:${learnerId}`;
const askedGroup = (schoolId: string, userId: string) => `asked:${schoolId}:${userId}`;

const EMPTY = {
  promptedBy: null, promptMessage: null, assessorKind: null, assessorId: null, assessorName: null, context: null, requestedAt: null, promptedAt: null,
  expiresAt: null, reminded: false, answeredAt: null, dialogueId: null, ratings: [],
};

/**
 * Feedback requests as lists show them, read by `_id`: per learner (in a school) one document with every request and
 * prompt; per account holder asked, one with the requests asked of them (which learner's document holds each). From
 * this service's request streams (version-guarded entries).
 */
@Injectable()
export class FeedbackRequestsProjection extends GroupedReadModel<RequestEntry | AskedEntry> implements FeedbackRequestViews {
  readonly name = 'feedback-requests-by-person';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'feedback_requests_view');
  }

  protected changesOf(events: StoredEvent[]): GroupedChange[] {
    return events.flatMap((e): GroupedChange[] => {
      const { schoolId } = e.tenant;
      const { requestId, learnerId } = e.data as { requestId: string; learnerId: string };
      const entry = { group: learnerGroup(schoolId, learnerId), id: requestId, version: e.streamVersion };
      const change = (set: Record<string, unknown>): GroupedChange[] => [{ ...entry, set: { requestId, learnerId, ...set } }];
      switch (e.type) {
        case 'feedback.request-prompted': {
          const d = e.data as FeedbackRequestPromptedWritten;
          return change({ ...EMPTY, status: 'prompted', competencies: d.competencies, promptedBy: d.coachId, promptMessage: d.message ?? null, promptedAt: e.occurredAt, sortAt: e.occurredAt });
        }
        case 'feedback.request-made': {
          const d = e.data as FeedbackRequestMadeWritten;
          const asked: GroupedChange[] = d.assessorId ? [{ group: askedGroup(schoolId, d.assessorId), id: requestId, version: e.streamVersion, set: { requestId, learnerId } }] : [];
          return [...asked, ...change({
            status: 'requested', competencies: d.competencies, assessorKind: d.assessorKind as RequestedAssessorKind, assessorId: d.assessorId ?? null, assessorName: d.assessorName,
            context: d.context as FeedbackRequestContext, requestedAt: e.occurredAt, expiresAt: d.expiresAt, sortAt: e.occurredAt, ...(d.promptedBy ? { promptedBy: d.promptedBy } : {}),
          })];
        }
        case 'feedback.request-reminder-sent':
          return change({ reminded: true });
        case 'feedback.request-answered': {
          const d = e.data as FeedbackRequestAnsweredWritten;
          return change({ status: 'answered', answeredAt: e.occurredAt, dialogueId: d.dialogueId, ratings: d.ratings as FeedbackAnswerRating[] });
        }
        case 'feedback.request-declined':
          return change({ status: 'declined' });
        case 'feedback.request-expired':
          return change({ status: 'expired' });
        default:
          return [];
      }
    });
  }

  async ofLearner(schoolId: string, learnerId: string): Promise<FeedbackRequestView[]> {
    const [requests] = (await this.entriesOf([learnerGroup(schoolId, learnerId)])) as RequestEntry[][];
    return newestFirst(requests);
  }

  async askedOf(schoolId: string, userId: string): Promise<FeedbackRequestView[]> {
    const [asked] = (await this.entriesOf([askedGroup(schoolId, userId)])) as AskedEntry[][];
    const ids = new Set(asked.map((a) => a.requestId));
    const learners = [...new Set(asked.map((a) => a.learnerId))];
    const requests = (await this.entriesOf(learners.map((learnerId) => learnerGroup(schoolId, learnerId)))) as RequestEntry[][];
    return newestFirst(requests.flat().filter((r) => ids.has(r.requestId)));
  }
}

function newestFirst(requests: RequestEntry[]): FeedbackRequestView[] {
  return [...requests]
    .sort((a, b) => b.sortAt.localeCompare(a.sortAt))
    .map(({ sortAt: _t, ...view }) => ({ ...EMPTY, ...view }));
}
