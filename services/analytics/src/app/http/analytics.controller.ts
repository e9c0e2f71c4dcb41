import { GetSchoolActivityQuery } from '@cbme/analytics-application';
import { Caller, RequestContext } from '@cbme/service-runtime';
import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';

@ApiTags('analytics')
@Controller('schools')
export class AnalyticsController {
  constructor(private readonly queries: QueryBus) {}

  /** Dialogues opened/closed, goals by status and coaching coverage for one school. */
  @Get(':schoolId/activity')
  activity(@Caller() caller: RequestContext, @Param('schoolId') schoolId: string) {
    return this.queries.execute(new GetSchoolActivityQuery(caller, schoolId));
  }
}
