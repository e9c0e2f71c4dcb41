import {
  AddAgendaItemCommand, CancelMeetingCommand, GetMeetingQuery, MeetingSummaryQuery, RecordMeetingHeldCommand, RecordMeetingMissedCommand, RescheduleMeetingCommand,
  ScheduleMeetingCommand,
} from '@cbme/coaching-application';
import { ApiResult, Caller, Discloses, metadataOf, RequestContext } from '@cbme/service-runtime';
import { Body, Controller, ForbiddenException, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { MeetingResult, MeetingSummaryResult, ScheduledResult, VersionResult } from './coaching.responses';
import { randomUUID } from 'node:crypto';
import { AgendaItemDto, ReasonDto, RecordMeetingHeldDto, RecordMeetingMissedDto, RescheduleMeetingDto, ScheduleMeetingDto } from './coaching.dto';
import { viewerOf } from './relationships.controller';

function requireParticipantRole(caller: RequestContext) {
  if (caller.role !== 'coach' && caller.role !== 'learner') throw new ForbiddenException('only a learner or their coach acts on coaching meetings');
}

/** Coaching meetings between a learner and their current coach; reminders go out before each. */
@ApiTags('coaching meetings')
@Controller('meetings')
export class MeetingsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @ApiResult(ScheduledResult)
  async schedule(@Caller() caller: RequestContext, @Body() body: ScheduleMeetingDto) {
    requireParticipantRole(caller);
    const meetingId = body.meetingId ?? randomUUID();
    const result = await this.commands.execute(new ScheduleMeetingCommand(metadataOf(caller), { ...body, meetingId }));
    return { meetingId, learnerId: body.learnerId, startsAt: body.startsAt, version: result.nextExpectedVersion };
  }

  @Get(':meetingId')
  @Discloses('meeting')
  @ApiResult(MeetingResult)
  get(@Caller() caller: RequestContext, @Param('meetingId') meetingId: string) {
    return this.queries.execute(new GetMeetingQuery(viewerOf(caller), meetingId));
  }

  /** "Since we last met": dialogues, goals, plans and assessments since the learner's last held meeting. */
  @Get(':meetingId/summary')
  @Discloses('meeting-summary')
  @ApiResult(MeetingSummaryResult)
  summary(@Caller() caller: RequestContext, @Param('meetingId') meetingId: string) {
    return this.queries.execute(new MeetingSummaryQuery(viewerOf(caller), meetingId));
  }

  @Post(':meetingId/reschedule')
  @HttpCode(200)
  @ApiResult(VersionResult)
  async reschedule(@Caller() caller: RequestContext, @Param('meetingId') meetingId: string, @Body() body: RescheduleMeetingDto) {
    requireParticipantRole(caller);
    return this.version(this.commands.execute(new RescheduleMeetingCommand(metadataOf(caller), meetingId, body)));
  }

  /** The learner or the coach puts an item on the agenda of a meeting still ahead (e.g. "Discuss at next meeting"). */
  @Post(':meetingId/agenda')
  @HttpCode(200)
  @ApiResult(VersionResult)
  async addAgendaItem(@Caller() caller: RequestContext, @Param('meetingId') meetingId: string, @Body() body: AgendaItemDto) {
    requireParticipantRole(caller);
    return this.version(this.commands.execute(new AddAgendaItemCommand(metadataOf(caller), meetingId, { item: body.item, ...(body.competency ? { competency: body.competency } : {}) })));
  }

  @Post(':meetingId/cancel')
  @HttpCode(200)
  @ApiResult(VersionResult)
  async cancel(@Caller() caller: RequestContext, @Param('meetingId') meetingId: string, @Body() body: ReasonDto) {
    requireParticipantRole(caller);
    return this.version(this.commands.execute(new CancelMeetingCommand(metadataOf(caller), meetingId, body)));
  }

  /** The coach records the meeting: agenda, and notes private to the coach or shared with the learner. */
  @Post(':meetingId/held')
  @HttpCode(200)
  @ApiResult(VersionResult)
  async held(@Caller() caller: RequestContext, @Param('meetingId') meetingId: string, @Body() body: RecordMeetingHeldDto) {
    requireParticipantRole(caller);
    return this.version(this.commands.execute(new RecordMeetingHeldCommand(metadataOf(caller), meetingId, body)));
  }

  @Post(':meetingId/missed')
  @HttpCode(200)
  @ApiResult(VersionResult)
  async missed(@Caller() caller: RequestContext, @Param('meetingId') meetingId: string, @Body() body: RecordMeetingMissedDto) {
    requireParticipantRole(caller);
    return this.version(this.commands.execute(new RecordMeetingMissedCommand(metadataOf(caller), meetingId, body)));
  }

  private async version(result: Promise<{ nextExpectedVersion: number }>) {
    return { version: (await result).nextExpectedVersion };
  }
}
