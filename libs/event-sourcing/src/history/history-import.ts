import { EventCatalog, EventMetadata, HistoryImportCompleted, HistoryImportStarted, HistoryKinds, HistoryRecord, HistoryRecordImported, ImportedRecord, parseHistoryLine, Role } from '@cbme/contracts';
import { DomainError } from '@cbme/decider';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { backdated } from '../commands/execute-command';
import { EventStore, PendingEvent } from '../store/event-store';
import { OverlayEventStore } from '../store/overlay-event-store';

/**
 * What a service tells the history import about its record kinds (docs/history-import.md). Every record becomes one
 * command of the service, run with `backdated(metadata, record.occurredAt)` through the handler the command bus would
 * pick, over the store it is given: an overlay whose appends are dropped (validation) or written in batches (apply).
 */
export interface HistoryImporter<R extends HistoryRecord = HistoryRecord> {
  readonly kinds: HistoryKinds;
  /** the people a record names, checked against the service's directory before its command runs */
  people(record: R): { userId: string; role: Role }[];
  rolesOf(schoolId: string, userId: string): Promise<Role[]>;
  /** the one stream the record's command writes */
  streamOf(record: R, schoolId: string): string;
  run(record: R, metadata: EventMetadata, store: EventStore): Promise<unknown>;
  /**
   * The importer for one job: it may keep what it reads of the service's read models (who holds which role, who
   * coached whom when) for that job, which then judges every record against one picture of them.
   */
  forRun?(): HistoryImporter<R>;
}

/**
 * Remembers each answer of `ask` by its arguments for as long as the returned function is kept (a history import
 * job asks the same few hundred people's roles for thousands of records); a failed answer is asked again.
 */
export function rememberedFor<A extends string[], T>(ask: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  const answers = new Map<string, Promise<T>>();
  return (...args: A) => {
    const key = args.join('\u0000');
    let answer = answers.get(key);
    if (!answer) {
      answer = ask(...args);
      answers.set(key, answer);
      answer.catch(() => answers.delete(key));
    }
    return answer;
  };
}

/** What the ledger knows of one sourceId of a school: the content last imported under it, and whether it was applied. */
export interface HistoryLedgerEntry {
  sourceId: string;
  contentHash: string;
  streamId: string;
  /** the stream's version before the record's command ran: its events, if written, come after */
  fromVersion: number;
  importId: string;
  /** the batch that wrote it, applied once all that batch's streams were written */
  batchId: string;
  applied: boolean;
}

/** One batch of an import as the ledger keeps it: written before the batch's streams, marked applied after them. */
export interface HistoryLedgerBatch {
  batchId: string;
  schoolId: string;
  importId: string;
  fileSha256: string;
  applied: boolean;
  entries: Pick<HistoryLedgerEntry, 'sourceId' | 'contentHash' | 'streamId' | 'fromVersion'>[];
}

/** Idempotency by sourceId, one document per batch (not per record: an import writes few documents besides its events). */
export interface HistoryLedger {
  /**
   * Every sourceId the school imported, the latest batch's entry winning: read once per pass of an import (one query,
   * instead of a lookup per record: far cheaper on FerretDB, about the same on MongoDB with its index on schoolId).
   */
  entriesOf(schoolId: string): Promise<Map<string, HistoryLedgerEntry>>;
  /** recorded before the batch's streams are written (or, for records found written after a crash, already applied) */
  begin(batch: HistoryLedgerBatch): Promise<void>;
  markApplied(batchId: string): Promise<void>;
}

export interface HistoryLine {
  line: number;
  text: string;
}

/** The lines of a file, numbered from 1, read as a stream (blank lines are numbered and skipped). */
export async function* historyLines(path: string): AsyncGenerator<HistoryLine> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim()) yield { line, text };
  }
}

export interface HistoryLineError {
  line: number;
  sourceId?: string;
  reasons: string[];
}

export interface HistoryValidation {
  /** non-blank lines */
  lines: number;
  /** records whose command the dry run accepted, to be applied */
  valid: number;
  /** the same record imported before, or earlier in this file */
  alreadyImported: number;
  errors: HistoryLineError[];
  /** the streams the dry run found not to exist yet: the apply that follows in the same job need not look again */
  newStreams: Set<string>;
}

