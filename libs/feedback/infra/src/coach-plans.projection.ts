import { CoachPlanReviewRequested, CoachPlanReviewed, CoachPlanRevised } from '@cbme/contracts';
import { CoachPlanReviewRequestView, CoachPlans, CoachPlanSummary } from '@cbme/feedback-application';
import { GroupedChange, GroupedReadModel, StoredEvent } from '@cbme/event-sourcing';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection } from 'mongoose';

type Entry = Record<string, unknown>;
const schoolGroup = (schoolId: string) => `school:${schoolId}`;
const reviewerGroup = (schoolId: string, reviewerId: string) => `asked:${schoolId}:${reviewerId}`;

/**
 * Coaches' own plans for the reviewers' list, read by `_id`: per school one entry per coach's plan (focus-area keys and
 * dates, no text), per reviewer one entry per plan they were asked to review. From the coach plan streams.
 */
@Injectable()
export class CoachPlansProjection extends GroupedReadModel<Entry> implements CoachPlans {
  readonly name = 'coach-plans';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'coach_plans_view');
  }

  protected changesOf(events: StoredEvent[]): GroupedChange[] {
    return events.flatMap((e): GroupedChange[] => {
      const { schoolId } = e.tenant;
      const version = e.streamVersion;
      switch (e.type) {
        case 'feedback.coach-plan-revised': {
          const { coachId, planId, version: planVersion, focusAreas, nextReviewDue } = e.data as CoachPlanRevised;
          const set = { coachId, planId, planVersion, areas: focusAreas.map((f) => f.area), nextReviewDue, revisedAt: e.occurredAt };
          return [{ group: schoolGroup(schoolId), id: coachId, version, set }];
        }
        case 'feedback.coach-plan-review-requested': {
          const { coachId, planId, reviewerId, reviewerRole } = e.data as CoachPlanReviewRequested;
          return [{ group: reviewerGroup(schoolId, reviewerId), id: coachId, version, set: { coachId, planId, reviewerRole, askedAt: e.occurredAt, awaiting: true, reviewedAt: null } }];
        }
        case 'feedback.coach-plan-reviewed': {
          const { coachId, reviewerId, nextReviewDue } = e.data as CoachPlanReviewed;
          return [
            { group: schoolGroup(schoolId), id: coachId, version, set: { nextReviewDue, lastReviewedAt: e.occurredAt } },
            { group: reviewerGroup(schoolId, reviewerId), id: coachId, version, set: { awaiting: false, reviewedAt: e.occurredAt } },
          ];
        }
        default:
          return [];
      }
    });
  }

  async ofSchool(schoolId: string): Promise<CoachPlanSummary[]> {
    const [entries] = await this.entriesOf([schoolGroup(schoolId)]);
    return entries.map((e) => ({ ...(e as unknown as CoachPlanSummary), lastReviewedAt: (e['lastReviewedAt'] as string | undefined) ?? null }));
  }

  async askedOf(schoolId: string, reviewerId: string): Promise<CoachPlanReviewRequestView[]> {
    const [entries] = await this.entriesOf([reviewerGroup(schoolId, reviewerId)]);
    return entries as unknown as CoachPlanReviewRequestView[];
  }
}
