import {
  ChangeEnrollmentCommand, CreateCohortCommand, ListCohortsQuery, ListSchoolsQuery, CreateInstitutionCommand, CreateSchoolCommand, DeactivateUserCommand, EraseSubjectCommand, GrantRoleCommand, ListSchoolMembersQuery, RegisterUserCommand,
  ImportRosterCommand, RevokeRoleCommand, RosterImport,
} from '@cbme/identity-application';
import { ApiResult, Caller, RequestContext, metadataOf } from '@cbme/service-runtime';
import { BadRequestException, Body, Controller, Delete, ForbiddenException, Get, HttpCode, NotFoundException, Param, Post, Query, UnprocessableEntityException } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CohortResult, CohortsResult, DeactivatedResult, EnrolledResult, ErasedResult, GraduatedResult, InstitutionResult, MembersResult, RegisteredResult, RevokedResult, RoleResult, RosterResult, SchoolResult, SchoolsResult, WithdrawnResult } from './identity.responses';
import { randomUUID } from 'node:crypto';
import { ImportRosterDto, CreateCohortDto, CreateInstitutionDto, CreateSchoolDto, DeactivateUserDto, EraseSubjectDto, EnrollDto, GraduateDto, WithdrawDto, GrantRoleDto, ListMembersQueryDto, RegisterUserDto, SCHOOL_ROLES } from './identity.dto';

/** Only an institution admin spans schools; a school admin manages their own school. */
function requireAdminOf(caller: RequestContext, schoolId: string) {
  if (caller.role === 'institution-admin') return;
  if (caller.role === 'school-admin' && caller.schoolId === schoolId) return;
  throw new ForbiddenException(`managing people of school ${schoolId} needs its school admin or an institution admin`);
}

/** Who reads a school's people and cohorts: its school admins and coaching leads, and the institution admin. */
function requireMemberListReader(caller: RequestContext, schoolId: string, what: string) {
  const sameSchool = caller.schoolId === schoolId;
  if (caller.role === 'institution-admin' || (sameSchool && ['school-admin', 'coaching-lead'].includes(caller.role))) return;
  if (!sameSchool) throw new NotFoundException(`no school ${schoolId} among those you may see`);
  throw new ForbiddenException(`${what} is for school admins and coaching leads`);
}