export interface HistoryImportContext {
  importId: string;
  fileSha256: string;
  /** the importing admin's request: tenant and actor of every event */
  metadata: EventMetadata;
}

/**
 * Records are read, judged and written this many at a time: one preload of their streams, one batch append, one
 * ledger document. Big enough to amortise the round trips, small enough to keep memory flat.
 */
export const HISTORY_BATCH = 500;

type ParsedRecord = { line: number; record: HistoryRecord; contentHash: string };

async function* batchesOf<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/**
 * Validation first: every line parsed, checked against its schema and the directory, then its command run on a dry-run
 * store in file order, so dates out of order, a meeting held after its relationship ended and every other rule are
 * the deciders' own. Reports every bad line with all its reasons; writes nothing.
 */
export async function validateHistory(
  lines: AsyncIterable<HistoryLine>, importer: HistoryImporter, deps: { store: EventStore; ledger: HistoryLedger }, context: HistoryImportContext,
  onBatch: (linesChecked: number) => Promise<void> = async () => undefined,
): Promise<HistoryValidation> {
  const schoolId = context.metadata.tenant.schoolId;
  const dryRun = new OverlayEventStore(deps.store);
  const seen = new Map<string, { hash: string; line: number }>();
  const roles = new Map<string, Promise<Role[]>>();
  const rolesOf = (userId: string) => {
    const held = roles.get(userId) ?? importer.rolesOf(schoolId, userId);
    roles.set(userId, held);
    return held;
  };
  const result: HistoryValidation = { lines: 0, valid: 0, alreadyImported: 0, errors: [], newStreams: new Set() };
  const known = await deps.ledger.entriesOf(schoolId);
  for await (const batch of batchesOf(lines, HISTORY_BATCH)) {
    const parsed: ParsedRecord[] = [];
    for (const { line, text } of batch) {
      result.lines++;
      const outcome = parseHistoryLine(text, importer.kinds);
      if (outcome.ok) parsed.push({ line, record: outcome.record, contentHash: outcome.contentHash });
      else result.errors.push({ line, sourceId: outcome.sourceId, reasons: outcome.reasons });
    }
    parsed.forEach(({ record }) => importer.people(record).forEach((person) => void rolesOf(person.userId).catch(() => undefined)));
    await dryRun.preload(parsed.map(({ record }) => importer.streamOf(record, schoolId)));
    for (const { line, record, contentHash } of parsed) {
      const reasons: string[] = [];
      const earlier = seen.get(record.sourceId);
      const before = earlier ? undefined : known.get(record.sourceId);
      const previousHash = earlier?.hash ?? before?.contentHash;
      if (previousHash !== undefined && previousHash !== contentHash) {
        reasons.push(`duplicate sourceId ${record.sourceId} with different content (${earlier ? `line ${earlier.line}` : 'imported before'})`);
      }
      for (const person of importer.people(record)) {
        if (!(await rolesOf(person.userId)).includes(person.role)) reasons.push(`unknown ${person.role} ${person.userId} (no ${person.role} with that id in this school)`);
      }
      if (reasons.length === 0 && (earlier || (before && (await isApplied(deps.store, before, record.occurredAt))))) {
        result.alreadyImported++;
        continue;
      }
      if (!earlier) seen.set(record.sourceId, { hash: contentHash, line });
      if (reasons.length === 0) {
        const refusal = await refusalOf(() => importer.run(record, recordMetadata(context, record), dryRun));
        if (refusal) reasons.push(refusal);
      }
      if (reasons.length) result.errors.push({ line, sourceId: record.sourceId, reasons });
      else result.valid++;
    }
    await onBatch(result.lines);
  }
  result.newStreams = await dryRun.streamsNewInBase();
  result.errors.sort((a, b) => a.line - b.line); // a batch's malformed lines are noted before its records are judged
  return result;
}

export interface HistoryApplyProgress {
  processed: number;
  total: number;
  applied: number;
  alreadyImported: number;
  failed: number;
}

/**
 * Applies a validated file, a batch of records at a time: each record not yet applied under its sourceId runs through
 * the service's real handler on an overlay of the store, backdated to its date; then the batch is written, one commit
 * per stream it touched (`appendBatch`), between its ledger document and that document's mark. The import's own
 * stream names each sourceId and the stream version it became. Lines in `skipLines` (invalid ones, when only the
 * valid records were asked for) are left out. Run again after a crash, it completes what is missing.
 */
