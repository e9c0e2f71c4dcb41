import {
  AssessmentImportOutcome, GetSelfVsOthersQuery, ImportAssessmentResultsCommand, ListAssessmentResultsQuery, ListSelfAssessmentsQuery, RecordSelfAssessmentCommand, ReferenceAssessmentResultCommand,
} from '@cbme/feedback-application';
import { AssessmentRow } from '@cbme/feedback-domain';
import { ApiResult, Caller, Discloses, metadataOf, ParseIdPipe, RequestContext } from '@cbme/service-runtime';
import { Body, Controller, ForbiddenException, Get, HttpCode, Param, Post, Query, UnprocessableEntityException } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { AssessmentResultsResult, ImportedResult, ReferencedResult, SelfAssessedResult, SelfAssessmentsResult, SelfVsOthersResult } from './feedback.responses';
import { parse } from 'csv-parse/sync';
import { randomUUID } from 'node:crypto';
import { FrameworkVersionDto, ImportAssessmentsDto, ReferenceResultDto, SelfAssessmentDto, SelfVsOthersDto, versionOf } from './feedback.dto';

const COLUMNS = ['learnerId', 'competency', 'kind', 'instrument', 'score', 'maxScore', 'assessedOn'];
const invalidFile = (message: string, details: { line: number; reasons: string[] }[]) =>
  new UnprocessableEntityException({ statusCode: 422, error: 'invalid-assessment-file', message, details });

@ApiTags('assessments')
@Controller()
export class AssessmentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** A school admin imports exam scores and workplace-based assessment ratings; a file with any bad row imports nothing. */
  @Post('assessment-results/imports')
  @ApiResult(ImportedResult)
  async import(@Caller() caller: RequestContext, @Body() body: ImportAssessmentsDto) {
    if (caller.role !== 'school-admin' && caller.role !== 'institution-admin') throw new ForbiddenException('only a school admin imports assessment results');
    let records: { record: Record<string, string>; info: { lines: number } }[];
    try {
      records = parse(body.csv, { columns: true, skip_empty_lines: true, trim: true, bom: true, info: true, relax_column_count: true });
    } catch (error) {
      throw invalidFile('the file is not CSV; nothing was imported', [{ line: (error as { lines?: number }).lines ?? 1, reasons: [(error as Error).message] }]);
    }
    const header = Object.keys(records[0]?.record ?? {});
    const missing = COLUMNS.filter((c) => !header.includes(c));
    if (records.length === 0 || missing.length > 0) throw invalidFile(`the file needs the header ${COLUMNS.join(',')} and rows; nothing was imported`, [{ line: 1, reasons: missing.map((c) => `column ${c} is missing`) }]);
    const rows: AssessmentRow[] = records.map(({ record, info }) => ({ line: info.lines, ...Object.fromEntries(COLUMNS.map((c) => [c, record[c]])) }));
    const importId = body.importId ?? randomUUID();
    const outcome: AssessmentImportOutcome = await this.commands.execute(new ImportAssessmentResultsCommand(metadataOf(caller), { importId, rows, ...(body.fileName ? { fileName: body.fileName } : {}) }));
    if (outcome.errors.length > 0) throw invalidFile(`${outcome.errors.length} of ${rows.length} rows are invalid; nothing was imported`, outcome.errors);
    return { importId, imported: outcome.imported };
  }

  @Get('learners/:learnerId/assessment-results')
  @Discloses('assessment-results')
  @ApiResult(AssessmentResultsResult)
  results(@Caller() caller: RequestContext, @Param('learnerId') learnerId: string, @Query() query: FrameworkVersionDto) {
    return this.queries.execute(new ListAssessmentResultsQuery(caller, learnerId, versionOf(query)));
  }

  /** The learner or their coach points the dialogue at one of the learner's results. */
  @Post('dialogues/:dialogueId/references')
  @HttpCode(200)
  @ApiResult(ReferencedResult)
  async reference(@Caller() caller: RequestContext, @Param('dialogueId', ParseIdPipe) dialogueId: string, @Body() body: ReferenceResultDto) {
    const result = await this.commands.execute(new ReferenceAssessmentResultCommand(metadataOf(caller), dialogueId, body.resultId));
    return { dialogueId, resultId: body.resultId, version: result.nextExpectedVersion };
  }

  /** A learner rates themselves against the school's frameworks; every self-assessment is kept. */
  @Post('self-assessments')
  @ApiResult(SelfAssessedResult)
  async selfAssess(@Caller() caller: RequestContext, @Body() body: SelfAssessmentDto) {
    if (caller.role !== 'learner') throw new ForbiddenException('only learners assess themselves');
    const assessmentId = body.assessmentId ?? randomUUID();
    const result = await this.commands.execute(new RecordSelfAssessmentCommand(metadataOf(caller), { assessmentId, ratings: body.ratings.map((r) => ({ ...r })), ...(body.visibility ? { visibility: body.visibility } : {}) }));
    return { assessmentId, version: result.nextExpectedVersion };
  }

  /** Per competency the learner's latest self-rating beside coaches', assessors' and results' view, with the gaps. */
  @Get('learners/:learnerId/self-vs-others')
  @Discloses('self-vs-others')
  @ApiResult(SelfVsOthersResult)
  selfVsOthers(@Caller() caller: RequestContext, @Param('learnerId') learnerId: string, @Query() query: SelfVsOthersDto) {
    return this.queries.execute(new GetSelfVsOthersQuery(caller, learnerId, query.threshold));
  }

  @Get('learners/:learnerId/self-assessments')
  @Discloses('self-assessments')
  @ApiResult(SelfAssessmentsResult)
  selfAssessments(@Caller() caller: RequestContext, @Param('learnerId') learnerId: string, @Query() query: FrameworkVersionDto) {
    return this.queries.execute(new ListSelfAssessmentsQuery(caller, learnerId, versionOf(query)));
  }
}
