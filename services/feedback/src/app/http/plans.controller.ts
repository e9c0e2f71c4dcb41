import { GetPlanQuery, RevisePlanCommand, ReviewPlanCommand } from '@cbme/feedback-application';
import { ApiResult, Caller, Discloses, metadataOf, RequestContext } from '@cbme/service-runtime';
import { Body, Controller, ForbiddenException, Get, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { PlanResult, PlanReviewedResult, PlanRevisedResult } from './feedback.responses';
import { randomUUID } from 'node:crypto';
import { RevisePlanDto, ReviewPlanDto } from './feedback.dto';
import { IfMatchVersion } from './if-match';

@ApiTags('personal development plans')
@Controller()
export class PlansController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** The learner writes their plan: the first version, or a revision saying why. */
  @Post('plan/revisions')
  @ApiResult(PlanRevisedResult)
  async revise(@Caller() caller: RequestContext, @Body() body: RevisePlanDto, @IfMatchVersion() expectedVersion?: number) {
    if (caller.role !== 'learner') throw new ForbiddenException('only learners write their development plan');
    const input = {
      planId: randomUUID(), focusAreas: body.focusAreas.map((f) => ({ focusId: f.focusId ?? randomUUID(), title: f.title, competencies: f.competencies })),
      goalIds: body.goalIds, motivatedBy: (body.motivatedBy ?? []).map((m) => ({ ...m })), nextReviewDue: body.nextReviewDue, ...(body.rationale ? { rationale: body.rationale } : {}),
    };
    const result = await this.commands.execute(new RevisePlanCommand(metadataOf(caller), input, expectedVersion));
    const revised = result.events[0]?.data as { planId: string; version: number } | undefined;
    return { learnerId: caller.userId, planId: revised?.planId, planVersion: revised?.version, version: result.nextExpectedVersion };
  }

  /** The review with the coach, recorded by either: what changed, the agreed next steps, the next review date. */
  @Post('learners/:learnerId/plan/reviews')
  @ApiResult(PlanReviewedResult)
  async review(@Caller() caller: RequestContext, @Param('learnerId') learnerId: string, @Body() body: ReviewPlanDto) {
    const reviewId = randomUUID();
    const result = await this.commands.execute(new ReviewPlanCommand(metadataOf(caller), learnerId, { reviewId, ...body }));
    return { learnerId, reviewId, version: result.nextExpectedVersion };
  }

  @Get('learners/:learnerId/plan')
  @Discloses('plan')
  @ApiResult(PlanResult)
  get(@Caller() caller: RequestContext, @Param('learnerId') learnerId: string) {
    return this.queries.execute(new GetPlanQuery(caller, learnerId));
  }
}
