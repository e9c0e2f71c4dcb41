import { csvAsHistoryLines, HistoryImporter, HistoryImportOutcome, HistoryImportProgress, HistoryImportRequest } from '@cbme/event-sourcing';
import { InjectQueue } from '@nestjs/bullmq';
import {
  BadRequestException, Controller, ForbiddenException, Get, HttpCode, Inject, InternalServerErrorException, NotFoundException, Param, Post, Query, Req, UnprocessableEntityException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { Job, Queue } from 'bullmq';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, Matches } from 'class-validator';
import { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiExample, ApiResult, schema as s } from '../http/openapi';
import { Caller, metadataOf, RequestContext } from '../http/request-context';
import { receiveUpload } from '../http/upload';
import { HistoryImportSettings } from './history-import.config';
import { HISTORY_IMPORT_QUEUE, HISTORY_IMPORT_SETTINGS, HISTORY_IMPORTER } from './history-import.processor';

export class HistoryImportQueryDto {
  @ApiExample(false, { description: 'import the valid records only and list the bad lines, instead of refusing the whole file' })
  @IsOptional() @Transform(({ value }) => value === true || value === 'true' ? true : value === false || value === 'false' ? false : value) @IsBoolean() validOnly?: boolean;

  @ApiExample('meeting-missed', { description: 'a CSV file without a kind column: the kind of every row (one of the service\'s kinds)' })
  @IsOptional() @Matches(/^[a-z][a-z-]{0,63}$/, { message: 'kind must be a record kind, such as meeting-missed' }) kind?: string;
}

const MEDIA_TYPES = ['application/x-ndjson', 'application/jsonl', 'text/plain'];
const CSV = 'text/csv';
/** how often an upload request looks at its job while waiting for the validation */
const POLL_MS = 100;

const lineError = s.object({ line: s.integer(3), sourceId: s.string('old-sys-meeting-118'), reasons: s.array(s.string('unknown learner lea-9 (no learner with that id in this school)')) }, ['sourceId']);
const counts = { lines: s.integer(120), valid: s.integer(118), alreadyImported: s.integer(0), invalid: s.integer(2) };
const QUEUED = s.object({
  importId: s.uuid(), status: s.string('/history-imports/3fa85f64-5717-4562-b3fc-2c963f66afa6'), fileSha256: s.string('9f86d08…'),
  phase: s.enum(['validating', 'applying', 'completed'], 'applying'), ...counts,
}, ['lines', 'valid', 'alreadyImported', 'invalid']);
const STATUS = s.object({
  importId: s.uuid(), state: s.enum(['waiting', 'active', 'completed', 'failed', 'delayed', 'unknown'], 'completed'),
  phase: s.enum(['queued', 'validating', 'applying', 'invalid', 'completed'], 'completed'), fileSha256: s.string('9f86d08…'), validOnly: s.boolean(false),
  linesChecked: s.integer(120), validation: s.nullable(s.object(counts)),
  progress: s.object({ processed: s.integer(118), total: s.integer(118), applied: s.integer(118), alreadyImported: s.integer(0), failed: s.integer(0) }),
  errors: s.array(lineError), invalidLines: s.integer(0), failedReason: s.nullable(s.string('')),
});

/**
 * A school admin's history import (docs/history-import.md), the same in every service that imports: the file is
 * streamed to disk and hashed, then a BullMQ job validates it in full (every bad line with all its reasons; nothing
 * written unless all is valid, or `validOnly`) and applies it. The request waits for the validation, so a bad file is
 * answered 422 with its lines; a file too long to validate within the wait is answered 202, and its status tells.
 */
