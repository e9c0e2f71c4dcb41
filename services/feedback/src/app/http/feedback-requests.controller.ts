import {
  AnswerFeedbackRequestCommand, DeclineFeedbackRequestCommand, GetFeedbackRequestByTokenQuery, GetFeedbackRequestQuery, ListFeedbackAskedOfMeQuery, ListLearnerFeedbackRequestsQuery,
  PromptFeedbackRequestCommand, RequestFeedbackCommand, RespondByTokenCommand,
} from '@cbme/feedback-application';
import { AskedPerson, dialogueOfAnswer } from '@cbme/feedback-domain';
import { ApiResult, Caller, Discloses, metadataOf, ParseIdPipe, Public, RequestContext } from '@cbme/service-runtime';
import { Body, Controller, ForbiddenException, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { AnswerByLinkDto, AnswerFeedbackDto, DeclineByLinkDto, DeclineFeedbackDto, LinkTokenDto, PromptFeedbackDto, RequestFeedbackDto } from './feedback-requests.dto';
import {
  FeedbackAskedOfMeResult, FeedbackPromptedResult, FeedbackRequestAnsweredResult, FeedbackRequestDeclinedResult, FeedbackRequestMadeResult, FeedbackRequestResult,
  LearnerFeedbackRequestsResult, LinkedRequestResult,
} from './feedback-requests.responses';
import { LinkRateLimitGuard } from './link-rate-limit.guard';

/** The DTO requires the fields of each kind (ValidateIf), so the fallbacks below are never taken. */
const askedPerson = (asked: RequestFeedbackDto['asked']): AskedPerson =>
  asked.kind === 'coach' ? { kind: 'coach' } : asked.kind === 'colleague' ? { kind: 'colleague', userId: asked.userId ?? '' } : { kind: 'external', email: asked.email ?? '', name: asked.name ?? '' };

/** Feedback a learner seeks: of their coach, a colleague with an account, or an external assessor by e-mail. */
@ApiTags('feedback requests')
@Controller()
export class FeedbackRequestsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** A learner asks for feedback (or turns their coach's prompt, named by `requestId`, into a request); the person asked gets an e-mail with a link. */
  @Post('feedback-requests')
  @ApiResult(FeedbackRequestMadeResult)
  async request(@Caller() caller: RequestContext, @Body() body: RequestFeedbackDto) {
    if (caller.role !== 'learner') throw new ForbiddenException('only learners ask for feedback');
    const requestId = body.requestId ?? randomUUID();
    const input = { requestId, asked: askedPerson(body.asked), competencies: body.competencies, context: { ...(body.context ?? {}) } };
    const result = await this.commands.execute(new RequestFeedbackCommand(metadataOf(caller), input));
    return { requestId, status: 'requested', expiresAt: result.events[0].data.expiresAt, version: result.nextExpectedVersion };
  }

  /** The learner's current coach prompts them to seek feedback on some competencies; it shows on the learner's home. */
  @Post('learners/:learnerId/feedback-prompts')
  @ApiResult(FeedbackPromptedResult)
  async prompt(@Caller() caller: RequestContext, @Param('learnerId', ParseIdPipe) learnerId: string, @Body() body: PromptFeedbackDto) {
    const requestId = randomUUID();
    const result = await this.commands.execute(new PromptFeedbackRequestCommand(metadataOf(caller), { requestId, learnerId, competencies: body.competencies, message: body.message }));
    return { requestId, status: 'prompted', version: result.nextExpectedVersion };
  }

  /** The learner's requests and prompts with their status (to anyone else: those asked of them or prompted by them). */
  @Get('learners/:learnerId/feedback-requests')
  @Discloses('feedback-requests')
  @ApiResult(LearnerFeedbackRequestsResult)
  listOfLearner(@Caller() caller: RequestContext, @Param('learnerId', ParseIdPipe) learnerId: string) {
    return this.queries.execute(new ListLearnerFeedbackRequestsQuery(caller, learnerId, caller.receivedAt));
  }

  /** Requests asked of me (a colleague or coach with an account), newest first. */
  @Get('feedback-requests/asked-of-me')
  @ApiResult(FeedbackAskedOfMeResult)
  askedOfMe(@Caller() caller: RequestContext) {
    return this.queries.execute(new ListFeedbackAskedOfMeQuery(caller, caller.receivedAt));
  }

  @Get('feedback-requests/:requestId')
  @Discloses('feedback-request')
  @ApiResult(FeedbackRequestResult)
  get(@Caller() caller: RequestContext, @Param('requestId', ParseIdPipe) requestId: string) {
    return this.queries.execute(new GetFeedbackRequestQuery(caller, requestId, caller.receivedAt));
  }

  /** The person asked answers once: free text and a rating per competency asked about; it lands in a dialogue of the learner. */
  @Post('feedback-requests/:requestId/answer')
  @HttpCode(200)
  @ApiResult(FeedbackRequestAnsweredResult)
  async answer(@Caller() caller: RequestContext, @Param('requestId', ParseIdPipe) requestId: string, @Body() body: AnswerFeedbackDto) {
    const result = await this.commands.execute(new AnswerFeedbackRequestCommand(metadataOf(caller), requestId, { text: body.text, ratings: body.ratings.map((r) => ({ ...r })) }));
    return { requestId, status: 'answered', dialogueId: dialogueOfAnswer(requestId), version: result.nextExpectedVersion };
  }

  @Post('feedback-requests/:requestId/decline')
  @HttpCode(200)
  @ApiResult(FeedbackRequestDeclinedResult)
  async decline(@Caller() caller: RequestContext, @Param('requestId', ParseIdPipe) requestId: string, @Body() body: DeclineFeedbackDto) {
    const result = await this.commands.execute(new DeclineFeedbackRequestCommand(metadataOf(caller), requestId, body.reason));
    return { requestId, status: 'declined', version: result.nextExpectedVersion };
  }
}

/**
 * What an external assessor's link opens, without sign-in: the one request its token names, its answer and its
 * decline. A used, declined, expired or forged token gets one message (404) and nothing of any request.
 */
@ApiTags('feedback links')
@Public()
@UseGuards(LinkRateLimitGuard)
@Controller('feedback-links')
export class FeedbackLinksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('request')
  @ApiResult(LinkedRequestResult)
  request(@Query() query: LinkTokenDto) {
    return this.queries.execute(new GetFeedbackRequestByTokenQuery(query.token, new Date().toISOString()));
  }

  @Post('answer')
  @HttpCode(200)
  @ApiResult(FeedbackRequestAnsweredResult)
  async answer(@Req() request: Request, @Body() body: AnswerByLinkDto) {
    const response = { kind: 'answer' as const, text: body.text, ratings: body.ratings.map((r) => ({ ...r })) };
    const result = await this.commands.execute(new RespondByTokenCommand(body.token, new Date().toISOString(), correlationOf(request), response));
    return { requestId: result.requestId, status: 'answered', dialogueId: dialogueOfAnswer(result.requestId), version: result.nextExpectedVersion };
  }

  @Post('decline')
  @HttpCode(200)
  @ApiResult(FeedbackRequestDeclinedResult)
  async decline(@Req() request: Request, @Body() body: DeclineByLinkDto) {
    const result = await this.commands.execute(new RespondByTokenCommand(body.token, new Date().toISOString(), correlationOf(request), { kind: 'decline', reason: body.reason }));
    return { requestId: result.requestId, status: 'declined', version: result.nextExpectedVersion };
  }
}

const correlationOf = (request: Request) => (request.id as string | undefined) ?? randomUUID();
