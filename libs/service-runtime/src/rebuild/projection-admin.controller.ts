import { InjectQueue } from '@nestjs/bullmq';
import { ConflictException, Controller, ForbiddenException, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RebuildRefusedError } from '@cbme/event-sourcing';
import { Queue } from 'bullmq';
import { EventSourcingRuntime } from '../event-sourcing/event-sourcing-runtime';
import { REBUILD_QUEUE } from '../event-sourcing/tokens';
import { ApiResult, schema as s } from '../http/openapi';
import { Caller, RequestContext } from '../http/request-context';

/**
 * Operators look at projection lag and start rebuilds, which run as BullMQ jobs with progress.
 * Projections hold every school's data, so only an institution admin manages them.
 */
const name = s.string('goals-by-status');
const STATUS = s.array(s.object({ name, source: s.enum(['events', 'inbox']), position: s.integer(1200), head: s.integer(1210) }));
const QUEUED = s.object({ jobId: s.string('1'), projection: name, status: s.string('/admin/projections/rebuilds/1', { description: 'where to follow the job' }) });
const REBUILD = s.object({
  jobId: s.string('1'), projection: name, state: s.enum(['waiting', 'active', 'completed', 'failed', 'delayed', 'unknown'], 'completed'),
  progress: { description: 'how far the rebuild got (BullMQ job progress)', example: { processed: 1210 } }, result: s.nullable(s.any('the rebuild\'s outcome')), failedReason: s.nullable(s.string('')),
});

@ApiTags('projections')
@Controller('admin/projections')
export class ProjectionAdminController {
  constructor(
    private readonly runtime: EventSourcingRuntime,
    @InjectQueue(REBUILD_QUEUE) private readonly queue: Queue,
  ) {}

  @Get()
  @ApiResult(STATUS, 'each projection\'s position against its source\'s head')
  list(@Caller() caller: RequestContext) {
    requireInstitutionAdmin(caller);
    return this.runtime.status();
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiResult(QUEUED, 'the rebuild is queued')
  async rebuild(@Caller() caller: RequestContext, @Param('name') name: string) {
    requireInstitutionAdmin(caller);
    if (!this.runtime.projectionNames().includes(name)) throw new NotFoundException(`no projection named ${name}`);
    if (!this.runtime.isRebuildable(name)) throw new ConflictException(new RebuildRefusedError(name).message);
    const job = await this.queue.add('rebuild', { projection: name, requestedBy: caller.userId }, { removeOnComplete: 100, removeOnFail: 100 });
    return { jobId: job.id, projection: name, status: `/admin/projections/rebuilds/${job.id}` };
  }

  @Get('rebuilds/:jobId')
  @ApiResult(REBUILD)
  async rebuildStatus(@Caller() caller: RequestContext, @Param('jobId') jobId: string) {
    requireInstitutionAdmin(caller);
    const job = await this.queue.getJob(jobId);
    if (!job) throw new NotFoundException(`no rebuild job ${jobId}`);
    return { jobId: job.id, projection: job.data.projection, state: await job.getState(), progress: job.progress, result: job.returnvalue ?? null, failedReason: job.failedReason ?? null };
  }
}

/** Read models and dead letters hold every school's data. */
export function requireInstitutionAdmin(caller: RequestContext) {
  if (caller.role !== 'institution-admin') throw new ForbiddenException('projections and dead letters span all schools: only an institution admin sees and manages them');
}
