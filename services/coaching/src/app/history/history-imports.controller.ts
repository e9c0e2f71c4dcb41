import { CoachingHistoryImporter } from '@cbme/coaching-application';
import { COACHING_HISTORY_KINDS } from '@cbme/contracts';
import { csvAsHistoryLines, EVENT_STORE, EventStore, historyLines, HistoryLedger, HistoryLineError, validateHistory } from '@cbme/event-sourcing';
import { ApiExample, ApiResult, Caller, metadataOf, receiveUpload, RequestContext, schema as s } from '@cbme/service-runtime';
import { InjectQueue } from '@nestjs/bullmq';
import {
  BadRequestException, Controller, ForbiddenException, Get, HttpCode, Inject, NotFoundException, Param, Post, Query, Req, UnprocessableEntityException, UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { Queue } from 'bullmq';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CoachingSettingsFromEnv } from '../coaching-config';
import { COACHING_ENV } from '../jobs/coaching-jobs';
import { HISTORY_IMPORT_QUEUE, HISTORY_LEDGER, HistoryImportJob } from './history-import.processor';

export class HistoryImportQueryDto {
  @ApiExample(false, { description: 'import the valid records only and list the bad lines, instead of refusing the whole file' })
  @IsOptional() @Transform(({ value }) => value === true || value === 'true' ? true : value === false || value === 'false' ? false : value) @IsBoolean() validOnly?: boolean;

  @ApiExample('meeting-missed', { description: 'a CSV file without a kind column: the kind of every row' })
  @IsOptional() @IsIn([...COACHING_HISTORY_KINDS.keys()]) kind?: string;
}

/** at most this many bad lines are kept with a job for its status (all of them are in a 422) */
const LISTED_ERRORS = 1000;
const MEDIA_TYPES = ['application/x-ndjson', 'application/jsonl', 'text/plain'];
const CSV = 'text/csv';

const lineError = s.object({ line: s.integer(3), sourceId: s.string('old-sys-meeting-118'), reasons: s.array(s.string('unknown learner lea-9 (no learner with that id in this school)')) }, ['sourceId']);
const counts = { lines: s.integer(120), valid: s.integer(118), alreadyImported: s.integer(0), invalid: s.integer(2) };
const QUEUED = s.object({ importId: s.uuid(), status: s.string('/history-imports/3fa85f64-5717-4562-b3fc-2c963f66afa6'), fileSha256: s.string('9f86d08…'), ...counts });
const STATUS = s.object({
  importId: s.uuid(), state: s.enum(['waiting', 'active', 'completed', 'failed', 'delayed', 'unknown'], 'completed'), fileSha256: s.string('9f86d08…'), validOnly: s.boolean(false),
  validation: s.object(counts),
  progress: s.object({ processed: s.integer(118), total: s.integer(118), applied: s.integer(118), alreadyImported: s.integer(0), failed: s.integer(0) }),
  errors: s.array(lineError), failedReason: s.nullable(s.string('')),
});

/**
 * A school admin's history import (docs/history-import.md): the file is streamed to disk, validated in full (every bad
 * line with all its reasons; nothing written unless all is valid, or `validOnly`), then applied by a BullMQ job.
 */