export async function applyHistory(
  lines: AsyncIterable<HistoryLine>,
  importer: HistoryImporter,
  deps: { store: EventStore; catalog: EventCatalog; ledger: HistoryLedger; context: string },
  context: HistoryImportContext & { total: number; skipLines: ReadonlySet<number>; validOnly: boolean; batchSize?: number; newStreams?: ReadonlySet<string> },
  onProgress: (progress: HistoryApplyProgress) => Promise<void>,
): Promise<HistoryApplyProgress & { errors: HistoryLineError[] }> {
  const schoolId = context.metadata.tenant.schoolId;
  const log = importLog(deps, context);
  await log.start({ importId: context.importId, fileSha256: context.fileSha256, records: context.total, validOnly: context.validOnly });
  const progress: HistoryApplyProgress = { processed: 0, total: context.total, applied: 0, alreadyImported: 0, failed: 0 };
  const errors: HistoryLineError[] = [];
  const known = await deps.ledger.entriesOf(schoolId);
  /** sourceIds applied by this run (the same record may come twice in a file) */
  const appliedHere = new Set<string>();
  // streams the validation found new are taken as new until this run writes them: if another writer got there first,
  // the batch append refuses that stream
  const assumedNew = new Set(context.newStreams ?? []);
  for await (const batch of batchesOf(lines, context.batchSize ?? HISTORY_BATCH)) {
    const parsed: ParsedRecord[] = [];
    for (const { line, text } of batch) {
      if (context.skipLines.has(line)) continue;
      const outcome = parseHistoryLine(text, importer.kinds);
      // a line refused by validation is only reachable with skipLines from an older file, and never applied
      if (outcome.ok) parsed.push({ line, record: outcome.record, contentHash: outcome.contentHash });
    }
    const overlay = new OverlayEventStore(deps.store, assumedNew);
    await overlay.preload(parsed.map(({ record }) => importer.streamOf(record, schoolId)));
    const written: HistoryLedgerBatch = { batchId: randomUUID(), schoolId, importId: context.importId, fileSha256: context.fileSha256, applied: false, entries: [] };
    const found: HistoryLedgerBatch = { ...written, batchId: randomUUID(), applied: true, entries: [] };
    const imported: ImportedRecord[] = [];
    for (const { line, record, contentHash } of parsed) {
      const before = known.get(record.sourceId);
      // an entry never marked applied (its job died after writing): is the record in its stream?
      const foundAt = before && !before.applied && before.contentHash === contentHash && !appliedHere.has(record.sourceId)
        ? await appliedVersion(deps.store, before, record.occurredAt) : null;
      if (appliedHere.has(record.sourceId)) {
        progress.alreadyImported++; // the same record twice in the file (validation checked the content is equal)
      } else if (before && before.contentHash !== contentHash) {
        progress.failed++;
        errors.push({ line, sourceId: record.sourceId, reasons: [`duplicate sourceId ${record.sourceId} with different content (imported before)`] });
      } else if (before?.applied) {
        progress.alreadyImported++;
      } else if (before && foundAt !== null) {
        // written by a job that died before marking its batch: noted now, in the log too if it was this import's
        const version = foundAt;
        found.entries.push({ sourceId: record.sourceId, contentHash, streamId: before.streamId, fromVersion: before.fromVersion });
        if (before.importId === context.importId && !(await log.has(record.sourceId))) imported.push({ sourceId: record.sourceId, contentHash, streamId: before.streamId, streamVersion: version });
        progress.alreadyImported++;
      } else {
        const streamId = importer.streamOf(record, schoolId);
        const fromVersion = await versionOf(overlay, streamId);
        const refusal = await refusalOf(() => importer.run(record, recordMetadata(context, record), overlay));
        if (refusal) {
          progress.failed++;
          errors.push({ line, sourceId: record.sourceId, reasons: [refusal] });
        } else {
          appliedHere.add(record.sourceId);
          written.entries.push({ sourceId: record.sourceId, contentHash, streamId, fromVersion });
          imported.push({ sourceId: record.sourceId, contentHash, streamId, streamVersion: await versionOf(overlay, streamId) });
          progress.applied++;
        }
      }
      progress.processed++;
    }
    if (found.entries.length) await deps.ledger.begin(found);
    if (written.entries.length) {
      await deps.ledger.begin(written);
      const appends = await overlay.pendingAppends();
      await deps.store.appendBatch(appends);
      appends.forEach((a) => assumedNew.delete(a.streamId));
    }
    await log.recordMany(imported);
    if (written.entries.length) await deps.ledger.markApplied(written.batchId);
    await onProgress({ ...progress });
  }
  await log.complete({ importId: context.importId, applied: progress.applied, alreadyImported: progress.alreadyImported, failed: progress.failed });
  await onProgress({ ...progress });
  return { ...progress, errors };
}

