import { FeedbackAnswerRating, FeedbackRequestContext, RequestedAssessorKind } from '@cbme/contracts';
import { StoredEvent, VersionedChange, VersionedReadModel } from '@cbme/event-sourcing';
import { FeedbackRequestView, FeedbackRequestViews } from '@cbme/feedback-application';
import { FeedbackRequestAnsweredWritten, FeedbackRequestMadeWritten, FeedbackRequestPromptedWritten, FeedbackRequestStatus } from '@cbme/feedback-domain';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';

/** One document per request (`_id` `<school>:<request>`), for the learner's list and the "asked of me" list. */
interface FeedbackRequestDocument extends Omit<FeedbackRequestView, 'status'> {
  _id: string;
  schoolId: string;
  status: FeedbackRequestStatus;
  /** newest first: when it was made, or prompted */
  sortAt: string;
  version: number;
}

const schema = new Schema<FeedbackRequestDocument>(
  {
    _id: String, schoolId: String, requestId: String, learnerId: String, status: String, competencies: [String], promptedBy: String, promptMessage: String,
    assessorKind: String, assessorId: String, assessorName: String, context: Object, requestedAt: String, promptedAt: String, expiresAt: String, reminded: Boolean,
    answeredAt: String, dialogueId: String, ratings: [Object], sortAt: String, version: Number,
  },
  { versionKey: false, collection: 'feedback_requests', minimize: false },
);
schema.index({ schoolId: 1, learnerId: 1 });
schema.index({ schoolId: 1, assessorId: 1 });

const EMPTY = {
  promptedBy: null, promptMessage: null, assessorKind: null, assessorId: null, assessorName: null, context: null, requestedAt: null, promptedAt: null,
  expiresAt: null, reminded: false, answeredAt: null, dialogueId: null, ratings: [],
};

/** Feedback requests as lists show them, from this service's request streams (version-guarded upserts). */
@Injectable()
export class FeedbackRequestsProjection extends VersionedReadModel<FeedbackRequestDocument> implements FeedbackRequestViews {
  readonly name = 'feedback-requests';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'FeedbackRequest', schema);
  }

  protected changesOf(events: StoredEvent[]): VersionedChange[] {
    return events.flatMap((e): VersionedChange[] => {
      const { requestId, learnerId } = e.data as { requestId: string; learnerId: string };
      const change = (set: Record<string, unknown>): VersionedChange[] => [{ id: `${e.tenant.schoolId}:${requestId}`, version: e.streamVersion, set: { schoolId: e.tenant.schoolId, requestId, learnerId, ...set } }];
      switch (e.type) {
        case 'feedback.request-prompted': {
          const d = e.data as FeedbackRequestPromptedWritten;
          return change({ ...EMPTY, status: 'prompted', competencies: d.competencies, promptedBy: d.coachId, promptMessage: d.message ?? null, promptedAt: e.occurredAt, sortAt: e.occurredAt });
        }
        case 'feedback.request-made': {
          const d = e.data as FeedbackRequestMadeWritten;
          return change({
            status: 'requested', competencies: d.competencies, assessorKind: d.assessorKind as RequestedAssessorKind, assessorId: d.assessorId ?? null, assessorName: d.assessorName,
            context: d.context as FeedbackRequestContext, requestedAt: e.occurredAt, expiresAt: d.expiresAt, sortAt: e.occurredAt, ...(d.promptedBy ? { promptedBy: d.promptedBy } : {}),
          });
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

  ofLearner(schoolId: string, learnerId: string): Promise<FeedbackRequestView[]> {
    return this.list({ schoolId, learnerId });
  }

  askedOf(schoolId: string, userId: string): Promise<FeedbackRequestView[]> {
    return this.list({ schoolId, assessorId: userId });
  }

  private async list(filter: Record<string, string>): Promise<FeedbackRequestView[]> {
    const docs = await this.model.find(filter).lean();
    return docs
      .sort((a, b) => b.sortAt.localeCompare(a.sortAt))
      .map(({ _id, schoolId: _s, sortAt: _t, version: _v, ...view }) => ({ ...EMPTY, ...view }) as FeedbackRequestView);
  }
}
