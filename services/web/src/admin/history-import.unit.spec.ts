import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/http';
import { HistoryImportStatus } from '../api/types';
import { formatBytes, mediaTypeOf, progressOf, readSentImports, stageOf, uploadProblem } from './history-import';

describe('the history file\'s media type', () => {
  it('is CSV by type or name, JSON Lines otherwise', () => {
    expect(mediaTypeOf({ name: 'meetings.CSV', type: '' })).toBe('text/csv');
    expect(mediaTypeOf({ name: 'export', type: 'text/csv' })).toBe('text/csv');
    expect(mediaTypeOf({ name: 'history.jsonl', type: '' })).toBe('application/x-ndjson');
  });
});

describe('a refused upload', () => {
  it('over the limit says "too large" with the limit the service named', () => {
    const tooLarge = new ApiError(413, 'the upload is larger than 268435456 bytes');
    expect(uploadProblem(tooLarge, 'coaching')).toMatch(/^The file is too large \(limit 256 MiB\)\./);
    expect(uploadProblem(new ApiError(413, 'coaching answered 413'), 'coaching')).toMatch(/\(limit unknown\)/);
    expect(formatBytes(65_536)).toBe('64 KiB');
    expect(formatBytes(1_500_000)).toBe('1.4 MiB');
    expect(formatBytes(300)).toBe('300 bytes');
  });

  it('by a service without a history import (404) says so; other refusals keep the server\'s message', () => {
    expect(uploadProblem(new ApiError(404, 'Cannot POST /history-imports'), 'feedback')).toBe('The feedback service does not take history imports yet. Nothing was imported.');
    expect(uploadProblem(new ApiError(422, '2 of 3 lines are invalid; nothing was imported'), 'coaching')).toBeUndefined();
    expect(uploadProblem(new Error('offline'), 'coaching')).toBeUndefined();
  });
});

describe('the progress bar', () => {
  const progress = (processed: number, total: number) => ({ processed, total, applied: processed, alreadyImported: 0, failed: 0 });
  it('is none while the file is checked, processed of total while applied, full once completed (an empty import too)', () => {
    expect(progressOf({ state: 'active', phase: 'validating', progress: progress(0, 0) })).toBeNull();
    expect(progressOf({ state: 'waiting', phase: 'queued', progress: progress(0, 0) })).toBeNull();
    expect(progressOf({ state: 'active', phase: 'applying', progress: progress(30, 120) })).toEqual({ value: 30, max: 120, percent: 25 });
    expect(progressOf({ state: 'completed', phase: 'completed', progress: progress(120, 120) })).toEqual({ value: 120, max: 120, percent: 100 });
    expect(progressOf({ state: 'completed', phase: 'completed', progress: progress(0, 0) })).toEqual({ value: 1, max: 1, percent: 100 });
    expect(progressOf({ state: 'completed', phase: 'invalid', progress: progress(0, 12) })).toEqual({ value: 0, max: 1, percent: 0 });
    expect(progressOf(undefined)).toBeNull();
  });

  it('says what the job does, in words', () => {
    const at = (phase: HistoryImportStatus['phase'], state: HistoryImportStatus['state'] = 'active') => stageOf({ state, phase, linesChecked: 1500, invalidLines: 1, progress: progress(30, 120) });
    expect(at('validating')).toBe('Checking the file: 1500 lines checked');
    expect(at('applying')).toBe('Importing: 30 of 120 records');
    expect(at('invalid', 'completed')).toBe('Refused: 1 line is invalid; nothing was imported');
    expect(at('applying', 'failed')).toBe('Failed');
  });
});

describe('the imports sent from this tab', () => {
  it('are read back from sessionStorage, dropping what is not such an import', () => {
    const sent = { service: 'coaching', importId: 'i-1', fileName: 'a.csv', sentAt: '2026-12-01T12:00:00.000Z', validOnly: false };
    expect(readSentImports(JSON.stringify([sent, { ...sent, service: 'identity' }, 'x', null]))).toEqual([sent]);
    expect(readSentImports('{not json')).toEqual([]);
    expect(readSentImports(null)).toEqual([]);
    expect(readSentImports('{"a":1}')).toEqual([]);
  });
});