@ApiTags('history import')
@Controller('history-imports')
export class HistoryImportsController {
  constructor(
    @Inject(HISTORY_IMPORTER) private readonly importer: HistoryImporter,
    @Inject(HISTORY_IMPORT_SETTINGS) private readonly settings: HistoryImportSettings,
    @InjectQueue(HISTORY_IMPORT_QUEUE) private readonly queue: Queue<HistoryImportRequest, HistoryImportOutcome>,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiConsumes(...MEDIA_TYPES, CSV)
  @ApiBody({ description: 'JSON Lines: one record per line; or CSV for the flat kinds: a header row of field names, one record per row (docs/history-import.md)', schema: { type: 'string', example: '{"kind":"relationship-assigned","sourceId":"r-1","occurredAt":"2023-09-01T09:00:00.000Z","relationshipId":"rel-1","learnerId":"lea-1","coachId":"coa-1"}\n' } })
  @ApiResult(QUEUED, 'validated and being applied (or, for a long file, still validating); follow `status`')
  async start(@Caller() caller: RequestContext, @Req() request: Request, @Query() query: HistoryImportQueryDto) {
    requireSchoolAdmin(caller);
    const csv = request.is(CSV) === CSV;
    if (!csv && !request.is(MEDIA_TYPES)) throw new UnsupportedMediaTypeException(`send the file as JSON Lines (${MEDIA_TYPES.join(', ')}) or as CSV (${CSV})`);
    if (!csv && query.kind !== undefined) throw new BadRequestException('kind: only a CSV file takes the kind of its rows from ?kind=; JSON Lines records name their own');
    if (query.kind !== undefined && !this.importer.kinds.has(query.kind)) throw new BadRequestException(`kind: one of ${[...this.importer.kinds.keys()].join(', ')}`);
    const importId = randomUUID();
    const upload = await receiveUpload(request, { dir: this.settings.dir, name: `${importId}.${csv ? 'csv' : 'jsonl'}`, maxBytes: this.settings.maxBytes });
    // CSV becomes JSON Lines with the CSV's line numbers: the job reads it as any other file
    const path = csv ? join(this.settings.dir, `${importId}.jsonl`) : upload.path;
    const removeFiles = () => Promise.all([rm(upload.path, { force: true }), rm(path, { force: true })]);
    const read = csv
      ? await csvAsHistoryLines(upload.path, path, { kinds: this.importer.kinds, kind: query.kind }).finally(() => rm(upload.path, { force: true }))
      : { errors: [], unreadable: false };
    if (read.unreadable) {
      // a file unreadable from some line on is refused whole, validOnly or not: its valid part is not the admin's file
      await removeFiles();
      throw new UnprocessableEntityException({ statusCode: 422, error: 'invalid-history', message: `the file cannot be read as CSV from line ${read.errors.at(-1)?.line}; nothing was imported`, details: read.errors });
    }
    const job = await this.queue.add('import', { importId, path, fileSha256: upload.sha256, metadata: metadataOf(caller), validOnly: query.validOnly ?? false, unreadLines: read.errors }, {
      jobId: importId, attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { age: 30 * 24 * 3600 }, removeOnFail: { age: 30 * 24 * 3600 },
    }).catch(async (error: unknown) => {
      await removeFiles();
      throw error;
    });
    const queued = { importId, status: `/history-imports/${importId}`, fileSha256: upload.sha256 };
    const validated = await this.validationOf(job);
    if (!validated) return { ...queued, phase: 'validating' };
    if (validated.phase === 'invalid') {
      const { validation, errors, invalidLines } = validated.outcome!;
      throw new UnprocessableEntityException({
        statusCode: 422, error: 'invalid-history', message: `${invalidLines} of ${validation.lines} lines are invalid; nothing was imported`,
        details: errors, ...(invalidLines > errors.length ? { listed: errors.length, invalidLines } : {}),
      });
    }
    return { ...queued, phase: validated.phase, ...validated.validation };
  }

  @Get(':importId')
  @ApiResult(STATUS)
  async status(@Caller() caller: RequestContext, @Param('importId') importId: string) {
    requireSchoolAdmin(caller);
    const job = await this.queue.getJob(importId);
    // another school's import does not exist for this caller
    if (!job || job.data.metadata.tenant.schoolId !== caller.schoolId || job.data.metadata.tenant.institutionId !== caller.institutionId) {
      throw new NotFoundException('no history import with that id in this school');
    }
    const outcome = job.returnvalue as HistoryImportOutcome | null;
    const reported = progressOf(job);
    const { phase, linesChecked, validation, ...progress } = outcome?.progress ?? reported ?? QUEUED_PROGRESS;
    return {
      importId, state: await job.getState(), phase, fileSha256: job.data.fileSha256, validOnly: job.data.validOnly, linesChecked, validation,
      progress: { processed: progress.processed, total: progress.total, applied: progress.applied, alreadyImported: progress.alreadyImported, failed: progress.failed },
      errors: outcome?.errors ?? [], invalidLines: outcome?.invalidLines ?? validation?.invalid ?? 0, failedReason: job.failedReason ?? null,
    };
  }

  /** Waits for the job to finish validating (up to the configured wait): its phase and counts, or null when it takes longer. */
  private async validationOf(job: Job<HistoryImportRequest, HistoryImportOutcome>) {
    const until = Date.now() + this.settings.validationWaitMs;
    for (;;) {
      const current = await this.queue.getJob(job.id!);
      const state = current ? await current.getState() : 'unknown';
      const progress = current ? progressOf(current) : null;
      if (state === 'completed') return { phase: current!.returnvalue.phase, validation: current!.returnvalue.validation, outcome: current!.returnvalue };
      if (state === 'failed') throw new InternalServerErrorException(`the import job failed: ${current!.failedReason}`);
      if (progress && progress.phase !== 'validating' && progress.validation && progress.phase !== 'invalid') return { phase: progress.phase, validation: progress.validation, outcome: null };
      if (Date.now() >= until) return null;
      await sleep(POLL_MS);
    }
  }
}

const QUEUED_PROGRESS = { phase: 'queued', linesChecked: 0, validation: null, processed: 0, total: 0, applied: 0, alreadyImported: 0, failed: 0 } as const;

const progressOf = (job: Job): HistoryImportProgress | null => (typeof job.progress === 'object' && job.progress !== null ? job.progress as HistoryImportProgress : null);

function requireSchoolAdmin(caller: RequestContext) {
  if (caller.role !== 'school-admin') throw new ForbiddenException('only a school admin imports a school\'s history');
}
