import { DISCLOSED_RECORDS } from '@cbme/contracts';
import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ParseIdPipe } from '../http/ids';
import { ApiExample, ApiResult, schema as s } from '../http/openapi';
import { Caller, RequestContext } from '../http/request-context';
import { DisclosureLogProjection, DisclosureScope } from './disclosure-log.projection';

export class DisclosureMonthDto {
  @ApiExample('2026-12', { description: 'the month to show (YYYY-MM); default the newest with disclosures' })
  @IsOptional() @Matches(/^[0-9]{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM' })
  month?: string;
}

const PAGE = s.object({
  service: s.string('feedback'), learnerId: s.string('medicine-ada'),
  months: s.array(s.object({ month: s.string('2026-12'), count: s.integer(12) })),
  month: s.nullable(s.string('2026-12')),
  entries: s.array(s.object({
    eventId: s.uuid(), at: s.instant(), service: s.string('feedback'), schoolId: s.string('medicine'),
    reader: s.object({ userId: s.string('medicine-coach-1'), role: s.string('coach') }),
    record: s.enum(DISCLOSED_RECORDS, 'goals'), route: s.string('GET /learners/medicine-ada/goals'),
  })),
});

/**
 * Whose log the caller may read: the learner their own (every school's), an institution admin anyone's, a school
 * admin the reads made in their school. Decided before anything is read; anyone else gets the unknown learner's 404.
 */
export function disclosureScopeOf(caller: RequestContext, learnerId: string): DisclosureScope | null {
  if (caller.userId === learnerId || caller.role === 'institution-admin') return 'all';
  if (caller.role === 'school-admin') return [caller.schoolId];
  return null;
}

/** "Who viewed my record" and the admins' disclosure report: this service's part, one month a page. */
@ApiTags('audit')
@Controller('learners')
export class DisclosuresController {
  constructor(private readonly log: DisclosureLogProjection) {}

  @Get(':learnerId/disclosures')
  @ApiResult(PAGE, "who read the learner's record in this service, one month, newest first; with every month that has reads")
  async list(@Caller() caller: RequestContext, @Param('learnerId', ParseIdPipe) learnerId: string, @Query() query: DisclosureMonthDto) {
    const scope = disclosureScopeOf(caller, learnerId);
    if (!scope) throw new NotFoundException('no such learner in this school');
    return this.log.page(learnerId, scope, query.month);
  }
}
