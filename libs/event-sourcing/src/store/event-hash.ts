import { EventEnvelope } from '@cbme/contracts';
import { createHash } from 'node:crypto';

/** The "previous hash" of a stream's first hashed event (see docs/tamper-evidence.md). */
export const GENESIS_HASH = '0'.repeat(64);

/** A stored event with its link in the stream's hash chain; absent on events stored before hashing. */
export type HashedEnvelope = EventEnvelope & { hash?: string };

/**
 * Canonical JSON (RFC 8785 style): object keys sorted by UTF-16 code units, no whitespace, JSON.stringify's number and
 * string forms; keys whose value is undefined are left out (as JSON.stringify does), dates become their ISO string.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === 'function') return canonicalJson(json.call(value));
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
}

/** SHA-256 (hex) over the previous hash ‖ the canonical JSON of everything stored of the event except its own hash. */
export function eventHash(previous: string | undefined, event: HashedEnvelope): string {
  return hashOf(previous, canonicalJson(covered(event)));
}

/** What the hash covers: the event as stored, without its hash (and without the position a read adds). */
function covered(event: HashedEnvelope): EventEnvelope {
  const { hash: _own, position: _position, ...rest } = event as HashedEnvelope & { position?: number };
  return rest;
}

const hashOf = (previous: string | undefined, canonical: string) => createHash('sha256').update(previous ?? GENESIS_HASH).update(canonical).digest('hex');

/**
 * The events as the store writes them: each in its JSON form (what Kafka carries; the server then stores exactly what
 * was hashed) with its hash, chained from `previous` (the stream's last hash; none for a new stream or one whose
 * events before were stored unhashed).
 */
export function chainEvents(events: EventEnvelope[], previous: string | undefined): HashedEnvelope[] {
  let last = previous;
  return events.map((event) => {
    const canonical = canonicalJson(covered(event));
    const hash = hashOf(last, canonical);
    last = hash;
    return { ...(JSON.parse(canonical) as EventEnvelope), hash };
  });
}

/** The hash of the last event of some stored events, if it was hashed. */
export const lastHash = (events: readonly HashedEnvelope[] | undefined) => events?.at(-1)?.hash;
