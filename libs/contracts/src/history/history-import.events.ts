import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsInt, IsString, Matches, Min, ValidateNested } from 'class-validator';
import { defineEvent } from '../catalog';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * An import's own stream (`<service>-history-import-<school>-<importId>`): which file it read (SHA-256) and which
 * source record became which events. The envelope has no field for either; every imported event carries
 * correlationId = the import id, and its stream and version are named here next to the record's sourceId.
 */
export class HistoryImportStarted {
  @IsString() importId: string;
  @Matches(SHA256) fileSha256: string;
  @IsInt() @Min(0) records: number;
  @IsBoolean() validOnly: boolean;
}

/** One source record and the stream version its events end at. */
export class ImportedRecord {
  @IsString() sourceId: string;
  @Matches(SHA256) contentHash: string;
  @IsString() streamId: string;
  @IsInt() @Min(1) streamVersion: number;
}

/** v2: the records of one batch in one event (v1 named one record: upcast to a batch of one). */
export class HistoryRecordImported {
  @IsString() importId: string;
  @Matches(SHA256) fileSha256: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => ImportedRecord) records: ImportedRecord[];
}

export class HistoryImportCompleted {
  @IsString() importId: string;
  @IsInt() @Min(0) applied: number;
  @IsInt() @Min(0) alreadyImported: number;
  @IsInt() @Min(0) failed: number;
}

/** The events of an import's stream, the same in every service that imports (`<context>.history-...`). */
export const historyImportEvents = <C extends string>(context: C) => [
  defineEvent(`${context}.history-import-started`, HistoryImportStarted),
  defineEvent(`${context}.history-record-imported`, HistoryRecordImported, {
    schemaVersion: 2,
    upcasters: { 1: ({ importId, fileSha256, ...record }: Record<string, unknown>) => ({ importId, fileSha256, records: [record] }) },
  }),
  defineEvent(`${context}.history-import-completed`, HistoryImportCompleted),
];