const versionOf = async (store: EventStore, streamId: string) => (await store.readStream(streamId)).at(-1)?.streamVersion ?? 0;

/** The last stream version an entry's command wrote, found in its stream, or null when it never ran. */
async function appliedVersion(store: EventStore, entry: HistoryLedgerEntry, occurredAt: string): Promise<number | null> {
  const after = await store.readStream(entry.streamId, { fromVersion: entry.fromVersion + 1 });
  const mine = after.filter((e) => e.correlationId === entry.importId && Date.parse(e.occurredAt) === Date.parse(occurredAt));
  return mine.length ? mine[mine.length - 1].streamVersion : null;
}

const isApplied = async (store: EventStore, entry: HistoryLedgerEntry, occurredAt: string) => entry.applied || (await appliedVersion(store, entry, occurredAt)) !== null;

/** Every imported event: the admin as actor, correlationId = the import id, judged and dated at the record's date. */
const recordMetadata = (context: HistoryImportContext, record: HistoryRecord): EventMetadata =>
  backdated({ ...context.metadata, correlationId: context.importId, causationId: null }, new Date(record.occurredAt).toISOString());

/** A domain refusal becomes the line's reason; anything else is a fault and propagates. */
async function refusalOf(run: () => Promise<unknown>): Promise<string | null> {
  try {
    await run();
    return null;
  } catch (error) {
    if (error instanceof DomainError) return error.message;
    throw error;
  }
}

export const historyImportStreamId = (context: string, schoolId: string, importId: string) => `${context}-history-import-${schoolId}-${importId}`;

/**
 * The import's own stream, written only by its job (one writer, so each append names the exact version it follows).
 * A job run again after a crash continues the same stream.
 */
function importLog(deps: { store: EventStore; catalog: EventCatalog; context: string }, context: HistoryImportContext) {
  const streamId = historyImportStreamId(deps.context, context.metadata.tenant.schoolId, context.importId);
  let version: number | undefined;
  const { backdated: _b, occurredAt: _o, ...envelope } = context.metadata;
  const append = async (name: string, data: object[]) => {
    if (version === undefined) {
      const history = await deps.store.readStream(streamId);
      version = history.length ? history[history.length - 1].streamVersion : 0;
      if (name === 'import-started' && version > 0) return; // a resumed job started this stream before
    }
    const type = `${deps.context}.history-${name}`;
    const events: PendingEvent[] = data.map((d) => ({ ...envelope, correlationId: context.importId, causationId: null, eventId: randomUUID(), type, schemaVersion: deps.catalog.currentVersion(type), data: d }));
    version = (await deps.store.append(streamId, version, events)).nextExpectedVersion;
  };
  return {
    /** whether the stream already names this sourceId (read only after a crash, see applyHistory) */
    has: async (sourceId: string) => (await deps.store.readStream(streamId))
      .some((e) => e.type.endsWith('.history-record-imported') && (e.data as HistoryRecordImported).records.some((r) => r.sourceId === sourceId)),
    start: (data: HistoryImportStarted) => append('import-started', [data]),
    /** one event for a batch's records */
    recordMany: (records: ImportedRecord[]) => (records.length
      ? append('record-imported', [{ importId: context.importId, fileSha256: context.fileSha256, records } satisfies HistoryRecordImported])
      : Promise.resolve()),
    complete: (data: HistoryImportCompleted) => append('import-completed', [data]),
  };
}
