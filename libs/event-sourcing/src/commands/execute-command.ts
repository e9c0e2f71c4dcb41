import { EventCatalog, EventMetadata } from '@cbme/contracts';
import { Decider, DomainError, notFound, ruleViolated } from '@cbme/decider';
import { randomUUID } from 'node:crypto';
import { commandOutcomes } from '../instrumentation/kernel-signals';
import { recordWrittenPosition } from '../read-your-writes/written-positions';
import { EventStore, StoredEvent, WrongExpectedVersionError } from '../store/event-store';
import { inSpan } from '../tracing/trace-context';

export interface DomainEvent {
  type: string;
  data: object;
}

export interface ExecuteOptions {
  /** the version the client last saw; a mismatch is a conflict for the client to resolve, never retried */
  expectedVersion?: number;
  /** how often to re-read and re-decide when another writer got there first */
  retries?: number;
  /** streams belong to the school of their first event unless they are institution-wide (false) */
  schoolScoped?: boolean;
  /** passed to the store's read (1: the stream most likely does not exist yet, e.g. a user being registered) */
  readAhead?: number;
}

/**
 * The metadata of a command that happened at `occurredAt`, an earlier date from a source record, for trusted internal
 * callers only (the history import; never from an HTTP request). Its decider takes that date as "now" for its date
 * rules, so the command is judged at its own date; its events keep it as occurredAt, and the store stamps recordedAt.
 */
export function backdated(metadata: EventMetadata, occurredAt: string): EventMetadata {
  return { ...metadata, occurredAt, backdated: true };
}

export interface ExecuteResult<E> {
  events: E[];
  nextExpectedVersion: number;
}

/**
 * The whole write path of an event-sourced command: read the stream, fold it into state,
 * decide, append with the version that was read. A lost race re-runs the decision on fresh state.
 * Each command's outcome is told to observers (metrics) here, the one place every command goes through, and it is
 * traced as `command <type>`, with an `append` span per attempt (the commit keeps the append's trace context).
 */
export function executeCommand<C, E extends DomainEvent, S>(...args: Parameters<typeof decideAndAppend<C, E, S>>): Promise<ExecuteResult<E>> {
  const type = (args[4] as { type?: unknown }).type; // the command
  const name = typeof type === 'string' ? type : 'unknown';
  return inSpan(`command ${name}`, { 'cbme.stream.id': args[3], 'cbme.correlation.id': args[5].correlationId }, async () => {
    try {
      const result = await decideAndAppend(...args);
      commandOutcomes.publish({ command: name, outcome: 'accepted' });
      return result;
    } catch (error) {
      commandOutcomes.publish({ command: name, outcome: 'rejected', reason: rejectionReason(error) });
      throw error;
    }
  });
}

/** why a command was refused, in a few words: a domain error's kind, a conflict, or anything else as `error` */
function rejectionReason(error: unknown): string {
  if (error instanceof DomainError) return error.kind;
  if (error instanceof WrongExpectedVersionError) return 'conflict';
  return 'error';
}

async function decideAndAppend<C, E extends DomainEvent, S>(
  store: EventStore,
  catalog: EventCatalog,
  decider: Decider<C, E, S>,
  streamId: string,
  command: C,
  metadata: EventMetadata,
  options: ExecuteOptions = {},
): Promise<ExecuteResult<E>> {
  const retries = options.expectedVersion === undefined ? options.retries ?? 3 : 0;
  if (metadata.backdated && !(Date.parse(metadata.occurredAt) <= Date.now())) throw ruleViolated(`a backdated command needs a date in the past, not ${metadata.occurredAt}`);
  for (let attempt = 0; ; attempt++) {
    const history = await store.readStream(streamId, options.readAhead ? { readAhead: options.readAhead } : {});
    if (options.schoolScoped !== false && isOtherSchools(history, metadata.tenant.schoolId)) {
      // From another school the stream does not exist: the decider refuses as it refuses an unknown id, word for word.
      decider.decide(command, decider.initialState);
      requireSameSchool(history, metadata.tenant.schoolId);
    }
    const version = history.length ? history[history.length - 1].streamVersion : 0;
    if (metadata.backdated) requireInDateOrder(history, metadata.occurredAt);
    const state = history.map(toDomainEvent<E>).reduce(decider.evolve, decider.initialState);
    if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
      // Someone who may not see the stream learns nothing from its version either: the decider's "not found" comes first.
      refuseIfNotFound(() => decider.decide(command, state));
      throw new WrongExpectedVersionError(streamId, options.expectedVersion, version);
    }
    const events = decider.decide(command, state);
    if (events.length === 0) return { events, nextExpectedVersion: version };
    const { backdated: _b, occurredAt, ...context } = metadata;
    // a live command's events are stamped by the store (one clock read for both times); a backdated one keeps its date
    const times = metadata.backdated ? { occurredAt } : {};
    try {
      const result = await inSpan('append', { 'cbme.stream.id': streamId, 'cbme.stream.version': version }, () => store.append(
        streamId,
        version,
        events.map((e) => ({ ...context, ...times, eventId: randomUUID(), type: e.type, schemaVersion: catalog.currentVersion(e.type), data: e.data })),
      ));
      recordWrittenPosition(result.position);
      return { events, nextExpectedVersion: result.nextExpectedVersion };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError) || attempt >= retries) throw error;
    }
  }
}

/** A backdated command cannot come before what its stream already holds: a stream's history is told in date order. */
export function requireInDateOrder(history: StoredEvent[], occurredAt: string): void {
  const last = history.length ? history[history.length - 1].occurredAt : undefined;
  if (last && Date.parse(last) > Date.parse(occurredAt)) throw ruleViolated(`dates out of order: ${occurredAt} is before ${last}, the date of this stream's last event`);
}

const isOtherSchools = (history: StoredEvent[], schoolId: string) => history.length > 0 && history[0].tenant.schoolId !== schoolId;

/** A stream belongs to the school of its first event; from another school it does not exist. */
export function requireSameSchool(history: StoredEvent[], schoolId: string): void {
  if (isOtherSchools(history, schoolId)) throw notFound(`no ${history[0].streamId.split('-').slice(0, 2).join(' ')} with that id in this school`);
}

function refuseIfNotFound(decide: () => unknown): void {
  try {
    decide();
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'not-found') throw error;
  }
}

export const toDomainEvent = <E extends DomainEvent>(stored: StoredEvent): E => ({ type: stored.type, data: stored.data }) as E;

/** Folds a stream into state with the decider's evolve (for queries over the write model). */
export async function loadState<E extends DomainEvent, S>(
  store: EventStore,
  decider: Pick<Decider<unknown, E, S>, 'evolve' | 'initialState'>,
  streamId: string,
): Promise<{ state: S; version: number }> {
  const history = await store.readStream(streamId);
  return {
    state: history.map(toDomainEvent<E>).reduce(decider.evolve, decider.initialState),
    version: history.length ? history[history.length - 1].streamVersion : 0,
  };
}
