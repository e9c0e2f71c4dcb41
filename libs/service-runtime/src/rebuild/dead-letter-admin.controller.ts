import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ApiExample, ApiResult, schema as s } from '../http/openapi';
import { Caller, RequestContext } from '../http/request-context';
import { DeadLetterOperations } from './dead-letter-operations';
import { EventSourcingRuntime } from '../event-sourcing/event-sourcing-runtime';
import { requireInstitutionAdmin } from './projection-admin.controller';

const LATEST = 5;
const DLQ = 'cbme.analytics.dlq';
const SUMMARY = s.object({
  id: s.string(`${DLQ}:cbme.identity.events:0:41`, { description: 'the dead letter\'s id in this service' }),
  kind: s.enum(['projection', 'consumer']),
  name: s.string(DLQ, { description: 'the projection, or the inbox consumer\'s dead-letter topic' }),
  type: s.nullable(s.string('identity.user-registered', { description: 'null when the message was not JSON' })),
  eventId: s.nullable(s.uuid()),
  reason: s.string('identity.user-registered v2 is newer than this service knows (v1)'),
  at: s.instant(),
  status: s.enum(['parked', 'replayed', 'discarded']),
  failedReplays: s.integer(0),
});
const COUNTS = s.object({
  deadLetters: s.array(s.object({ kind: s.enum(['projection', 'consumer']), name: s.string(DLQ), count: s.integer(2), latest: s.array(SUMMARY) })),
});
const PAGE = s.object({ items: s.array(SUMMARY), next: s.nullable(s.integer(21)) });
const ACTION = s.object({
  type: s.enum(['operations.dead-letter-inspected', 'operations.dead-letter-replayed', 'operations.dead-letter-discarded']),
  at: s.instant(), actor: s.object({ userId: s.string('adm-1'), role: s.string('institution-admin') }), data: s.any('the event\'s payload: outcome and reason'),
});
const RECORD = s.object({
  deadLetter: SUMMARY,
  event: s.nullable(s.any('the parked event as stored (projection letters), until replayed or discarded')),
  message: s.nullable(s.object({
    topic: s.string('cbme.identity.events'), partition: s.integer(0), offset: s.string('41'), key: s.nullable(s.string('identity-user-lea-1')),
    headers: s.map(s.string('identity.user-registered'), 'the message\'s headers'), timestamp: s.nullable(s.string('1764633600000')),
    value: s.nullable(s.string('{"type":"identity.user-registered",…}', { description: 'the value as UTF-8 text' })),
  })),
  actions: s.array(ACTION),
});
const OUTCOME = s.object({ outcome: s.enum(['applied', 'failed', 'discarded']), reason: s.nullable(s.string('still newer than this service knows')), deadLetter: SUMMARY });

export class DeadLetterListDto {
  @ApiExample('consumer')
  @IsIn(['projection', 'consumer']) kind: 'projection' | 'consumer';
  @ApiExample(DLQ, { description: 'the projection, or the inbox consumer\'s dead-letter topic (as GET /admin/dead-letters names them)' })
  @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiExample(21, { description: 'the `next` of the page before' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(2) @Max(1_000_000_000) before?: number;
  @ApiExample(20)
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
}

export class DiscardDeadLetterDto {
  @ApiExample('sent by a test producer; nothing to recover')
  @IsString() @Matches(/\S/, { message: 'reason must say why' }) @MaxLength(500) reason: string;
}

const ID_PARAM = { name: 'id', example: `${DLQ}:cbme.identity.events:0:41`, description: 'a dead letter\'s id, as listed' };

/**
 * Operators list, inspect, replay (after a fix) and discard what this service parked: events its projections could not
 * apply, and messages its inbox consumer refused. Institution admins only (dead letters span all schools), decided
 * before anything is read; each inspection, replay and discard is an event of this service's own store.
 */
@ApiTags('projections')
@Controller('admin/dead-letters')
export class DeadLetterAdminController {
  constructor(private readonly runtime: EventSourcingRuntime, private readonly operations: DeadLetterOperations) {}

  @Get()
  @ApiResult(COUNTS, `dead letters per projection and per dead-letter topic: how many are still parked, and the latest ${LATEST}, without content`)
  async counts(@Caller() caller: RequestContext) {
    requireInstitutionAdmin(caller);
    return { deadLetters: await this.runtime.deadLetterCounts(LATEST) };
  }

  @Get('list')
  @ApiResult(PAGE, 'one place\'s dead letters, newest first, without content')
  async list(@Caller() caller: RequestContext, @Query() query: DeadLetterListDto) {
    requireInstitutionAdmin(caller);
    return this.operations.page(query.kind, query.name, { before: query.before, limit: query.limit ?? 20 });
  }

  @Get(':id')
  @ApiParam(ID_PARAM)
  @ApiResult(RECORD, 'the dead letter with its content and every action on it; this inspection is recorded')
  async inspect(@Caller() caller: RequestContext, @Param('id') id: string) {
    requireInstitutionAdmin(caller);
    return this.operations.inspect(caller, id);
  }

  @Post(':id/replay')
  @HttpCode(200)
  @ApiParam(ID_PARAM)
  @ApiResult(OUTCOME, 'the replay ran: applied (the letter is resolved), or failed again (it stays, with the new reason); 409 once discarded or replayed')
  async replay(@Caller() caller: RequestContext, @Param('id') id: string) {
    requireInstitutionAdmin(caller);
    return this.operations.replay(caller, id);
  }

  @Post(':id/discard')
  @HttpCode(200)
  @ApiParam(ID_PARAM)
  @ApiResult(OUTCOME, 'discarded, with the reason; its content is dropped; 409 once discarded or replayed')
  async discard(@Caller() caller: RequestContext, @Param('id') id: string, @Body() body: DiscardDeadLetterDto) {
    requireInstitutionAdmin(caller);
    return this.operations.discard(caller, id, body.reason.trim());
  }
}

export const unknownDeadLetter = () => new NotFoundException('no such dead letter in this service');
