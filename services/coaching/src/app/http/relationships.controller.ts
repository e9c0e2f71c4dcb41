import {
  AssignCoachCommand, ConfigureProgramCommand, EndRelationshipCommand, GetProgramQuery, LearnerCoachingQuery, LearnerMeetingHistoryQuery, ListRelationshipsQuery, MyCoacheesQuery,
  PauseRelationshipCommand, ResumeRelationshipCommand, SchoolRosterQuery, SetCoachCapacityCommand, TransferLearnerCommand,
} from '@cbme/coaching-application';
import { ApiResult, Caller, Discloses, metadataOf, RequestContext } from '@cbme/service-runtime';
import { Body, Controller, ForbiddenException, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { AssignedResult, CapacityResult, CoacheesResult, LearnerCoachingResult, MeetingHistoryResult, ProgramResult, RelationshipsResult, RosterResult, TransferredResult, VersionResult } from './coaching.responses';
import { randomUUID } from 'node:crypto';
import { AssignCoachDto, CoachCapacityDto, EndRelationshipDto, MeetingHistoryPageDto, ProgramDto, ReasonDto, RelationshipFilterDto, ResumeRelationshipDto, TransferLearnerDto } from './coaching.dto';

export const viewerOf = (caller: RequestContext) => ({ userId: caller.userId, role: caller.role, schoolId: caller.schoolId, now: caller.receivedAt });

const LEADS = ['coaching-lead', 'school-admin', 'institution-admin'];

export function requireLead(caller: RequestContext, what: string) {
  if (!LEADS.includes(caller.role)) throw new ForbiddenException(`only a coaching lead or an admin ${what}`);
}

@ApiTags('coaching relationships')
@Controller()
export class RelationshipsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** Pairs a learner with a coach of the same school; beyond the coach's capacity only with `capacityOverride`. */
  @Post('relationships')
  @ApiResult(AssignedResult)
  async assign(@Caller() caller: RequestContext, @Body() body: AssignCoachDto) {
    requireLead(caller, 'assigns coaches');
    const relationshipId = body.relationshipId ?? randomUUID();
    const result = await this.commands.execute(new AssignCoachCommand(metadataOf(caller), { ...body, relationshipId }));
    return { relationshipId, learnerId: body.learnerId, coachId: body.coachId, version: result.nextExpectedVersion };
  }

  @Get('relationships')
  @ApiResult(RelationshipsResult)
  list(@Caller() caller: RequestContext, @Query() filter: RelationshipFilterDto) {
    return this.queries.execute(new ListRelationshipsQuery(viewerOf(caller), { coachId: filter.coachId, learnerId: filter.learnerId, currentOnly: filter.current }));
  }

  /** Ends the current relationship and starts one with another coach, in one event. */
  @Post('learners/:learnerId/coaching/transfer')
  @HttpCode(200)
  @ApiResult(TransferredResult)
  async transfer(@Caller() caller: RequestContext, @Param('learnerId') learnerId: string, @Body() body: TransferLearnerDto) {
    requireLead(caller, 'transfers learners');
    const newRelationshipId = body.newRelationshipId ?? randomUUID();
    const result = await this.commands.execute(new TransferLearnerCommand(metadataOf(caller), learnerId, { ...body, newRelationshipId }));
    return { learnerId, relationshipId: newRelationshipId, coachId: body.toCoachId, version: result.nextExpectedVersion };
  }

  @Post('learners/:learnerId/coaching/pause')
  @HttpCode(200)
  @ApiResult(VersionResult)
  async pause(@Caller() caller: RequestContext, @Param('learnerId') learnerId: string, @Body() body: ReasonDto) {
    requireLead(caller, 'pauses relationships');
    return this.version(this.commands.execute(new PauseRelationshipCommand(metadataOf(caller), learnerId, body)));
  }

  @Post('learners/:learnerId/coaching/resume')
  @HttpCode(200)
  @ApiResult(VersionResult)
  async resume(@Caller() caller: RequestContext, @Param('learnerId') learnerId: string, @Body() body: ResumeRelationshipDto) {
    requireLead(caller, 'resumes relationships');
    return this.version(this.commands.execute(new ResumeRelationshipCommand(metadataOf(caller), learnerId, { reason: body.reason })));
  }

  @Post('learners/:learnerId/coaching/end')
  @HttpCode(200)
  @ApiResult(VersionResult)
  async end(@Caller() caller: RequestContext, @Param('learnerId') learnerId: string, @Body() body: EndRelationshipDto) {
    requireLead(caller, 'ends relationships');
    return this.version(this.commands.execute(new EndRelationshipCommand(metadataOf(caller), learnerId, body)));
  }

  /** The learner's coach, relationship history and meetings (the learner, their current coach, leads and admins). */
  @Get('learners/:learnerId/coaching')
  @Discloses('coaching')
  @ApiResult(LearnerCoachingResult)
  learnerCoaching(@Caller() caller: RequestContext, @Param('learnerId') learnerId: string) {
    return this.queries.execute(new LearnerCoachingQuery(viewerOf(caller), learnerId));
  }

  /** The learner's meetings with every coach: the next ones, then a page of the rest, newest first, with the notes the caller may read. */
  @Get('learners/:learnerId/coaching/meetings')
  @Discloses('meetings')
  @ApiResult(MeetingHistoryResult)
  meetingHistory(@Caller() caller: RequestContext, @Param('learnerId') learnerId: string, @Query() paging: MeetingHistoryPageDto) {
    return this.queries.execute(new LearnerMeetingHistoryQuery(viewerOf(caller), learnerId, { page: paging.page ?? 1, pageSize: paging.pageSize ?? 10 }));
  }

  /** For a coach: current coachees with last and next meeting, cadence and what is new since they last met. */
  @Get('coachees')
  @ApiResult(CoacheesResult)
  coachees(@Caller() caller: RequestContext) {
    return this.queries.execute(new MyCoacheesQuery(viewerOf(caller)));
  }

  /** For a coaching lead: unassigned learners, coach load against capacity, relationships behind cadence. */
  @Get('roster')
  @ApiResult(RosterResult)
  roster(@Caller() caller: RequestContext) {
    return this.queries.execute(new SchoolRosterQuery(viewerOf(caller)));
  }

  @Get('program')
  @ApiResult(ProgramResult)
  program(@Caller() caller: RequestContext) {
    return this.queries.execute(new GetProgramQuery(viewerOf(caller)));
  }

  /** The school's expected meeting cadence and default coach capacity. */
  @Put('program')
  @ApiResult(ProgramResult)
  async configureProgram(@Caller() caller: RequestContext, @Body() body: ProgramDto) {
    requireLead(caller, 'configures the coaching program');
    await this.commands.execute(new ConfigureProgramCommand(metadataOf(caller), body));
    return { schoolId: caller.schoolId, ...body };
  }

  @Put('coaches/:coachId/capacity')
  @ApiResult(CapacityResult)
  async setCapacity(@Caller() caller: RequestContext, @Param('coachId') coachId: string, @Body() body: CoachCapacityDto) {
    requireLead(caller, 'sets coach capacity');
    await this.commands.execute(new SetCoachCapacityCommand(metadataOf(caller), { coachId, capacity: body.capacity, reason: body.reason }));
    return { schoolId: caller.schoolId, coachId, capacity: body.capacity };
  }

  private async version(result: Promise<{ nextExpectedVersion: number }>) {
    return { version: (await result).nextExpectedVersion };
  }
}
