import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { IsISO8601, IsString, Matches, validateSync, ValidationError } from 'class-validator';
import { createHash } from 'node:crypto';

/**
 * One line of a history import (JSON Lines, see docs/history-import.md): what every record carries. `sourceId` is the
 * record's id in the previous system, stable and unique per school: sending a record again is recognised by it.
 */
export class HistoryRecord {
  @IsString() kind: string;
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$/, { message: 'sourceId must be 1 to 200 letters, digits or . _ : / -' }) sourceId: string;
  /** when it happened in the world: the events keep it as occurredAt */
  @IsISO8601({ strict: true }, { message: 'occurredAt must be an ISO 8601 date and time' }) occurredAt: string;
}

/** Ids in records are the previous system's: any short opaque string (not only UUIDs). */
export const HISTORY_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const HISTORY_ID_MESSAGE = { message: '$property must be 1 to 128 letters, digits or . _ : -' };

/** The record schema of each kind a service imports (a Map: a kind read from a file never indexes a plain object). */
export type HistoryKinds = ReadonlyMap<string, new () => HistoryRecord>;

export type ParsedLine<R extends HistoryRecord = HistoryRecord> =
  | { ok: true; record: R; contentHash: string }
  | { ok: false; reasons: string[]; sourceId?: string };

/** Every reason class-validator gives, with the path of nested fields (`notes.0.text: ...`). */
export function reasonsOf(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = `${prefix}${e.property}`;
    return [...Object.values(e.constraints ?? {}).map((message) => (message.startsWith(e.property) ? `${prefix}${message}` : `${path}: ${message}`)), ...reasonsOf(e.children ?? [], `${path}.`)];
  });
}

/** A stable hash of a record's content (keys sorted), so the same record sent again is recognised whatever its key order. */
export function contentHashOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Parses and checks one line against its kind's schema, giving ALL the reasons it is bad (malformed JSON, unknown
 * kind, every field's), never throwing. Unknown fields are refused, as on the HTTP API.
 */
export function parseHistoryLine<R extends HistoryRecord>(line: string, kinds: HistoryKinds): ParsedLine<R> {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (error) {
    return { ok: false, reasons: [`malformed JSON: ${(error as Error).message}`] };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, reasons: ['a line must hold one JSON object'] };
  const object = raw as Record<string, unknown>;
  const sourceId = typeof object['sourceId'] === 'string' ? object['sourceId'] : undefined;
  const kind = typeof object['kind'] === 'string' ? object['kind'] : undefined;
  const schema = kind === undefined ? undefined : kinds.get(kind);
  if (!schema) {
    const known = [...kinds.keys()].join(', ');
    return { ok: false, sourceId, reasons: [kind === undefined ? `kind is missing; one of: ${known}` : `unknown kind "${kind}"; one of: ${known}`] };
  }
  const record = plainToInstance(schema, object);
  const errors = validateSync(record, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) return { ok: false, sourceId, reasons: reasonsOf(errors) };
  return { ok: true, record: record as R, contentHash: contentHashOf(object) };
}
