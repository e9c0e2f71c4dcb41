import { ReminderJob, ReminderScheduler } from '@cbme/coaching-application';
import { Queue } from 'bullmq';

export const REMINDER_QUEUE = 'meeting-reminders';

/** BullMQ job ids may not contain ':', which ISO times do. */
export const reminderJobId = (meetingId: string, startsAt: string) => `reminder-${meetingId}-${Date.parse(startsAt)}`;

/**
 * One delayed job per meeting and start time, due `leadSeconds` before the meeting (at once when that has passed).
 * Adding a job id that exists is a no-op in BullMQ, so replays add nothing; the job itself re-checks that the
 * reminder is still owed, so a job that outlived its meeting time sends nothing.
 */
export class BullmqReminderScheduler implements ReminderScheduler {
  constructor(private readonly queue: Queue, private readonly leadSeconds: number) {}

  async schedule(job: ReminderJob): Promise<void> {
    const startsAt = Date.parse(job.startsAt);
    if (startsAt <= Date.now()) return;
    await this.queue.add('remind', job, {
      jobId: reminderJobId(job.meetingId, job.startsAt),
      delay: Math.max(0, startsAt - this.leadSeconds * 1000 - Date.now()),
      attempts: 5,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: { age: 7 * 86_400 },
      removeOnFail: { age: 30 * 86_400 },
    });
  }

  async unschedule({ meetingId, startsAt }: { meetingId: string; startsAt: string }): Promise<void> {
    await this.queue.remove(reminderJobId(meetingId, startsAt));
  }
}
