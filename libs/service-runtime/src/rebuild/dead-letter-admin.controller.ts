import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { EventSourcingRuntime } from '../event-sourcing/event-sourcing-runtime';
import { ApiResult, schema as s } from '../http/openapi';
import { Caller, RequestContext } from '../http/request-context';
import { requireInstitutionAdmin } from './projection-admin.controller';

const LATEST = 5;
const COUNTS = s.object({
  deadLetters: s.array(s.object({
    kind: s.enum(['projection', 'consumer']),
    name: s.string('cbme.analytics.dlq', { description: 'the projection, or the inbox consumer\'s dead-letter topic' }),
    count: s.integer(2),
    latest: s.array(s.object({
      type: s.nullable(s.string('feedback.dialogue-opened', { description: 'null when the message was not JSON' })),
      eventId: s.nullable(s.uuid()),
      reason: s.string('invalid envelope: schemaVersion must be an integer number'),
      at: s.instant(),
    })),
  })),
});

/**
 * Operators see what was parked: per projection and per consumer's dead-letter topic, how many and the latest few
 * (type, event id, reason, when). Never the payload: parked events can hold learners' text. Institution admins only,
 * as for projections.
 */
@ApiTags('projections')
@Controller('admin/dead-letters')
export class DeadLetterAdminController {
  constructor(private readonly runtime: EventSourcingRuntime) {}

  @Get()
  @ApiResult(COUNTS, `dead letters per projection and per dead-letter topic: the count and the latest ${LATEST}, without payloads`)
  async list(@Caller() caller: RequestContext) {
    requireInstitutionAdmin(caller);
    return { deadLetters: await this.runtime.deadLetterCounts(LATEST) };
  }
}
