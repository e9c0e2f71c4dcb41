import { GetFrameworkQuery, GetUnmappedCodesQuery, ListFrameworksQuery, PublishFrameworkVersionCommand } from '@cbme/feedback-application';
import { CrosswalkRejected, parseFrameworkJson, validateFrameworkRows } from '@cbme/feedback-domain';
import { ApiResult, Caller, RequestContext, metadataOf } from '@cbme/service-runtime';
import { BadRequestException, Body, Controller, ForbiddenException, Get, HttpCode, Param, Post, Put, Query, UnprocessableEntityException } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { FrameworkPublishedResult, FrameworkResult, FrameworksResult, UnmappedCodesResult } from './feedback.responses';
import { parse } from 'csv-parse/sync';
import { DefineFrameworkDto, ImportFrameworkDto, PublishFrameworkVersionDto, UnmappedCodesDto } from './feedback.dto';

const ADMINS = ['school-admin', 'institution-admin'];

function requireAdmin(caller: RequestContext) {
  if (!ADMINS.includes(caller.role)) throw new ForbiddenException('only a school admin defines or imports competency frameworks');
}

/** The rows of a CSV framework file (header `code,name`) with the line each came from. */
function csvRows(content: string) {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(content, { columns: true, skip_empty_lines: true, trim: true, bom: true, info: true, relax_column_count: true });
  } catch (error) {
    throw new UnprocessableEntityException({ statusCode: 422, error: 'invalid-framework-file', message: 'the file is not CSV; nothing was imported', details: [{ line: (error as { lines?: number }).lines ?? 1, reasons: [(error as Error).message] }] });
  }
  const header = Object.keys(records[0]?.record ?? {});
  if (!header.includes('code') || !header.includes('name')) {
    throw new UnprocessableEntityException({ statusCode: 422, error: 'invalid-framework-file', message: 'the file needs a header line code,name; nothing was imported', details: [{ line: 1, reasons: ['header must name the columns code and name'] }] });
  }
  return records.map(({ record, info }) => ({ line: info.lines, code: record['code'], name: record['name'] }));
}

@ApiTags('competency frameworks')
@Controller('frameworks')
export class FrameworksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** The shipped frameworks and the school's own, as every member of the school may read them. */
  @Get()
  @ApiResult(FrameworksResult)
  list(@Caller() caller: RequestContext) {
    return this.queries.execute(new ListFrameworksQuery(caller));
  }

  @Get(':frameworkId')
  @ApiResult(FrameworkResult)
  get(@Caller() caller: RequestContext, @Param('frameworkId') frameworkId: string) {
    return this.queries.execute(new GetFrameworkQuery(caller, frameworkId));
  }

  /** Defines the school's framework, or publishes its next version (what it leaves out is retired). */
  @Put(':frameworkId')
  @HttpCode(200)
  @ApiResult(FrameworkPublishedResult)
  define(@Caller() caller: RequestContext, @Param('frameworkId') frameworkId: string, @Body() body: DefineFrameworkDto) {
    requireAdmin(caller);
    return this.commands.execute(new PublishFrameworkVersionCommand(metadataOf(caller), { frameworkId, name: body.name, competencies: body.competencies, source: 'defined' }));
  }

  /**
   * Publishes the framework's next version with a crosswalk from the codes before it (one to one, many to one, one to
   * many). Unknown codes on either side: 422 with each problem at its line (the row's place in `crosswalk`, from 1);
   * old codes left without a mapping are published as unmapped and reported. Events already stored never change.
   */
  @Post(':frameworkId/versions')
  @HttpCode(200)
  @ApiResult(FrameworkPublishedResult)
  async publishWithCrosswalk(@Caller() caller: RequestContext, @Param('frameworkId') frameworkId: string, @Body() body: PublishFrameworkVersionDto) {
    requireAdmin(caller);
    const crosswalk = body.crosswalk.map((row, i) => ({ line: i + 1, from: row.from, to: row.to }));
    try {
      return await this.commands.execute(new PublishFrameworkVersionCommand(metadataOf(caller), { frameworkId, name: body.name, competencies: body.competencies, source: 'defined', crosswalk }));
    } catch (error) {
      if (error instanceof CrosswalkRejected) throw new UnprocessableEntityException({ statusCode: 422, error: 'invalid-crosswalk', message: error.message, details: error.problems });
      throw error;
    }
  }

  /** Codes evidence still names that no crosswalk maps onto the version (the latest by default), with counts: for the school's admins. */
  @Get(':frameworkId/unmapped')
  @ApiResult(UnmappedCodesResult)
  unmapped(@Caller() caller: RequestContext, @Param('frameworkId') frameworkId: string, @Query() query: UnmappedCodesDto) {
    requireAdmin(caller);
    return this.queries.execute(new GetUnmappedCodesQuery(caller, frameworkId, query.version));
  }

  /** The same from a file; every bad row is reported with its line and nothing is imported from a bad file. */
  @Post(':frameworkId/import')
  @HttpCode(200)
  @ApiResult(FrameworkPublishedResult)
  async import(@Caller() caller: RequestContext, @Param('frameworkId') frameworkId: string, @Body() body: ImportFrameworkDto) {
    requireAdmin(caller);
    let rows: { line: number; code?: unknown; name?: unknown }[];
    let name = body.name;
    if (body.format === 'csv') rows = csvRows(body.content);
    else {
      const parsed = parseFrameworkJson(body.content);
      if (!parsed.ok) throw new UnprocessableEntityException({ statusCode: 422, error: 'invalid-framework-file', message: 'the file is not valid JSON; nothing was imported', details: parsed.errors });
      rows = parsed.rows;
      name = name ?? parsed.name;
    }
    if (!name) throw new BadRequestException('name the framework (in the request, or as "name" in a JSON file)');
    const errors = validateFrameworkRows(rows);
    if (errors.length > 0) {
      throw new UnprocessableEntityException({ statusCode: 422, error: 'invalid-framework-file', message: `${errors.length} of ${rows.length} rows are invalid; nothing was imported`, details: errors });
    }
    const competencies = rows.map((r) => ({ code: String(r.code).trim(), name: String(r.name).trim() }));
    return this.commands.execute(new PublishFrameworkVersionCommand(metadataOf(caller), { frameworkId, name, competencies, source: 'imported' }));
  }
}