@ApiTags('history import')
@Controller('history-imports')
export class HistoryImportsController {
  constructor(
    private readonly importer: CoachingHistoryImporter,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(HISTORY_LEDGER) private readonly ledger: HistoryLedger,
    @Inject(COACHING_ENV) private readonly settings: CoachingSettingsFromEnv,
    @InjectQueue(HISTORY_IMPORT_QUEUE) private readonly queue: Queue<HistoryImportJob>,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiConsumes(...MEDIA_TYPES, CSV)
  @ApiBody({ description: 'JSON Lines: one record per line; or CSV for the flat kinds: a header row of field names, one record per row (docs/history-import.md)', schema: { type: 'string', example: '{"kind":"relationship-assigned","sourceId":"r-1","occurredAt":"2023-09-01T09:00:00.000Z","relationshipId":"rel-1","learnerId":"lea-1","coachId":"coa-1"}\n' } })
  @ApiResult(QUEUED, 'validated and queued; follow `status`')
  async start(@Caller() caller: RequestContext, @Req() request: Request, @Query() query: HistoryImportQueryDto) {
    requireSchoolAdmin(caller);
    const csv = request.is(CSV) === CSV;
    if (!csv && !request.is(MEDIA_TYPES)) throw new UnsupportedMediaTypeException(`send the file as JSON Lines (${MEDIA_TYPES.join(', ')}) or as CSV (${CSV})`);
    if (!csv && query.kind !== undefined) throw new BadRequestException('kind: only a CSV file takes the kind of its rows from ?kind=; JSON Lines records name their own');
    const importId = randomUUID();
    const upload = await receiveUpload(request, { dir: this.settings.historyImportDir, name: `${importId}.${csv ? 'csv' : 'jsonl'}`, maxBytes: this.settings.historyImportMaxBytes });
    // CSV becomes JSON Lines with the CSV's line numbers: validation and the job read it as any other file
    const path = csv ? join(this.settings.historyImportDir, `${importId}.jsonl`) : upload.path;
    const validOnly = query.validOnly ?? false;
    try {
      const read = csv ? await csvAsHistoryLines(upload.path, path, { kinds: COACHING_HISTORY_KINDS, kind: query.kind }) : { errors: [], unreadable: false };
      if (csv) await rm(upload.path, { force: true });
      const metadata = metadataOf(caller);
      const context = { importId, fileSha256: upload.sha256, metadata };
      const validation = await validateHistory(historyLines(path), this.importer, { store: this.store, ledger: this.ledger }, context);
      const errors = [...read.errors, ...validation.errors].sort((a, b) => a.line - b.line);
      const lines = validation.lines + read.errors.length;
      const summary = { lines, valid: validation.valid, alreadyImported: validation.alreadyImported, invalid: errors.length };
      // a file unreadable from some line on is refused whole: its valid part is not the admin's file
      if (errors.length > 0 && (!validOnly || read.unreadable)) {
        throw new UnprocessableEntityException({
          statusCode: 422, error: 'invalid-history', message: `${errors.length} of ${lines} lines are invalid; nothing was imported`, details: errors,
        });
      }
      await this.queue.add('import', {
        importId, path, fileSha256: upload.sha256, metadata, validOnly, validation: summary,
        skipLines: validation.errors.map((e) => e.line), errors: errors.slice(0, LISTED_ERRORS),
      }, { jobId: importId, attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { age: 30 * 24 * 3600 }, removeOnFail: { age: 30 * 24 * 3600 } });
      return { importId, status: `/history-imports/${importId}`, fileSha256: upload.sha256, ...summary };
    } catch (error) {
      await Promise.all([rm(upload.path, { force: true }), rm(path, { force: true })]);
      throw error;
    }
  }

  @Get(':importId')
  @ApiResult(STATUS)
  async status(@Caller() caller: RequestContext, @Param('importId') importId: string) {
    requireSchoolAdmin(caller);
    const job = await this.queue.getJob(importId);
    // another school's import does not exist for this caller
    if (!job || job.data.metadata.tenant.schoolId !== caller.schoolId || job.data.metadata.tenant.institutionId !== caller.institutionId) throw new NotFoundException('no history import with that id in this school');
    const result = job.returnvalue as { errors?: HistoryLineError[] } | null;
    const progress = (typeof job.progress === 'object' ? job.progress : null) ?? { processed: 0, total: job.data.validation.valid, applied: 0, alreadyImported: 0, failed: 0 };
    return {
      importId, state: await job.getState(), fileSha256: job.data.fileSha256, validOnly: job.data.validOnly, validation: job.data.validation, progress,
      errors: [...job.data.errors, ...(result?.errors ?? [])], failedReason: job.failedReason ?? null,
    };
  }
}

function requireSchoolAdmin(caller: RequestContext) {
  if (caller.role !== 'school-admin') throw new ForbiddenException('only a school admin imports a school\'s history');
}