@ApiTags('identity')
@Controller()
export class IdentityController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('institutions')
  @ApiResult(InstitutionResult)
  async createInstitution(@Caller() caller: RequestContext, @Body() body: CreateInstitutionDto) {
    if (caller.role !== 'institution-admin') throw new ForbiddenException('only an institution admin creates the institution');
    const metadata = { ...metadataOf(caller), tenant: { institutionId: caller.institutionId, schoolId: '*' } };
    const result = await this.commands.execute(new CreateInstitutionCommand(metadata, { institutionId: caller.institutionId, name: body.name }));
    return { institutionId: caller.institutionId, version: result.nextExpectedVersion };
  }

  @Post('schools')
  @ApiResult(SchoolResult)
  async createSchool(@Caller() caller: RequestContext, @Body() body: CreateSchoolDto) {
    if (caller.role !== 'institution-admin') throw new ForbiddenException('only an institution admin creates schools');
    await this.commands.execute(new CreateSchoolCommand(metadataOf(caller), body));
    return { schoolId: body.schoolId, institutionId: caller.institutionId };
  }

  @Get('schools')
  @ApiResult(SchoolsResult, 'the institution\'s schools')
  schools(@Caller() caller: RequestContext) {
    if (caller.role !== 'institution-admin') throw new ForbiddenException('only an institution admin lists the schools');
    return this.queries.execute(new ListSchoolsQuery());
  }

  @Post('schools/:schoolId/users')
  @ApiResult(RegisteredResult)
  async register(@Caller() caller: RequestContext, @Param('schoolId') schoolId: string, @Body() body: RegisterUserDto) {
    requireAdminOf(caller, schoolId);
    const { password, ...user } = body;
    const userId = user.userId ?? randomUUID();
    await this.commands.execute(new RegisterUserCommand(metadataOf(caller), { ...user, userId, schoolId }, password));
    return { userId, schoolId, role: body.role };
  }

  @Post('users/:userId/roles')
  @ApiResult(RoleResult)
  async grant(@Caller() caller: RequestContext, @Param('userId') userId: string, @Body() body: GrantRoleDto) {
    requireAdminOf(caller, body.schoolId);
    await this.commands.execute(new GrantRoleCommand(metadataOf(caller), { userId, ...body }));
    return { userId, ...body };
  }

  @Delete('users/:userId/roles/:schoolId/:role')
  @ApiResult(RevokedResult)
  async revoke(@Caller() caller: RequestContext, @Param('userId') userId: string, @Param('schoolId') schoolId: string, @Param('role') role: string) {
    requireAdminOf(caller, schoolId);
    const known = SCHOOL_ROLES.find((r) => r === role);
    if (!known) throw new NotFoundException(`no role ${role}`);
    await this.commands.execute(new RevokeRoleCommand(metadataOf(caller), { userId, schoolId, role: known }));
    return { userId, schoolId, role: known, revoked: true };
  }

  /** The account can no longer sign in or refresh; tokens already issued expire within their lifetime. */
  @Post('users/:userId/deactivate')
  @HttpCode(200)
  @ApiResult(DeactivatedResult)
  async deactivate(@Caller() caller: RequestContext, @Param('userId') userId: string, @Body() body: DeactivateUserDto) {
    if (caller.role !== 'institution-admin') throw new ForbiddenException('only an institution admin deactivates accounts');
    await this.commands.execute(new DeactivateUserCommand(metadataOf(caller), { userId, reason: body.reason }));
    return { userId, deactivated: true };
  }

  /**
   * Erases a person's personal data in every service (README, "Erasure"): irreversible, so the body repeats the id.
   * The history stays and still verifies; their names and texts read as "[erased]".
   */
  @Post('users/:userId/erase')
  @HttpCode(200)
  @ApiResult(ErasedResult)
  async erase(@Caller() caller: RequestContext, @Param('userId') userId: string, @Body() body: EraseSubjectDto) {
    if (caller.role !== 'institution-admin') throw new ForbiddenException('only an institution admin erases a person');
    if (body.confirm !== userId) throw new UnprocessableEntityException('confirm must repeat the id of the person to erase');
    await this.commands.execute(new EraseSubjectCommand(metadataOf(caller), { userId }));
    return { userId, erased: true };
  }

  @Post('schools/:schoolId/cohorts')
  @ApiResult(CohortResult)
  async createCohort(@Caller() caller: RequestContext, @Param('schoolId') schoolId: string, @Body() body: CreateCohortDto) {
    requireAdminOf(caller, schoolId);
    await this.commands.execute(new CreateCohortCommand(metadataOf(caller), { ...body, schoolId }));
    return { ...body, schoolId };
  }

  /** Bulk onboarding of learners and coaches from a CSV roster; bad rows come back with their line numbers. */
  @Post('schools/:schoolId/roster')
  @HttpCode(200)
  @ApiResult(RosterResult)
  async importRoster(@Caller() caller: RequestContext, @Param('schoolId') schoolId: string, @Body() body: ImportRosterDto) {
    requireAdminOf(caller, schoolId);
    let records: { record: Record<string, string>; info: { lines: number } }[];
    try {
      records = parse(body.csv, { columns: true, skip_empty_lines: true, trim: true, bom: true, info: true });
    } catch (error) {
      throw new BadRequestException(`the file is not CSV: ${(error as Error).message}`);
    }
    const header = Object.keys(records[0]?.record ?? {});
    const missing = ['email', 'displayName', 'role'].filter((c) => !header.includes(c));
    if (records.length === 0 || missing.length > 0) throw new BadRequestException(`the roster needs a header line email,displayName,role[,cohortId] and rows${missing.length ? `; missing: ${missing.join(', ')}` : ''}`);
    const rows = records.map(({ record: r, info }) => ({ line: info.lines, email: r['email'], displayName: r['displayName'], role: r['role'], cohortId: r['cohortId'] }));
    const result: RosterImport = await this.commands.execute(new ImportRosterCommand(metadataOf(caller), schoolId, rows, body.validRowsOnly ?? false));
    if (result.imported === 0 && result.errors.length > 0 && !body.validRowsOnly) {
      throw new UnprocessableEntityException({ statusCode: 422, error: 'invalid-roster', message: `${result.errors.length} of ${rows.length} rows are invalid; nothing was imported`, details: result.errors });
    }
    return { imported: result.imported, skipped: result.errors.length, errors: result.errors };
  }

  @Post('users/:userId/enrollment')
  @ApiResult(EnrolledResult)
  async enroll(@Caller() caller: RequestContext, @Param('userId') userId: string, @Body() body: EnrollDto) {
    requireAdminOf(caller, body.schoolId);
    await this.commands.execute(new ChangeEnrollmentCommand(metadataOf(caller), { change: 'enroll', userId, ...body }));
    return { userId, ...body, status: 'enrolled' };
  }

  @Post('users/:userId/withdrawal')
  @ApiResult(WithdrawnResult)
  async withdraw(@Caller() caller: RequestContext, @Param('userId') userId: string, @Body() body: WithdrawDto) {
    requireAdminOf(caller, body.schoolId);
    await this.commands.execute(new ChangeEnrollmentCommand(metadataOf(caller), { change: 'withdraw', userId, ...body }));
    return { userId, schoolId: body.schoolId, status: 'withdrawn' };
  }

  @Post('users/:userId/graduation')
  @ApiResult(GraduatedResult)
  async graduate(@Caller() caller: RequestContext, @Param('userId') userId: string, @Body() body: GraduateDto) {
    requireAdminOf(caller, body.schoolId);
    await this.commands.execute(new ChangeEnrollmentCommand(metadataOf(caller), { change: 'graduate', userId, ...body }));
    return { userId, schoolId: body.schoolId, status: 'graduated' };
  }

  @Get('schools/:schoolId/users')
  @ApiResult(MembersResult)
  members(@Caller() caller: RequestContext, @Param('schoolId') schoolId: string, @Query() query: ListMembersQueryDto) {
    requireMemberListReader(caller, schoolId, 'the member list');
    return this.queries.execute(new ListSchoolMembersQuery(schoolId, query.role));
  }

  @Get('schools/:schoolId/cohorts')
  @ApiResult(CohortsResult, 'the school\'s cohorts, each with its learners and where they stand')
  cohorts(@Caller() caller: RequestContext, @Param('schoolId') schoolId: string) {
    requireMemberListReader(caller, schoolId, 'the cohort list');
    return this.queries.execute(new ListCohortsQuery(schoolId));
  }
}
