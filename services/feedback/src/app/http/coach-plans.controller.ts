import { GetCoachPlanQuery, ListCoachPlansQuery, RequestCoachPlanReviewCommand, ReviewCoachPlanCommand, ReviseCoachPlanCommand } from '@cbme/feedback-application';
import { ApiResult, Caller, RequestContext, metadataOf } from '@cbme/service-runtime';
import { Body, Controller, ForbiddenException, Get, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { RequestCoachPlanReviewDto, ReviewPlanDto, ReviseCoachPlanDto } from './feedback.dto';
import { CoachPlanResult, CoachPlanReviewedResult, CoachPlanReviewRequestedResult, CoachPlanRevisedResult, CoachPlansResult } from './feedback.responses';
import { IfMatchVersion } from './if-match';

/** A coach's own development plan (the learner plan's rules, see development-plan.decider.ts), and its reviewers' list. */
@ApiTags('coaches\' development plans')
@Controller()
export class CoachPlansController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** The coach writes their own plan: the first version, or a revision saying why. */
  @Post('coaches/me/plan/revisions')
  @ApiResult(CoachPlanRevisedResult)
  async revise(@Caller() caller: RequestContext, @Body() body: ReviseCoachPlanDto, @IfMatchVersion() expectedVersion?: number) {
    if (caller.role !== 'coach') throw new ForbiddenException('only coaches write a coach\'s development plan');
    const input = {
      planId: randomUUID(), focusAreas: body.focusAreas.map((f) => ({ focusId: f.focusId ?? randomUUID(), area: f.area, title: f.title })),
      nextReviewDue: body.nextReviewDue, ...(body.rationale ? { rationale: body.rationale } : {}),
    };
    const result = await this.commands.execute(new ReviseCoachPlanCommand(metadataOf(caller), input, expectedVersion));
    const revised = result.events[0]?.data as { planId: string; version: number } | undefined;
    return { coachId: caller.userId, planId: revised?.planId, planVersion: revised?.version, version: result.nextExpectedVersion };
  }

  /** The coach asks the school's coaching lead or a peer coach to review the plan; they may read it from then on. */
  @Post('coaches/me/plan/review-requests')
  @ApiResult(CoachPlanReviewRequestedResult)
  async requestReview(@Caller() caller: RequestContext, @Body() body: RequestCoachPlanReviewDto) {
    if (caller.role !== 'coach') throw new ForbiddenException('only coaches ask for a review of their own plan');
    const result = await this.commands.execute(new RequestCoachPlanReviewCommand(metadataOf(caller), body.reviewerId));
    return { coachId: caller.userId, reviewerId: body.reviewerId, version: result.nextExpectedVersion };
  }

  /** The reviewer the coach asked records the review: what changed, the agreed next steps, the next review date. */
  @Post('coaches/:coachId/plan/reviews')
  @ApiResult(CoachPlanReviewedResult)
  async review(@Caller() caller: RequestContext, @Param('coachId') coachId: string, @Body() body: ReviewPlanDto) {
    const reviewId = randomUUID();
    const result = await this.commands.execute(new ReviewCoachPlanCommand(metadataOf(caller), coachId, { reviewId, ...body }));
    return { coachId, reviewId, version: result.nextExpectedVersion };
  }

  @Get('coaches/:coachId/plan')
  @ApiResult(CoachPlanResult)
  get(@Caller() caller: RequestContext, @Param('coachId') coachId: string) {
    return this.queries.execute(new GetCoachPlanQuery(caller, coachId));
  }

  /** A coaching lead: every coach's plan of the school; a coach: the plans they were asked to review. */
  @Get('coach-plans')
  @ApiResult(CoachPlansResult)
  list(@Caller() caller: RequestContext) {
    return this.queries.execute(new ListCoachPlansQuery(caller));
  }
}
