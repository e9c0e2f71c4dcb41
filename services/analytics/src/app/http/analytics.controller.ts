import {
  GetAnalyticsSettingsQuery, GetInstitutionAnalyticsQuery, GetSchoolActivityQuery, GetSchoolAnalyticsQuery, SetMinimumGroupSizeCommand,
} from '@cbme/analytics-application';
import { isPeriodOf } from '@cbme/analytics-domain';
import { ApiResult, Caller, RequestContext, metadataOf } from '@cbme/service-runtime';
import { BadRequestException, Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { ActivityResult, InstitutionAnalyticsResult, SchoolAnalyticsResult, SettingsResult, SettingsSetResult } from './analytics.responses';
import { AnalyticsFilterDto, AnalyticsSettingsDto, InstitutionAnalyticsFilterDto } from './analytics.dto';

const viewerOf = (caller: RequestContext) => ({ role: caller.role, schoolId: caller.schoolId });

@ApiTags('analytics')
@Controller('schools')
export class AnalyticsController {
  constructor(private readonly queries: QueryBus, private readonly commands: CommandBus) {}

  /** Dialogues opened/closed, goals by status and coaching coverage for one school (for committee members, suppressed below k). */
  @Get(':schoolId/activity')
  @ApiResult(ActivityResult)
  activity(@Caller() caller: RequestContext, @Param('schoolId') schoolId: string) {
    return this.queries.execute(new GetSchoolActivityQuery(viewerOf(caller), schoolId, caller.receivedAt));
  }

  /**
   * The school's de-identified tables (dialogues, goals, competency coverage, engagement over time, coaching cadence,
   * coach load), filtered by cohort, competency and period; cells describing fewer learners than the school's
   * minimum group size are suppressed, with complementary suppression.
   */
  @Get(':schoolId/analytics')
  @ApiResult(SchoolAnalyticsResult)
  analytics(@Caller() caller: RequestContext, @Param('schoolId') schoolId: string, @Query() filter: AnalyticsFilterDto) {
    const filters = { ...periodFilters(filter), cohortId: filter.cohortId, competency: filter.competency };
    const version = filter.framework !== undefined && filter.frameworkVersion !== undefined ? { frameworkId: filter.framework, version: filter.frameworkVersion } : undefined;
    return this.queries.execute(new GetSchoolAnalyticsQuery(viewerOf(caller), schoolId, stripUndefined(filters), filter.asOf ?? caller.receivedAt, version));
  }

  @Get(':schoolId/analytics-settings')
  @ApiResult(SettingsResult)
  settings(@Caller() caller: RequestContext, @Param('schoolId') schoolId: string) {
    return this.queries.execute(new GetAnalyticsSettingsQuery(viewerOf(caller), schoolId));
  }

  /** School admins set the minimum group size k (at least 5; 10 by default). */
  @Put(':schoolId/analytics-settings')
  @ApiResult(SettingsSetResult)
  setSettings(@Caller() caller: RequestContext, @Param('schoolId') schoolId: string, @Body() body: AnalyticsSettingsDto) {
    return this.commands.execute(new SetMinimumGroupSizeCommand(viewerOf(caller), metadataOf(caller), schoolId, body.minimumGroupSize));
  }
}

/**
 * Every school's figures for all its cohorts side by side, each suppressed by that school's own minimum group
 * size; for institution admins only.
 */
@ApiTags('analytics')
@Controller('institution')
export class InstitutionAnalyticsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('analytics')
  @ApiResult(InstitutionAnalyticsResult)
  analytics(@Caller() caller: RequestContext, @Query() filter: InstitutionAnalyticsFilterDto) {
    return this.queries.execute(new GetInstitutionAnalyticsQuery(viewerOf(caller), stripUndefined(periodFilters(filter)), filter.asOf ?? caller.receivedAt));
  }
}

function periodFilters(filter: InstitutionAnalyticsFilterDto) {
  const granularity = filter.granularity ?? 'month';
  if (filter.period !== undefined && !isPeriodOf(filter.period, granularity)) throw new BadRequestException(`period ${filter.period} is not a ${granularity}`);
  return { granularity, period: filter.period };
}

const stripUndefined = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
