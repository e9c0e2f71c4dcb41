import { AddCoachToCommunityCommand, CreateCommunityCommand, ListCommunitiesQuery, RemoveCoachFromCommunityCommand } from '@cbme/coaching-application';
import { ApiResult, Caller, RequestContext, metadataOf } from '@cbme/service-runtime';
import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CommunitiesResult, CommunityCoachResult, CommunityResult } from './coaching.responses';
import { randomUUID } from 'node:crypto';
import { CommunityCoachDto, CreateCommunityDto } from './coaching.dto';
import { requireLead, viewerOf } from './relationships.controller';

/** Learning communities ("houses"): coaches grouped for coach meetings and faculty development, with their learners. */
@ApiTags('learning communities')
@Controller('communities')
export class CommunitiesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @ApiResult(CommunityResult)
  async create(@Caller() caller: RequestContext, @Body() body: CreateCommunityDto) {
    requireLead(caller, 'creates learning communities');
    const communityId = body.communityId ?? `community-${randomUUID().slice(0, 8)}`;
    await this.commands.execute(new CreateCommunityCommand(metadataOf(caller), { communityId, name: body.name }));
    return { communityId, name: body.name };
  }

  @Get()
  @ApiResult(CommunitiesResult)
  list(@Caller() caller: RequestContext) {
    return this.queries.execute(new ListCommunitiesQuery(viewerOf(caller)));
  }

  @Post(':communityId/coaches')
  @ApiResult(CommunityCoachResult)
  async addCoach(@Caller() caller: RequestContext, @Param('communityId') communityId: string, @Body() body: CommunityCoachDto) {
    requireLead(caller, 'manages learning communities');
    const result = await this.commands.execute(new AddCoachToCommunityCommand(metadataOf(caller), communityId, body.coachId));
    return { communityId, coachId: body.coachId, version: result.nextExpectedVersion };
  }

  @Delete(':communityId/coaches/:coachId')
  @ApiResult(CommunityCoachResult)
  async removeCoach(@Caller() caller: RequestContext, @Param('communityId') communityId: string, @Param('coachId') coachId: string) {
    requireLead(caller, 'manages learning communities');
    const result = await this.commands.execute(new RemoveCoachFromCommunityCommand(metadataOf(caller), communityId, coachId));
    return { communityId, coachId, version: result.nextExpectedVersion };
  }
}
