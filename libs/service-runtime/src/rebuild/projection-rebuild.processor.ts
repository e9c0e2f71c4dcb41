import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { EventSourcingRuntime } from '../event-sourcing/event-sourcing-runtime';
import { REBUILD_QUEUE } from '../event-sourcing/tokens';

/** Runs a projection rebuild in the background and reports commits done / total and the rate as job progress. */
@Processor(REBUILD_QUEUE)
export class ProjectionRebuildProcessor extends WorkerHost {
  constructor(private readonly runtime: EventSourcingRuntime) {
    super();
  }

  async process(job: Job<{ projection: string; erasure?: boolean }>) {
    return this.runtime.rebuild(job.data.projection, (progress) => job.updateProgress({ ...progress }), job.data.erasure === true);
  }
}
