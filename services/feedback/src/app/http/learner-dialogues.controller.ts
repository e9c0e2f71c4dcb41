import { ListLearnerDialoguesQuery } from '@cbme/feedback-application';
import { Caller, RequestContext } from '@cbme/service-runtime';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { LearnerDialoguesResponse, ListDialoguesQueryDto } from './learner-dialogues.dto';

@ApiTags('feedback dialogues')
@Controller('learners/:learnerId/dialogues')
export class LearnerDialoguesController {
  constructor(private readonly queries: QueryBus) {}

  /** A learner's dialogues for their home page or their coach's view, read from a projection (it lags writes briefly). */
  @Get()
  @ApiParam({ name: 'learnerId', description: 'the learner whose dialogues to list', example: 'medicine-ada' })
  @ApiOkResponse({ type: LearnerDialoguesResponse, description: 'the dialogues the caller may read, as the caller may read each' })
  @ApiNotFoundResponse({ description: 'no such learner among the people the caller may see (also when the caller may read none of their dialogues)' })
  @ApiBadRequestResponse({ description: 'a status other than open or closed' })
  list(@Caller() caller: RequestContext, @Param('learnerId') learnerId: string, @Query() query: ListDialoguesQueryDto): Promise<LearnerDialoguesResponse> {
    return this.queries.execute(new ListLearnerDialoguesQuery(caller, learnerId, query.status));
  }
}
