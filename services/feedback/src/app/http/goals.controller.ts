import {
  ChangeGoalSharingCommand, ChangeGoalStatusCommand, GetGoalQuery, LinkGoalCommand, ListLearnerGoalsQuery, NoteGoalProgressCommand, ReviseGoalCommand, SetGoalCommand, UnlinkGoalCommand,
} from '@cbme/feedback-application';
import { ApiResult, Caller, Discloses, metadataOf, ParseIdPipe, RequestContext } from '@cbme/service-runtime';
import { Body, Controller, Delete, ForbiddenException, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import {
  GoalLinkedResult, GoalResult, GoalRevisedResult, GoalSetResult, GoalSharingResult, GoalStatusResult, GoalUnlinkedResult, LearnerGoalsResult, ProgressNotedResult,
} from './feedback.responses';
import { randomUUID } from 'node:crypto';
import { ChangeGoalSharingDto, ChangeGoalStatusDto, FrameworkVersionDto, GoalLinkParamsDto, GoalProgressNoteDto, LinkGoalDto, ReviseGoalDto, SetGoalDto, versionOf } from './feedback.dto';
import { IfMatchVersion } from './if-match';

@ApiTags('goals')
@Controller()
export class GoalsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('goals')
  @ApiResult(GoalSetResult)
  async set(@Caller() caller: RequestContext, @Body() body: SetGoalDto) {
    if (caller.role !== 'learner') throw new ForbiddenException('only learners set goals');
    const goalId = body.goalId ?? randomUUID();
    const input = {
      goalId, description: body.description, measureOfSuccess: body.measureOfSuccess ?? null, competencies: body.competencies, targetDate: body.targetDate,
      visibility: body.visibility ?? 'shared', draft: body.status === 'draft',
    };
    const result = await this.commands.execute(new SetGoalCommand(metadataOf(caller), input));
    return { goalId, status: body.status ?? 'active', version: result.nextExpectedVersion };
  }

  @Get('goals/:goalId')
  @Discloses('goal')
  @ApiResult(GoalResult)
  get(@Caller() caller: RequestContext, @Param('goalId', ParseIdPipe) goalId: string) {
    return this.queries.execute(new GetGoalQuery(caller, goalId));
  }

  /** Progress on an active or deferred goal, by the learner or their current coach (on goals the learner shares). */
  @Post('goals/:goalId/progress-notes')
  @ApiResult(ProgressNotedResult)
  async noteProgress(@Caller() caller: RequestContext, @Param('goalId', ParseIdPipe) goalId: string, @Body() body: GoalProgressNoteDto) {
    const noteId = body.noteId ?? randomUUID();
    const result = await this.commands.execute(new NoteGoalProgressCommand(metadataOf(caller), goalId, { noteId, note: body.note }));
    return { goalId, noteId, version: result.nextExpectedVersion };
  }

  /** The dialogue or assessment result that motivated the goal (the learner's own); linking twice changes nothing. */
  @Post('goals/:goalId/links')
  @ApiResult(GoalLinkedResult)
  async link(@Caller() caller: RequestContext, @Param('goalId', ParseIdPipe) goalId: string, @Body() body: LinkGoalDto) {
    const result = await this.commands.execute(new LinkGoalCommand(metadataOf(caller), goalId, { ...body }));
    return { goalId, ...body, version: result.nextExpectedVersion };
  }

  /** The learner takes back a link; taking back one that is not there changes nothing. */
  @Delete('goals/:goalId/links/:kind/:targetId')
  @ApiResult(GoalUnlinkedResult)
  async unlink(@Caller() caller: RequestContext, @Param() { goalId, kind, targetId }: GoalLinkParamsDto) {
    const result = await this.commands.execute(new UnlinkGoalCommand(metadataOf(caller), goalId, { kind, targetId }));
    return { goalId, kind, targetId, version: result.nextExpectedVersion };
  }

  @Post('goals/:goalId/revisions')
  @ApiResult(GoalRevisedResult)
  async revise(
    @Caller() caller: RequestContext,
    @Param('goalId', ParseIdPipe) goalId: string,
    @Body() body: ReviseGoalDto,
    @IfMatchVersion() expectedVersion?: number,
  ) {
    const result = await this.commands.execute(new ReviseGoalCommand(metadataOf(caller), goalId, { ...body }, expectedVersion));
    return { goalId, version: result.nextExpectedVersion };
  }

  @Post('goals/:goalId/status')
  @HttpCode(200)
  @ApiResult(GoalStatusResult)
  async changeStatus(@Caller() caller: RequestContext, @Param('goalId', ParseIdPipe) goalId: string, @Body() body: ChangeGoalStatusDto) {
    const result = await this.commands.execute(new ChangeGoalStatusCommand(metadataOf(caller), goalId, { ...body }));
    return { goalId, status: body.to, version: result.nextExpectedVersion };
  }

  /** The learner shares the goal with their coach or keeps it private; asking for what is already so changes nothing. */
  @Post('goals/:goalId/sharing')
  @HttpCode(200)
  @ApiResult(GoalSharingResult)
  async changeSharing(@Caller() caller: RequestContext, @Param('goalId', ParseIdPipe) goalId: string, @Body() body: ChangeGoalSharingDto) {
    const result = await this.commands.execute(new ChangeGoalSharingCommand(metadataOf(caller), goalId, { ...body }));
    return { goalId, visibility: body.visibility, version: result.nextExpectedVersion };
  }

  @Get('learners/:learnerId/goals')
  @Discloses('goals')
  @ApiResult(LearnerGoalsResult)
  list(@Caller() caller: RequestContext, @Param('learnerId') learnerId: string, @Query() query: FrameworkVersionDto) {
    return this.queries.execute(new ListLearnerGoalsQuery(caller, learnerId, versionOf(query)));
  }
}
