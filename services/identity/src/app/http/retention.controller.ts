import { calendarDate, DismissErasureProposalCommand, GetRetentionQuery, RetentionSweep, SetRetentionPolicyCommand } from '@cbme/identity-application';
import { ApiResult, Caller, RequestContext, metadataOf } from '@cbme/service-runtime';
import { Body, Controller, ForbiddenException, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { DismissErasureProposalDto, RetentionPolicyDto, RetentionSweepDto } from './identity.dto';
import { DismissedResult, RetentionPolicyResult, RetentionResult, SweepResult } from './identity.responses';

/** Retention is the institution's: asked before anything is read, so no one else learns whether a school exists. */
function requireInstitutionAdmin(caller: RequestContext) {
  if (caller.role !== 'institution-admin') throw new ForbiddenException('retention is for institution admins');
}

/** Retention per school (issue 16; README, "Erasure"): a policy, the erasures it proposes, and their dismissal. */
@ApiTags('retention')
@Controller('schools/:schoolId')
export class RetentionController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly sweep: RetentionSweep,
  ) {}

  @Put('retention-policy')
  @ApiResult(RetentionPolicyResult)
  async setPolicy(@Caller() caller: RequestContext, @Param('schoolId') schoolId: string, @Body() body: RetentionPolicyDto) {
    requireInstitutionAdmin(caller);
    const result = await this.commands.execute(new SetRetentionPolicyCommand(metadataOf(caller), { schoolId, ...body }));
    return { schoolId, yearsAfterLeaving: body.yearsAfterLeaving, reason: body.reason.trim(), version: result.nextExpectedVersion };
  }

  @Get('retention')
  @ApiResult(RetentionResult, "the school's retention policy and its erasure proposals (pending, dismissed, erased)")
  retention(@Caller() caller: RequestContext, @Param('schoolId') schoolId: string) {
    requireInstitutionAdmin(caller);
    return this.queries.execute(new GetRetentionQuery(schoolId));
  }

  /** The daily sweep, now (or as of another date): proposes what is due and answers what it proposed. */
  @Post('retention/sweep')
  @HttpCode(200)
  @ApiResult(SweepResult)
  async runSweep(@Caller() caller: RequestContext, @Param('schoolId') schoolId: string, @Body() body: RetentionSweepDto) {
    requireInstitutionAdmin(caller);
    await this.queries.execute(new GetRetentionQuery(schoolId)); // 404 for an unknown school
    return this.sweep.run(metadataOf(caller), body.asOf ?? calendarDate(caller.receivedAt), schoolId);
  }

  @Post('retention/proposals/:userId/dismiss')
  @HttpCode(200)
  @ApiResult(DismissedResult)
  async dismiss(@Caller() caller: RequestContext, @Param('schoolId') schoolId: string, @Param('userId') userId: string, @Body() body: DismissErasureProposalDto) {
    requireInstitutionAdmin(caller);
    const { events } = await this.commands.execute(new DismissErasureProposalCommand(metadataOf(caller), { schoolId, userId, ...body }));
    // the decider's date: the one asked for, or a year from today
    const keepUntil = (events[0]?.data as { keepUntil?: string } | undefined)?.keepUntil;
    return { schoolId, userId, status: 'dismissed', ...(keepUntil ? { keepUntil } : {}) };
  }
}
