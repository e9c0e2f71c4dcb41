import { EventCatalog, EventMetadata, HistoryImportCompleted, HistoryImportStarted, HistoryKinds, HistoryRecord, HistoryRecordImported, parseHistoryLine, Role } from '@cbme/contracts';
import { DomainError } from '@cbme/decider';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { backdated } from '../commands/execute-command';
import { EventStore, PendingEvent } from '../store/event-store';
import { OverlayEventStore } from '../store/overlay-event-store';

/**
 * What a service tells the history import about its record kinds (docs/history-import.md). Every record becomes one
 * command of the service, run with `backdated(metadata, record.occurredAt)`: through the service's command path for
 * real, or on a dry-run store when validating (the same handlers and deciders either way).
 */
export interface HistoryImporter<R extends HistoryRecord = HistoryRecord> {
  readonly kinds: HistoryKinds;
  /** the people a record names, checked against the service's directory before its command runs */
  people(record: R): { userId: string; role: Role }[];
  rolesOf(schoolId: string, userId: string): Promise<Role[]>;
  /** the one stream the record's command writes */
  streamOf(record: R, schoolId: string): string;
  run(record: R, metadata: EventMetadata, dryRun?: EventStore): Promise<unknown>;
}

/** Per school and sourceId: the content last imported under it, and whether its command is known to have been applied. */
export interface HistoryLedgerEntry {
  schoolId: string;
  sourceId: string;
  contentHash: string;
  importId: string;
  fileSha256: string;
  streamId: string;
  /** the stream's version before the command ran: its events, if written, come after */
  fromVersion: number;
  applied: boolean;
}

export interface HistoryLedger {
  get(schoolId: string, sourceId: string): Promise<HistoryLedgerEntry | null>;
  /** recorded before the command runs, so a crash between the two is recognised on the next run */
  begin(entry: HistoryLedgerEntry): Promise<void>;
  markApplied(schoolId: string, sourceId: string): Promise<void>;
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
}

export interface HistoryImportContext {
  importId: string;
  fileSha256: string;
  /** the importing admin's request: tenant and actor of every event */
  metadata: EventMetadata;
}

/**
 * Validation first: every line parsed, checked against its schema and the directory, then its command run on a dry-run
 * store in file order, so dates out of order, a meeting held after its relationship ended and every other rule are
 * the deciders' own. Reports every bad line with all its reasons; writes nothing.
 */
