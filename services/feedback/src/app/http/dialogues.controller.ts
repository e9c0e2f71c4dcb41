import {
  AddDialogueEntryCommand, CloseFeedbackDialogueCommand, GetFeedbackDialogueQuery, OpenFeedbackDialogueCommand,
} from '@cbme/feedback-application';
import { Caller, metadataOf, RequestContext } from '@cbme/service-runtime';
import { Body, Controller, ForbiddenException, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { AddEntryDto, OpenDialogueDto } from './feedback.dto';
import { IfMatchVersion } from './if-match';

@ApiTags('feedback dialogues')
@Controller('dialogues')
export class DialoguesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** A learner asks their coach for feedback on a topic. */
  @Post()
  async open(@Caller() caller: RequestContext, @Body() body: OpenDialogueDto) {
    if (caller.role !== 'learner') throw new ForbiddenException('only learners open feedback dialogues');
    const dialogueId = body.dialogueId ?? randomUUID();
    const input = { dialogueId, learnerId: caller.userId, coachId: body.coachId, topic: body.topic, competencies: body.competencies };
    const result = await this.commands.execute(new OpenFeedbackDialogueCommand(metadataOf(caller), input));
    return { dialogueId, version: result.nextExpectedVersion };
  }

  @Post(':dialogueId/entries')
  async addEntry(
    @Caller() caller: RequestContext,
    @Param('dialogueId', ParseUUIDPipe) dialogueId: string,
    @Body() body: AddEntryDto,
    @IfMatchVersion() expectedVersion?: number,
  ) {
    const entryId = body.entryId ?? randomUUID();
    const result = await this.commands.execute(
      new AddDialogueEntryCommand(metadataOf(caller), dialogueId, { entryId, text: body.text, visibility: body.visibility }, expectedVersion),
    );
    return { dialogueId, entryId, version: result.nextExpectedVersion };
  }

  @Post(':dialogueId/close')
  @HttpCode(200)
  async close(@Caller() caller: RequestContext, @Param('dialogueId', ParseUUIDPipe) dialogueId: string) {
    const result = await this.commands.execute(new CloseFeedbackDialogueCommand(metadataOf(caller), dialogueId));
    return { dialogueId, status: 'closed', version: result.nextExpectedVersion };
  }

  @Get(':dialogueId')
  get(@Caller() caller: RequestContext, @Param('dialogueId', ParseUUIDPipe) dialogueId: string) {
    return this.queries.execute(new GetFeedbackDialogueQuery(caller, dialogueId));
  }
}
