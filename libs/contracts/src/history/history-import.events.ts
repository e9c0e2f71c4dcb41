import { IsBoolean, IsInt, IsString, Matches, Min } from 'class-validator';

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

export class HistoryRecordImported {
  @IsString() importId: string;
  @Matches(SHA256) fileSha256: string;
  @IsString() sourceId: string;
  @Matches(SHA256) contentHash: string;
  @IsString() streamId: string;
  @IsInt() @Min(1) streamVersion: number;
}

export class HistoryImportCompleted {
  @IsString() importId: string;
  @IsInt() @Min(0) applied: number;
  @IsInt() @Min(0) alreadyImported: number;
  @IsInt() @Min(0) failed: number;
}
