import { PlanReviewJob, SendPlanReviewReminderCommand } from '@cbme/feedback-application';
import { PLAN_REVIEW_QUEUE } from '@cbme/feedback-infra';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { CommandBus } from '@nestjs/cqrs';
import { Job } from 'bullmq';

/** Announces a development plan's review to the learner and the coach when its delayed job comes due. */
@Processor(PLAN_REVIEW_QUEUE)
export class PlanReviewReminderProcessor extends WorkerHost {
  constructor(private readonly commands: CommandBus) {
    super();
  }

  process(job: Job<PlanReviewJob>) {
    const { institutionId, schoolId, learnerId, dueAt, correlationId } = job.data;
    return this.commands.execute(new SendPlanReviewReminderCommand({
      occurredAt: new Date().toISOString(), tenant: { institutionId, schoolId }, actor: { userId: 'feedback-service', role: 'system' },
      correlationId, causationId: null,
    }, learnerId, dueAt));
  }
}
