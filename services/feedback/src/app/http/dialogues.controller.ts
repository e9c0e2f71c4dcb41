import {
  AddDialogueEntryCommand, AgreeActionItemCommand, CloseFeedbackDialogueCommand, CompleteActionItemCommand, DropActionItemCommand, GetFeedbackDialogueQuery, OpenFeedbackDialogueCommand, ReopenFeedbackDialogueCommand,
} from '@cbme/feedback-application';
import { ApiResult, Caller, Discloses, metadataOf, ParseIdPipe, RequestContext } from '@cbme/service-runtime';
import { Body, Controller, ForbiddenException, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { ActionAgreedResult, ActionCompletedResult, ActionDroppedResult, DialogueOpenedResult, DialogueResult, DialogueStatusResult, EntryAddedResult } from './feedback.responses';
import { randomUUID } from 'node:crypto';
import { AddEntryDto, AgreeActionItemDto, CompleteActionItemDto, DropActionItemDto, OpenDialogueDto } from './feedback.dto';
import { IfMatchVersion } from './if-match';

@ApiTags('feedback dialogues')
@Controller('dialogues')
export class DialoguesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** A learner asks for feedback on a topic, in a context, from their coach or from another named assessor. */
  @Post()
  @ApiResult(DialogueOpenedResult)
  async open(@Caller() caller: RequestContext, @Body() body: OpenDialogueDto) {
    if (caller.role !== 'learner') throw new ForbiddenException('only learners open feedback dialogues');
    const dialogueId = body.dialogueId ?? randomUUID();
    const input = {
      dialogueId, learnerId: caller.userId, topic: body.topic, competencies: body.competencies,
      ...(body.coachId ? { coachId: body.coachId } : {}), ...(body.context ? { context: { ...body.context } } : {}), ...(body.assessor ? { assessor: { ...body.assessor } } : {}),
    };
    const result = await this.commands.execute(new OpenFeedbackDialogueCommand(metadataOf(caller), input));
    return { dialogueId, coachId: result.coachId, version: result.nextExpectedVersion };
  }

  @Post(':dialogueId/entries')
  @ApiResult(EntryAddedResult)
  async addEntry(
    @Caller() caller: RequestContext,
    @Param('dialogueId', ParseIdPipe) dialogueId: string,
    @Body() body: AddEntryDto,
    @IfMatchVersion() expectedVersion?: number,
  ) {
    const entryId = body.entryId ?? randomUUID();
    const result = await this.commands.execute(
      new AddDialogueEntryCommand(metadataOf(caller), dialogueId, { entryId, text: body.text, visibility: body.visibility, ...(body.kind ? { kind: body.kind } : {}), ...(body.ratings?.length ? { ratings: body.ratings.map((r) => ({ ...r })) } : {}) }, expectedVersion),
    );
    return { dialogueId, entryId, version: result.nextExpectedVersion };
  }

  @Post(':dialogueId/close')
  @HttpCode(200)
  @ApiResult(DialogueStatusResult)
  async close(@Caller() caller: RequestContext, @Param('dialogueId', ParseIdPipe) dialogueId: string) {
    const result = await this.commands.execute(new CloseFeedbackDialogueCommand(metadataOf(caller), dialogueId));
    return { dialogueId, status: 'closed', version: result.nextExpectedVersion };
  }

  /** An action item both sides agreed on, with its owner and an optional due date. */
  @Post(':dialogueId/action-items')
  @ApiResult(ActionAgreedResult)
  async agreeActionItem(@Caller() caller: RequestContext, @Param('dialogueId', ParseIdPipe) dialogueId: string, @Body() body: AgreeActionItemDto) {
    const actionId = body.actionId ?? randomUUID();
    const input = { actionId, description: body.description, ownerId: body.ownerId, ...(body.dueDate ? { dueDate: body.dueDate } : {}) };
    const result = await this.commands.execute(new AgreeActionItemCommand(metadataOf(caller), dialogueId, input));
    return { dialogueId, actionId, version: result.nextExpectedVersion };
  }

  /**
   * The item's owner or the learner marks it done with what came of it (also in a closed dialogue); done is final:
   * marking it again changes nothing, a dropped item cannot be done (409).
   */
  @Post(':dialogueId/action-items/:actionId/done')
  @HttpCode(200)
  @ApiResult(ActionCompletedResult)
  async completeActionItem(
    @Caller() caller: RequestContext,
    @Param('dialogueId', ParseIdPipe) dialogueId: string,
    @Param('actionId', ParseIdPipe) actionId: string,
    @Body() body: CompleteActionItemDto,
  ) {
    const result = await this.commands.execute(new CompleteActionItemCommand(metadataOf(caller), dialogueId, actionId, body.outcome));
    return { dialogueId, actionId, status: 'done', version: result.nextExpectedVersion };
  }

  /** The item's owner or the learner drops it with a reason (also in a closed dialogue); final like done (409 the other way). */
  @Post(':dialogueId/action-items/:actionId/drop')
  @HttpCode(200)
  @ApiResult(ActionDroppedResult)
  async dropActionItem(
    @Caller() caller: RequestContext,
    @Param('dialogueId', ParseIdPipe) dialogueId: string,
    @Param('actionId', ParseIdPipe) actionId: string,
    @Body() body: DropActionItemDto,
  ) {
    const result = await this.commands.execute(new DropActionItemCommand(metadataOf(caller), dialogueId, actionId, body.reason));
    return { dialogueId, actionId, status: 'dropped', version: result.nextExpectedVersion };
  }

  @Post(':dialogueId/reopen')
  @HttpCode(200)
  @ApiResult(DialogueStatusResult)
  async reopen(@Caller() caller: RequestContext, @Param('dialogueId', ParseIdPipe) dialogueId: string) {
    const result = await this.commands.execute(new ReopenFeedbackDialogueCommand(metadataOf(caller), dialogueId));
    return { dialogueId, status: 'open', version: result.nextExpectedVersion };
  }

  @Get(':dialogueId')
  @Discloses('dialogue')
  @ApiResult(DialogueResult)
  get(@Caller() caller: RequestContext, @Param('dialogueId', ParseIdPipe) dialogueId: string) {
    return this.queries.execute(new GetFeedbackDialogueQuery(caller, dialogueId, caller.receivedAt));
  }
}
