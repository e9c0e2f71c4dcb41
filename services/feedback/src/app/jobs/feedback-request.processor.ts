import { FeedbackRequestJob, RunFeedbackRequestJobCommand } from '@cbme/feedback-application';
import { FEEDBACK_REQUEST_QUEUE } from '@cbme/feedback-infra';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { CommandBus } from '@nestjs/cqrs';
import { Job } from 'bullmq';

/** Sends a request's one reminder, or expires it, when its delayed job comes due (the decider re-checks both). */
@Processor(FEEDBACK_REQUEST_QUEUE)
export class FeedbackRequestJobProcessor extends WorkerHost {
  constructor(private readonly commands: CommandBus) {
    super();
  }

  process(job: Job<FeedbackRequestJob>) {
    const { institutionId, schoolId, requestId, kind, correlationId } = job.data;
    return this.commands.execute(new RunFeedbackRequestJobCommand({
      occurredAt: new Date().toISOString(), tenant: { institutionId, schoolId }, actor: { userId: 'feedback-service', role: 'system' },
      correlationId, causationId: null,
    }, requestId, kind));
  }
}
