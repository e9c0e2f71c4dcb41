import { CadenceCheck, ReminderJob, SendMeetingRemindersCommand } from '@cbme/coaching-application';
import { REMINDER_QUEUE } from '@cbme/coaching-infra';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Job, Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { CoachingSettingsFromEnv } from '../coaching-config';

export const COACHING_ENV = Symbol('COACHING_ENV');
export const CADENCE_QUEUE = 'cadence-check';

/** Sends a meeting's reminders when its delayed job comes due. */
@Processor(REMINDER_QUEUE)
export class MeetingReminderProcessor extends WorkerHost {
  constructor(private readonly commands: CommandBus) {
    super();
  }

  process(job: Job<ReminderJob>) {
    const { institutionId, schoolId, meetingId, startsAt, correlationId } = job.data;
    return this.commands.execute(new SendMeetingRemindersCommand({
      occurredAt: new Date().toISOString(), tenant: { institutionId, schoolId }, actor: { userId: 'coaching-service', role: 'system' },
      correlationId, causationId: null,
    }, meetingId, startsAt));
  }
}

/** Flags relationships behind the program's cadence, on a repeating schedule. */
@Processor(CADENCE_QUEUE)
export class CadenceCheckProcessor extends WorkerHost {
  constructor(
    private readonly check: CadenceCheck,
    @Inject(COACHING_ENV) private readonly settings: CoachingSettingsFromEnv,
  ) {
    super();
  }

  process(job: Job) {
    return this.check.run({ correlationId: job.id ?? randomUUID(), institutionId: this.settings.institutionId });
  }
}

/** Registers the repeating cadence check once per deployment (a job scheduler is upserted, never duplicated). */
@Injectable()
export class CadenceSchedule implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(CADENCE_QUEUE) private readonly queue: Queue,
    @Inject(COACHING_ENV) private readonly settings: CoachingSettingsFromEnv,
  ) {}

  async onApplicationBootstrap() {
    await this.queue.upsertJobScheduler('cadence-check', { every: this.settings.cadenceCheckSeconds * 1000 }, { name: 'check', opts: { removeOnComplete: 100, removeOnFail: 100 } });
  }
}
