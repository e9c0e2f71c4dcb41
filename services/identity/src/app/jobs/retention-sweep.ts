import { calendarDate, RetentionSweep } from '@cbme/identity-application';
import { ResolvedConfig, SERVICE_CONFIG } from '@cbme/service-runtime';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';

export const RETENTION_QUEUE = 'retention-sweep';
/** every day at 02:15 UTC */
export const RETENTION_SWEEP_PATTERN = '15 2 * * *';

/** Proposes, in every school with a retention policy, the erasures due today. */
@Processor(RETENTION_QUEUE)
export class RetentionSweepProcessor extends WorkerHost {
  private readonly logger = new Logger('RetentionSweep');

  constructor(
    private readonly sweep: RetentionSweep,
    @Inject(SERVICE_CONFIG) private readonly config: ResolvedConfig,
  ) {
    super();
  }

  async process(job: Job) {
    const now = new Date().toISOString();
    const asOf = calendarDate(now);
    const metadata = {
      // one correlation id a day: two runs of the same day read as one in the logs and traces
      occurredAt: now, tenant: { institutionId: this.config.institutionId, schoolId: '*' }, actor: { userId: 'identity-service', role: 'system' as const },
      correlationId: `retention-sweep-${asOf}`, causationId: null,
    };
    const result = await this.sweep.run(metadata, asOf);
    this.logger.log(`retention sweep ${job.id} as of ${asOf}: ${result.proposed.length} erasures proposed`);
    return result;
  }
}

/** Registers the daily sweep once per deployment (a job scheduler is upserted, never duplicated). */
@Injectable()
export class RetentionSweepSchedule implements OnApplicationBootstrap {
  constructor(@InjectQueue(RETENTION_QUEUE) private readonly queue: Queue) {}

  async onApplicationBootstrap() {
    await this.queue.upsertJobScheduler('retention-sweep', { pattern: RETENTION_SWEEP_PATTERN, tz: 'UTC' }, { name: 'sweep', opts: { removeOnComplete: 30, removeOnFail: 100 } });
  }
}
