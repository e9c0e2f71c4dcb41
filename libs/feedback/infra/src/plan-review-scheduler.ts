import { PlanReviewJob, PlanReviewScheduler } from '@cbme/feedback-application';
import { Queue } from 'bullmq';

export const PLAN_REVIEW_QUEUE = 'plan-review-reminders';

/** BullMQ job ids may not contain ':', which ISO times do. */
export const planReviewJobId = (job: Pick<PlanReviewJob, 'schoolId' | 'learnerId' | 'dueAt'>) => `plan-review-${job.schoolId}-${job.learnerId}-${Date.parse(job.dueAt)}`;

/**
 * One delayed job per learner and due date, `leadSeconds` before it (at once when that has passed). Adding a job
 * id that exists is a no-op in BullMQ, so replays add nothing; the job re-checks on firing that the review is
 * still due at that date and not yet announced, so a job for a moved review sends nothing.
 */
export class BullmqPlanReviewScheduler implements PlanReviewScheduler {
  constructor(private readonly queue: Queue, private readonly leadSeconds: number) {}

  async schedule(job: PlanReviewJob): Promise<void> {
    await this.queue.add('remind', job, {
      jobId: planReviewJobId(job),
      delay: Math.max(0, Date.parse(job.dueAt) - this.leadSeconds * 1000 - Date.now()),
      attempts: 5,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: { age: 7 * 86_400 },
      removeOnFail: { age: 30 * 86_400 },
    });
  }
}
