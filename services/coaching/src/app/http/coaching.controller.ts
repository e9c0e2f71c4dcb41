import { AssignCoachCommand, ListRelationshipsQuery } from '@cbme/coaching-application';
import { Caller, metadataOf, RequestContext } from '@cbme/service-runtime';
import { Body, Controller, ForbiddenException, Get, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { randomUUID } from 'node:crypto';

export class AssignCoachDto {
  @IsOptional() @IsUUID() relationshipId?: string;
  @IsString() @IsNotEmpty() @MaxLength(128) learnerId: string;
  @IsString() @IsNotEmpty() @MaxLength(128) coachId: string;
}

export class RelationshipFilterDto {
  @IsOptional() @IsString() @MaxLength(128) coachId?: string;
  @IsOptional() @IsString() @MaxLength(128) learnerId?: string;
}

@ApiTags('coaching relationships')
@Controller('relationships')
export class CoachingController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** A coaching lead (or school admin) pairs a learner with a coach of the same school. */
  @Post()
  async assign(@Caller() caller: RequestContext, @Body() body: AssignCoachDto) {
    if (caller.role !== 'coaching-lead' && caller.role !== 'school-admin') throw new ForbiddenException('only a coaching lead or school admin assigns coaches');
    const relationshipId = body.relationshipId ?? randomUUID();
    const result = await this.commands.execute(new AssignCoachCommand(metadataOf(caller), { relationshipId, learnerId: body.learnerId, coachId: body.coachId }));
    return { relationshipId, learnerId: body.learnerId, coachId: body.coachId, version: result.nextExpectedVersion };
  }

  @Get()
  list(@Caller() caller: RequestContext, @Query() filter: RelationshipFilterDto) {
    return this.queries.execute(new ListRelationshipsQuery(caller, filter));
  }
}
