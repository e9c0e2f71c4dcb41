import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsString, Min } from 'class-validator';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSettings } from '../config/service-config';

const whole = (name: string, min: number) => ({ message: `${name} must be a whole number >= ${min}` });

/** Settings of a service's history import (docs/history-import.md). */
export class HistoryImportConfig {
  /** the largest history import file accepted (413 beyond); files are streamed to disk, never held in memory */
  @Type(() => Number) @IsInt(whole('HISTORY_IMPORT_MAX_BYTES', 1)) @Min(1, whole('HISTORY_IMPORT_MAX_BYTES', 1))
  HISTORY_IMPORT_MAX_BYTES = 256 * 1024 * 1024;

  /** where uploaded history files wait for their import job (removed once it ends) */
  @IsString() @IsNotEmpty({ message: 'HISTORY_IMPORT_DIR must be a directory' })
  HISTORY_IMPORT_DIR = join(tmpdir(), 'cbme-history-imports');

  /** records judged and written together by an import job (smaller: finer progress, more round trips) */
  @Type(() => Number) @IsInt(whole('HISTORY_IMPORT_BATCH', 1)) @Min(1, whole('HISTORY_IMPORT_BATCH', 1))
  HISTORY_IMPORT_BATCH = 500;

  /** how long an upload request waits for its file's validation, to answer 422 or 202 with the counts; then 202 and the status tells */
  @Type(() => Number) @IsInt(whole('HISTORY_IMPORT_VALIDATION_WAIT_MS', 0)) @Min(0, whole('HISTORY_IMPORT_VALIDATION_WAIT_MS', 0))
  HISTORY_IMPORT_VALIDATION_WAIT_MS = 120_000;
}

export interface HistoryImportSettings {
  /** the service's name, prefix of its import stream's events (`coaching.history-...`) */
  context: string;
  maxBytes: number;
  dir: string;
  batchSize: number;
  validationWaitMs: number;
}

export function loadHistoryImportSettings(context: string, env: NodeJS.ProcessEnv = process.env): HistoryImportSettings {
  const own = readSettings(HistoryImportConfig, context, env);
  return { context, maxBytes: own.HISTORY_IMPORT_MAX_BYTES, dir: own.HISTORY_IMPORT_DIR, batchSize: own.HISTORY_IMPORT_BATCH, validationWaitMs: own.HISTORY_IMPORT_VALIDATION_WAIT_MS };
}
