import { GetProgressAsOfQuery, GetProgressDiffQuery, GetTimelineQuery } from '@cbme/feedback-application';
import { toCsv } from '@cbme/feedback-domain';
import { ApiResult, Caller, Discloses, RequestContext } from '@cbme/service-runtime';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { ProgressDiffResult, ProgressResult, TimelineExportResult, TimelineResult } from './feedback.responses';
import { Response } from 'express';
import { AsOfDto, DiffDto, TimelineExportDto, TimelineFilterDto, TimelinePageDto, versionOf } from './feedback.dto';

const filterOf = ({ category, type, competency, from, to, basis, ...version }: TimelineFilterDto) => ({ category, type, competency, from, to, basis, version: versionOf(version) });
const CSV_COLUMNS = ['at', 'type', 'category', 'actorId', 'actorRole', 'subjectId', 'competencies', 'visibility', 'source', 'eventId', 'data', 'recordedAt'];

/**
 * A learner's progress history for audit: the learner, their current coach (shared items only), the school's
 * coaching lead and admins (no private text). Every read by someone other than the learner is recorded (`@Discloses`).
 */
@ApiTags('progress history')
@Controller('learners/:learnerId')
export class HistoryController {
  constructor(private readonly queries: QueryBus) {}

  @Get('timeline')
  @Discloses('timeline')
  @ApiResult(TimelineResult)
  timeline(@Caller() caller: RequestContext, @Param('learnerId') learnerId: string, @Query() query: TimelinePageDto) {
    return this.queries.execute(new GetTimelineQuery(caller, learnerId, filterOf(query), { page: query.page ?? 1, pageSize: query.pageSize ?? 50 }));
  }

  /** Every matching item, as JSON or CSV (one line per event, its data as JSON). */
  @Get('timeline/export')
  @Discloses('timeline-export')
  @ApiResult(TimelineExportResult, 'the matching items as JSON, or with format=csv as text/csv (one line per event, its data as JSON)')
  async export(@Caller() caller: RequestContext, @Param('learnerId') learnerId: string, @Query() query: TimelineExportDto, @Res({ passthrough: true }) res: Response) {
    const timeline = await this.queries.execute(new GetTimelineQuery(caller, learnerId, filterOf(query)));
    const stamp = caller.receivedAt.slice(0, 10);
    if (query.format !== 'csv') {
      res.setHeader('content-disposition', `attachment; filename="timeline-${learnerId}-${stamp}.json"`);
      return { ...timeline, exportedAt: caller.receivedAt, exportedBy: caller.userId };
    }
    const rows = (timeline.items as { at: string; recordedAt: string; type: string; category: string; actor: { userId: string; role: string }; subjectId: string | null; competencies: string[]; visibility: string; source: string; eventId: string; data: unknown }[])
      .map((i) => ({ ...i, actorId: i.actor.userId, actorRole: i.actor.role, competencies: i.competencies.join(';') }));
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="timeline-${learnerId}-${stamp}.csv"`);
    return toCsv(CSV_COLUMNS, rows);
  }

  /** The learner's goals and plan as they stood at an instant (basis=recorded: as the platform knew them then), rebuilt from the event store. */
  @Get('progress')
  @Discloses('progress')
  @ApiResult(ProgressResult)
  asOf(@Caller() caller: RequestContext, @Param('learnerId') learnerId: string, @Query() query: AsOfDto) {
    return this.queries.execute(new GetProgressAsOfQuery(caller, learnerId, query.asOf, query.basis));
  }

  /** What changed in the learner's goals and plan between two instants. */
  @Get('progress/diff')
  @Discloses('progress-diff')
  @ApiResult(ProgressDiffResult)
  diff(@Caller() caller: RequestContext, @Param('learnerId') learnerId: string, @Query() query: DiffDto) {
    return this.queries.execute(new GetProgressDiffQuery(caller, learnerId, query.from, query.to, query.basis));
  }
}
