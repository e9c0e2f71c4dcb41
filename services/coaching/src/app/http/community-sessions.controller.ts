import {
  CancelCommunitySessionCommand, CommunityParticipationQuery, CommunitySessionsQuery, MyCommunitySessionsQuery, RecordCommunitySessionHeldCommand,
  RescheduleCommunitySessionCommand, ScheduleCommunitySessionCommand,
} from '@cbme/coaching-application';
import { ApiResult, Caller, RequestContext, metadataOf } from '@cbme/service-runtime';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { ReasonDto } from './coaching.dto';
import { ParticipationPeriodDto, RecordCommunitySessionHeldDto, RescheduleCommunitySessionDto, ScheduleCommunitySessionDto } from './community-sessions.dto';
import { CommunitySessionsResult, MyCommunitySessionsResult, ParticipationResult, SessionScheduledResult, SessionVersionResult } from './community-sessions.responses';
import { requireLead, viewerOf } from './relationships.controller';

const SESSION_PARAM = { name: 'sessionId', example: '3fa85f64-5717-4562-b3fc-2c963f66afa6' };

/** Coach meetings and faculty-development sessions of a learning community: the lead schedules and records them. */
@ApiTags('learning communities')
@Controller()
export class CommunitySessionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('communities/:communityId/sessions')
  @ApiResult(SessionScheduledResult)
  async schedule(@Caller() caller: RequestContext, @Param('communityId') communityId: string, @Body() body: ScheduleCommunitySessionDto) {
    requireLead(caller, 'schedules community sessions');
    const sessionId = body.sessionId ?? randomUUID();
    const result = await this.commands.execute(new ScheduleCommunitySessionCommand(metadataOf(caller), communityId, { ...body, sessionId }));
    return { communityId, sessionId, startsAt: body.startsAt, version: result.nextExpectedVersion };
  }

  @Post('communities/:communityId/sessions/:sessionId/reschedule')
  @HttpCode(200)
  @ApiParam(SESSION_PARAM)
  @ApiResult(SessionVersionResult)
  async reschedule(@Caller() caller: RequestContext, @Param('communityId') communityId: string, @Param('sessionId') sessionId: string, @Body() body: RescheduleCommunitySessionDto) {
    requireLead(caller, 'reschedules community sessions');
    const result = await this.commands.execute(new RescheduleCommunitySessionCommand(metadataOf(caller), communityId, sessionId, body));
    return { communityId, sessionId, version: result.nextExpectedVersion };
  }

  @Post('communities/:communityId/sessions/:sessionId/cancel')
  @HttpCode(200)
  @ApiParam(SESSION_PARAM)
  @ApiResult(SessionVersionResult)
  async cancel(@Caller() caller: RequestContext, @Param('communityId') communityId: string, @Param('sessionId') sessionId: string, @Body() body: ReasonDto) {
    requireLead(caller, 'cancels community sessions');
    const result = await this.commands.execute(new CancelCommunitySessionCommand(metadataOf(caller), communityId, sessionId, body.reason));
    return { communityId, sessionId, version: result.nextExpectedVersion };
  }

  @Post('communities/:communityId/sessions/:sessionId/held')
  @HttpCode(200)
  @ApiParam(SESSION_PARAM)
  @ApiResult(SessionVersionResult)
  async held(@Caller() caller: RequestContext, @Param('communityId') communityId: string, @Param('sessionId') sessionId: string, @Body() body: RecordCommunitySessionHeldDto) {
    requireLead(caller, 'records community sessions');
    const result = await this.commands.execute(new RecordCommunitySessionHeldCommand(metadataOf(caller), communityId, sessionId, body));
    return { communityId, sessionId, version: result.nextExpectedVersion };
  }

  /** Leads: per coach, held sessions they were expected at (members when it started) and how many they attended. */
  @Get('communities/participation')
  @ApiResult(ParticipationResult)
  participation(@Caller() caller: RequestContext, @Query() period: ParticipationPeriodDto) {
    return this.queries.execute(new CommunityParticipationQuery(viewerOf(caller), { from: period.from, to: period.to }));
  }

  @Get('communities/:communityId/sessions')
  @ApiResult(CommunitySessionsResult)
  list(@Caller() caller: RequestContext, @Param('communityId') communityId: string) {
    return this.queries.execute(new CommunitySessionsQuery(viewerOf(caller), communityId));
  }

  /** A coach's communities: their next sessions and the coach's own attendance. */
  @Get('coaches/me/sessions')
  @ApiResult(MyCommunitySessionsResult)
  mine(@Caller() caller: RequestContext) {
    return this.queries.execute(new MyCommunitySessionsQuery(viewerOf(caller)));
  }
}
