import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, Job } from 'bullmq';
import { EventSourcingRuntime, NotLeaseHolderError } from '../event-sourcing/event-sourcing-runtime';
import { REBUILD_QUEUE } from '../event-sourcing/tokens';

/** how long a rebuild job taken by an instance that does not hold the projection's lease waits before it is tried again */
const NOT_HOLDER_DELAY_MS = 500;

/**
 * Runs a projection rebuild in the background and reports commits done / total and the rate as job progress. Every
 * instance takes jobs from the queue; only the holder of the projection's lease runs one, the others put it back.
 */
@Processor(REBUILD_QUEUE)
export class ProjectionRebuildProcessor extends WorkerHost {
  constructor(private readonly runtime: EventSourcingRuntime) {
    super();
  }

  async process(job: Job<{ projection: string; erasure?: boolean } | { subject: string }>, token?: string) {
    // an erasure's second tombstone of the person's transport key (SubjectErasureProjection)
    if ('subject' in job.data) return this.runtime.tombstoneTransportKey(job.data.subject);
    try {
      return await this.runtime.rebuild(job.data.projection, (progress) => job.updateProgress({ ...progress }), job.data.erasure === true);
    } catch (error) {
      if (!(error instanceof NotLeaseHolderError)) throw error;
      await job.moveToDelayed(Date.now() + NOT_HOLDER_DELAY_MS, token);
      throw new DelayedError();
    }
  }
}
