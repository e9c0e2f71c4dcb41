import { ListLearnerDialoguesQuery, ListLearnerReflectionsQuery } from '@cbme/feedback-application';
import { ApiResult, Caller, Discloses, RequestContext } from '@cbme/service-runtime';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { ReflectionsPageDto, versionOf } from './feedback.dto';
import { ReflectionsResult } from './feedback.responses';
import { LearnerDialoguesResponse, ListDialoguesQueryDto } from './learner-dialogues.dto';

@ApiTags('feedback dialogues')
@Controller('learners/:learnerId/dialogues')
export class LearnerDialoguesController {
  constructor(private readonly queries: QueryBus) {}

  /** A learner's dialogues for their home page or their coach's view, read from a projection (it lags writes briefly). */
  @Get()
  @Discloses('dialogues')
  @ApiParam({ name: 'learnerId', description: 'the learner whose dialogues to list', example: 'medicine-ada' })
  @ApiOkResponse({ type: LearnerDialoguesResponse, description: 'the dialogues the caller may read, as the caller may read each' })
  @ApiNotFoundResponse({ description: 'no such learner among the people the caller may see (also when the caller may read none of their dialogues)' })
  @ApiBadRequestResponse({ description: 'a status other than open or closed' })
  list(@Caller() caller: RequestContext, @Param('learnerId') learnerId: string, @Query() query: ListDialoguesQueryDto): Promise<LearnerDialoguesResponse> {
    return this.queries.execute(new ListLearnerDialoguesQuery(caller, learnerId, caller.receivedAt, query.status, versionOf(query)));
  }
}

@ApiTags('feedback dialogues')
@Controller('learners/:learnerId/reflections')
export class LearnerReflectionsController {
  constructor(private readonly queries: QueryBus) {}

  /** A learner's reflections across their dialogues, newest first (read from the dialogue streams: no lag). */
  @Get()
  @Discloses('reflections')
  @ApiResult(ReflectionsResult)
  list(@Caller() caller: RequestContext, @Param('learnerId') learnerId: string, @Query() query: ReflectionsPageDto) {
    return this.queries.execute(new ListLearnerReflectionsQuery(caller, learnerId, query.page ?? 1, query.pageSize ?? 20));
  }
}