export async function validateHistory(
  lines: AsyncIterable<HistoryLine>, importer: HistoryImporter, deps: { store: EventStore; ledger: HistoryLedger }, context: HistoryImportContext,
): Promise<HistoryValidation> {
  const schoolId = context.metadata.tenant.schoolId;
  const dryRun = new OverlayEventStore(deps.store);
  const seen = new Map<string, { hash: string; line: number }>();
  const roles = new Map<string, Promise<Role[]>>();
  const result: HistoryValidation = { lines: 0, valid: 0, alreadyImported: 0, errors: [] };
  for await (const { line, text } of lines) {
    result.lines++;
    const parsed = parseHistoryLine(text, importer.kinds);
    if (!parsed.ok) {
      result.errors.push({ line, sourceId: parsed.sourceId, reasons: parsed.reasons });
      continue;
    }
    const { record, contentHash } = parsed;
    const reasons: string[] = [];
    const earlier = seen.get(record.sourceId);
    const known = earlier ? null : await deps.ledger.get(schoolId, record.sourceId);
    const previousHash = earlier?.hash ?? known?.contentHash;
    if (previousHash !== undefined && previousHash !== contentHash) {
      reasons.push(`duplicate sourceId ${record.sourceId} with different content (${earlier ? `line ${earlier.line}` : 'imported before'})`);
    }
    for (const person of importer.people(record)) {
      const rolesHeld = roles.get(person.userId) ?? importer.rolesOf(schoolId, person.userId);
      roles.set(person.userId, rolesHeld);
      if (!(await rolesHeld).includes(person.role)) reasons.push(`unknown ${person.role} ${person.userId} (no ${person.role} with that id in this school)`);
    }
    if (reasons.length === 0 && (earlier || (known && (await alreadyApplied(deps.store, known, record.occurredAt))))) {
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
  return result;
}

/** records between two progress reports */
const PROGRESS_EVERY = 10;

export interface HistoryApplyProgress {
  processed: number;
  total: number;
  applied: number;
  alreadyImported: number;
  failed: number;
}

/**
 * Applies a validated file: each record not yet applied under its sourceId runs through the service's command path,
 * backdated to its date, and the import's own stream names the sourceId and the events it became. Lines listed in
 * `skipLines` (invalid ones, when only the valid records were asked for) are left out.
 */
export async function applyHistory(
  lines: AsyncIterable<HistoryLine>,
  importer: HistoryImporter,
  deps: { store: EventStore; catalog: EventCatalog; ledger: HistoryLedger; context: string },
  context: HistoryImportContext & { total: number; skipLines: ReadonlySet<number>; validOnly: boolean },
  onProgress: (progress: HistoryApplyProgress) => Promise<void>,
): Promise<HistoryApplyProgress & { errors: HistoryLineError[] }> {
  const schoolId = context.metadata.tenant.schoolId;
  const log = importLog(deps, context);
  await log.start({ importId: context.importId, fileSha256: context.fileSha256, records: context.total, validOnly: context.validOnly });
  const progress: HistoryApplyProgress = { processed: 0, total: context.total, applied: 0, alreadyImported: 0, failed: 0 };
  const errors: HistoryLineError[] = [];
  for await (const { line, text } of lines) {
    if (context.skipLines.has(line)) continue;
    const parsed = parseHistoryLine(text, importer.kinds);
    if (!parsed.ok) continue; // refused by validation: only reachable with skipLines from an older file, never applied
    const { record, contentHash } = parsed;
    const known = await deps.ledger.get(schoolId, record.sourceId);
    if (known && known.contentHash !== contentHash) {
      progress.failed++;
      errors.push({ line, sourceId: record.sourceId, reasons: [`duplicate sourceId ${record.sourceId} with different content (imported before)`] });
    } else if (known && (await alreadyApplied(deps.store, known, record.occurredAt))) {
      if (!known.applied) {
        // this job died between running the record's command and noting it: note it once, now
        const version = await appliedVersion(deps.store, known, record.occurredAt);
        if (known.importId === context.importId && version !== null && !(await log.has(record.sourceId))) {
          await log.record({ importId: context.importId, fileSha256: context.fileSha256, sourceId: record.sourceId, contentHash, streamId: known.streamId, streamVersion: version });
        }
        await deps.ledger.markApplied(schoolId, record.sourceId);
      }
      progress.alreadyImported++;
    } else {
      const streamId = importer.streamOf(record, schoolId);
      const history = await deps.store.readStream(streamId);
      const fromVersion = history.length ? history[history.length - 1].streamVersion : 0;
      await deps.ledger.begin({ schoolId, sourceId: record.sourceId, contentHash, importId: context.importId, fileSha256: context.fileSha256, streamId, fromVersion, applied: false });
      const refusal = await refusalOf(() => importer.run(record, recordMetadata(context, record)));
      if (refusal) {
        progress.failed++;
        errors.push({ line, sourceId: record.sourceId, reasons: [refusal] });
      } else {
        const written = await deps.store.readStream(streamId, { fromVersion: fromVersion + 1 });
        const mine = written.filter((e) => e.correlationId === context.importId);
        await log.record({ importId: context.importId, fileSha256: context.fileSha256, sourceId: record.sourceId, contentHash, streamId, streamVersion: mine[mine.length - 1]?.streamVersion ?? fromVersion + 1 });
        await deps.ledger.markApplied(schoolId, record.sourceId);
        progress.applied++;
      }
    }
    progress.processed++;
    if (progress.processed % PROGRESS_EVERY === 0) await onProgress({ ...progress });
  }
  await log.complete({ importId: context.importId, applied: progress.applied, alreadyImported: progress.alreadyImported, failed: progress.failed });
  await onProgress({ ...progress });
  return { ...progress, errors };
}

/** A ledger entry's command ran if its stream holds, after the version noted before it ran, an event of that import at the record's date. */
async function alreadyApplied(store: EventStore, entry: HistoryLedgerEntry, occurredAt: string): Promise<boolean> {
  return entry.applied || (await appliedVersion(store, entry, occurredAt)) !== null;
}

/** The last stream version the entry's command wrote, or null when it never ran. */
async function appliedVersion(store: EventStore, entry: HistoryLedgerEntry, occurredAt: string): Promise<number | null> {
  const after = await store.readStream(entry.streamId, { fromVersion: entry.fromVersion + 1 });
  const mine = after.filter((e) => e.correlationId === entry.importId && Date.parse(e.occurredAt) === Date.parse(occurredAt));
  return mine.length ? mine[mine.length - 1].streamVersion : null;
}

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
  const append = async (name: string, data: object) => {
    if (version === undefined) {
      const history = await deps.store.readStream(streamId);
      version = history.length ? history[history.length - 1].streamVersion : 0;
      if (name === 'import-started' && version > 0) return; // a resumed job started this stream before
    }
    const type = `${deps.context}.history-${name}`;
    const event: PendingEvent = { ...envelope, correlationId: context.importId, causationId: null, eventId: randomUUID(), type, schemaVersion: deps.catalog.currentVersion(type), data };
    version = (await deps.store.append(streamId, version, [event])).nextExpectedVersion;
  };
  return {
    /** whether the stream already names this sourceId (read only after a crash, see applyHistory) */
    has: async (sourceId: string) => (await deps.store.readStream(streamId)).some((e) => (e.data as Partial<HistoryRecordImported>).sourceId === sourceId),
    start: (data: HistoryImportStarted) => append('import-started', data),
    record: (data: HistoryRecordImported) => append('record-imported', data),
    complete: (data: HistoryImportCompleted) => append('import-completed', data),
  };
}
