import { getMetadataStorage } from 'class-validator';
import { parse } from 'csv-parse';
import { pipeline, Readable } from 'node:stream';
import { HistoryKinds, HistoryRecord } from './history-record';

/**
 * One row of a history CSV (docs/history-import.md, "CSV"): the record it holds, as a JSON Lines line would hold it,
 * or why it could not be read. `line` is the CSV line the row starts on. `unreadable`: the file is not CSV from here
 * on (or its header is unusable), so nothing after it was read.
 */
export type HistoryCsvRow =
  | { line: number; record: Record<string, unknown> }
  | { line: number; sourceId?: string; reasons: string[]; unreadable?: true };

export interface HistoryCsvOptions {
  kinds: HistoryKinds;
  /** the kind of every row, when the file has no `kind` column (`?kind=`) */
  kind?: string;
  /** separates the items of a list field (`agenda`) in one cell */
  listSeparator?: string;
}

/** characters of one row at the most: far above any record's fields, so a quote left open cannot fill memory with the file */
const MAX_RECORD = 1_000_000;

type FieldShape = 'number' | 'boolean' | 'list' | 'objects';

/** A field's JSON shape from its class-validator decorators, so CSV reads each cell as the schema (the one rule) expects. */
const shapes = new WeakMap<object, ReadonlyMap<string, FieldShape>>();
function fieldShapes(schema: new () => HistoryRecord): ReadonlyMap<string, FieldShape> {
  const known = shapes.get(schema);
  if (known) return known;
  const found = new Map<string, FieldShape>();
  for (const m of getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false)) {
    const shape: FieldShape | undefined = m.type === 'nestedValidation' ? 'objects'
      : m.name === 'isArray' ? 'list' : m.name === 'isInt' || m.name === 'isNumber' ? 'number' : m.name === 'isBoolean' ? 'boolean' : undefined;
    // objects win over list: an array of objects is not a list of strings
    if (shape && found.get(m.propertyName) !== 'objects') found.set(m.propertyName, shape);
  }
  shapes.set(schema, found);
  return found;
}

function cellValue(cell: string, shape: FieldShape | undefined, separator: string): unknown {
  switch (shape) {
    case 'number': return /^-?[0-9]+(\.[0-9]+)?$/.test(cell) ? Number(cell) : cell;
    case 'boolean': return cell === 'true' ? true : cell === 'false' ? false : cell;
    case 'list': return cell.split(separator).map((item) => item.trim()).filter(Boolean);
    default: return cell;
  }
}

/** `\r\n` to `\n` across chunk boundaries, so csv-parse counts lines right (it counts a quoted `\r\n` twice). */
async function* normalised(chunks: AsyncIterable<string | Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  for await (const chunk of chunks) {
    const text = carry + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    carry = text.endsWith('\r') ? '\r' : '';
    const body = carry ? text.slice(0, -1) : text;
    if (body) yield body.replace(/\r\n/g, '\n');
  }
  const rest = carry + decoder.decode();
  if (rest) yield rest.replace(/\r\n/g, '\n');
}

/** the line a record starts on: the line it ends on less the line breaks inside it (its raw text holds blank lines before it) */
const startLine = (endLine: number, raw: string) => endLine - (raw.replace(/\n$/, '').replace(/^\s+/, '').match(/\n/g)?.length ?? 0);

/**
 * Reads a CSV history file as a stream of rows: the first row names the fields, every further row is one record.
 * Empty cells are left out; a number, boolean or list field (items separated by `;`) is read as the schema expects it;
 * a field holding objects (a meeting's notes) cannot be written in a cell and is refused (an empty one is an empty
 * list). The records are then checked like JSON Lines' (`parseHistoryLine`): this only reads, it judges nothing.
 */
