import { EventCatalog, mapPaths } from '@cbme/contracts';
import { decryptField, encryptField, ERASED, mapStrings } from '../store/personal-data';

/*
 * Transport encryption (issue 16, "no Kafka topic contains the learner's strings"): the personal fields of a published
 * event travel sealed with a per-subject transport key of the publishing service, so destroying that key (a tombstone
 * on the service's key topic) leaves only ciphertext on the event topics. Only the encoding lives here; the relay and
 * the consumers wire it to the key topics.
 */

/** A personal field on a topic: `tpt1:<subject>:<iv>:<ciphertext ‖ tag>` (AES-256-GCM, subject as AAD, base64url). */
const TRANSPORT = 'tpt1:';
const STORE = 'pii1:';

/** The field sealed for transport; a value already sealed for transport is left as it is. */
export function sealTransportField(key: Buffer, subject: string, value: string): string {
  return value.startsWith(TRANSPORT) ? value : TRANSPORT + encryptField(key, subject, value).slice(STORE.length);
}

/** The subject of a transport-sealed field; undefined for a clear value (a message published before the encryption). */
export function transportSubject(value: string): string | undefined {
  if (!value.startsWith(TRANSPORT)) return undefined;
  return Buffer.from(value.slice(TRANSPORT.length, value.indexOf(':', TRANSPORT.length)), 'base64url').toString();
}

/** Throws when the field was altered or sealed under another key. */
export function openTransportField(key: Buffer, value: string): string {
  return decryptField(key, STORE + value.slice(TRANSPORT.length));
}

/**
 * The event with each personal field of its type sealed under its subject's transport key. The subject is the type's
 * subject field, else `streamSubject` (the relay knows it from the stored event). Without a subject it is refused.
 */
export function sealForTransport<E extends { type: string; data: unknown }>(
  catalog: EventCatalog, event: E, keyOf: (subject: string) => Buffer, streamSubject?: string,
): E {
  const fields = catalog.personalFields(event.type);
  if (!fields) return event;
  const data = event.data as Record<string, unknown>;
  const subject = fields.subjectField ? data[fields.subjectField] : streamSubject;
  if (typeof subject !== 'string' || !subject) throw new Error(`${event.type}: personal fields without a subject`);
  const key = keyOf(subject);
  return { ...event, data: mapPaths(data, fields.paths, (value) => sealTransportField(key, subject, value)) };
}

/**
 * Known transport keys by subject: a key, null for a tombstoned (erased) subject, undefined when not known yet
 * (the consumer then reads the key topic to its end and tries again).
 */
export type TransportKeyLookup = (subject: string) => Buffer | null | undefined;

/**
 * The received event with every transport-sealed string opened (an erased subject's as ERASED); clear strings (older
 * messages) as they were. `missing` names the subjects whose keys are not known yet; then `event` is absent.
 */
export function openFromTransport<E>(event: E, keyOf: TransportKeyLookup): { event: E } | { missing: string[] } {
  const missing = new Set<string>();
  const opened = mapStrings(event, (value) => {
    const subject = transportSubject(value);
    if (subject === undefined) return value;
    const key = keyOf(subject);
    if (key === undefined) {
      missing.add(subject);
      return value;
    }
    return key ? openTransportField(key, value) : ERASED;
  }) as E;
  return missing.size ? { missing: [...missing] } : { event: opened };
}

/** A transport key as its key-topic record: wrapped by the deployment's transport master key (never sent in clear). */
export function wrapTransportKey(master: Buffer, subject: string, key: Buffer): string {
  if (master.length !== 32) throw new Error('the transport master key must be 32 bytes (base64)');
  return encryptField(master, subject, key.toString('base64'));
}

export function unwrapTransportKey(master: Buffer, wrapped: string): Buffer {
  return Buffer.from(decryptField(master, wrapped), 'base64');
}

/**
 * The transport keys a consumer has read from the other services' key topics (key = subject, value = wrapped key, a
 * tombstone = erased). Bounded: the least recently used are dropped and come back when the key topic is read again.
 */
export class TransportKeyRing {
  private readonly keys = new Map<string, Buffer | null>();
  /** how many keys were dropped to stay within capacity (a key not known may then be on the topic already) */
  dropped = 0;

  constructor(private readonly master: Buffer, private readonly capacity = 100_000) {}

  /** One key-topic record: a wrapped key, or null (a tombstone) once the subject is erased. */
  apply(subject: string, wrapped: string | null): void {
    this.keys.delete(subject);
    this.keys.set(subject, wrapped === null ? null : unwrapTransportKey(this.master, wrapped));
    if (this.keys.size > this.capacity) {
      this.keys.delete(this.keys.keys().next().value as string);
      this.dropped++;
    }
  }

  readonly lookup: TransportKeyLookup = (subject) => {
    if (!this.keys.has(subject)) return undefined;
    const key = this.keys.get(subject) as Buffer | null;
    this.keys.delete(subject);
    this.keys.set(subject, key);
    return key;
  };
}
