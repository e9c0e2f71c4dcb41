import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { NOTIFICATION_QUEUE, NOTIFICATION_WORKER_OPTIONS, NotificationOutbox } from './notification-outbox';

/** Sends each recorded notification once its job runs (again after a crash: it finds `sentAt` and stops). */
@Processor(NOTIFICATION_QUEUE, NOTIFICATION_WORKER_OPTIONS)
export class NotificationSenderProcessor extends WorkerHost {
  constructor(private readonly outbox: NotificationOutbox) {
    super();
  }

  process(job: Job<{ key: string }>) {
    return this.outbox.deliver(job.data.key);
  }
}