export async function* historyCsvRows(chunks: AsyncIterable<string | Uint8Array>, options: HistoryCsvOptions): AsyncGenerator<HistoryCsvRow> {
  const separator = options.listSeparator ?? ';';
  // csv-parse's errors would end the stream and drop the rows parsed before them in the same chunk: skip the bad record
  // instead, note the error, and hand it on with the next row (or at the end), where reading stops
  const skipped: Error[] = [];
  const parser = parse({
    bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true, raw: true, record_delimiter: '\n', max_record_size: MAX_RECORD,
    skip_records_with_error: true,
    on_record: (parsed) => ({ ...(parsed as object), errorsBefore: skipped.splice(0) }),
  });
  parser.on('skip', (error: Error) => skipped.push(error)); // emitted at once, before the next record is parsed
  pipeline(Readable.from(normalised(chunks)), parser, () => undefined); // a failed read ends the iteration below
  let header: string[] | undefined;
  let lastLine = 0;
  const notCsv = (error: Error): HistoryCsvRow => ({ line: lastLine + 1, reasons: [`not CSV from this line on (nothing after it was read): ${error.message}`], unreadable: true });
  for await (const { record: cells, info, raw, errorsBefore } of parser as AsyncIterable<{ record: string[]; info: { lines: number }; raw: string; errorsBefore: Error[] }>) {
    if (errorsBefore.length) {
      yield notCsv(errorsBefore[0]);
      return;
    }
    const line = startLine(info.lines, raw);
    lastLine = info.lines;
    if (!header) {
      const problems = headerProblems(cells, options);
      if (problems.length) {
        yield { line, reasons: problems, unreadable: true };
        return;
      }
      header = cells;
      continue;
    }
    yield rowOf(line, header, cells, options, separator);
  }
  if (skipped.length) {
    yield notCsv(skipped[0]);
    return;
  }
  if (!header) yield { line: 1, reasons: ['the file is empty: a CSV history needs a header row and one row per record'], unreadable: true };
}

function headerProblems(columns: string[], options: HistoryCsvOptions): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  columns.forEach((name, i) => {
    if (!name) problems.push(`column ${i + 1} of the header has no name`);
    else if (seen.has(name)) problems.push(`column ${name} is named twice`);
    seen.add(name);
  });
  if (!seen.has('kind') && options.kind === undefined) problems.push('the header has no kind column: add one, or name the kind of every row with ?kind=');
  if (!seen.has('sourceId')) problems.push('the header has no sourceId column');
  return problems;
}

function rowOf(line: number, header: string[], cells: string[], options: HistoryCsvOptions, separator: string): HistoryCsvRow {
  const cellOf = (name: string) => { const i = header.indexOf(name); return i < 0 ? '' : cells[i] ?? ''; };
  const sourceId = cellOf('sourceId') || undefined;
  if (cells.length !== header.length) return { line, sourceId, reasons: [`the row has ${cells.length} cells; the header has ${header.length}`] };
  const kindCell = cellOf('kind');
  if (options.kind !== undefined && kindCell && kindCell !== options.kind) return { line, sourceId, reasons: [`kind ${kindCell} is not the file's kind ${options.kind} (?kind=)`] };
  const kind = kindCell || options.kind;
  const schema = kind === undefined ? undefined : options.kinds.get(kind);
  const fields = schema ? fieldShapes(schema) : new Map<string, FieldShape>();
  const reasons: string[] = [];
  const entries: [string, unknown][] = kind === undefined ? [] : [['kind', kind]];
  header.forEach((name, i) => {
    const cell = cells[i];
    if (name === 'kind' || !cell) return;
    const shape = fields.get(name);
    if (shape === 'objects') reasons.push(`${name} holds objects, which a CSV cell cannot: send ${kind} records with ${name} as JSON Lines`);
    else entries.push([name, cellValue(cell, shape, separator)]);
  });
  // a list left empty (or without a column) is an empty list, as `"agenda":[]` in JSON Lines
  for (const [name, shape] of fields) if ((shape === 'list' || shape === 'objects') && !entries.some(([n]) => n === name)) entries.push([name, []]);
  if (reasons.length) return { line, sourceId, reasons };
  return { line, record: Object.fromEntries(entries) };
}
