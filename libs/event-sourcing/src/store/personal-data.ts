import { ERASED, EventCatalog, mapPaths } from '@cbme/contracts';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LRUCache } from 'lru-cache';
import { Connection } from 'mongoose';
import { sharedWhileRunning } from './in-flight';

/*
 * Crypto-shredding (issue 16): a store encrypts the personal fields its catalog marks (`@Personal`) with the data key of
 * their subject before it hashes the event, and decrypts them on read. Destroying the subject's key erases the text in
 * every event without changing one stored byte, so the hash chain and the exports made before still verify.
 */

export { ERASED } from '@cbme/contracts';

/** A personal field as stored: `pii1:<subject, base64url>:<iv>:<ciphertext ‖ GCM tag>` (AES-256-GCM, the subject as AAD). */
const SEALED = 'pii1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const b64 = (bytes: Buffer) => bytes.toString('base64url');

export function encryptField(key: Buffer, subject: string, value: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(subject));
  const sealed = Buffer.concat([cipher.update(value, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${SEALED}${b64(Buffer.from(subject))}:${b64(iv)}:${b64(sealed)}`;
}

/** The subject a sealed field belongs to; undefined for a value stored in the clear (before encryption, or not personal). */
export function sealedSubject(value: string): string | undefined {
  if (!value.startsWith(SEALED)) return undefined;
  return Buffer.from(value.slice(SEALED.length, value.indexOf(':', SEALED.length)), 'base64url').toString();
}

/** Throws when the field was altered or the key is not the one it was sealed with (never reads as erased). */
export function decryptField(key: Buffer, value: string): string {
  const [subject, iv, sealed] = value.slice(SEALED.length).split(':').map((part) => Buffer.from(part, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', key, iv).setAAD(subject);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]).toString('utf8');
}

/** The data keys of one service's subjects (a mutable collection beside its store, not events). */
export interface DataKeys {
  /** The subject's key, made on first use; null once the subject is erased (no new key is ever made for them). */
  keyFor(subject: string): Promise<Buffer | null>;
  /** The subject's key if it has one (null: none yet, or erased). */
  existingKey(subject: string): Promise<Buffer | null>;
  /** Destroys the subject's key for good; their sealed fields read as ERASED from then on. */
  erase(subject: string): Promise<void>;
}

/** Encrypts what a catalog marks personal on the way into a store and decrypts it on the way out. */
export class PersonalDataCipher {
  constructor(private readonly catalog: EventCatalog, readonly keys: DataKeys) {}

  /**
   * The events with their personal fields sealed with their subject's key (an erased subject's as ERASED). A type
   * whose schema names no subject takes the stream's: the first event before it in the append naming one, else
   * `streamSubject()`. An event with personal fields and no subject is refused rather than stored in the clear (an
   * inbox, which must not refuse what another service published, keeps it as received: `withoutSubject: 'keep'`).
   */
  async seal<E extends { type: string; data: unknown }>(events: E[], streamSubject: () => Promise<string | undefined>, withoutSubject: 'refuse' | 'keep' = 'refuse'): Promise<E[]> {
    let ofStream: string | undefined;
    const sealed: E[] = [];
    for (const event of events) {
      const data = event.data as Record<string, unknown>;
      ofStream ??= this.subjectNamedBy(event);
      const fields = this.catalog.personalFields(event.type);
      if (!fields) {
        sealed.push(event);
        continue;
      }
      const subject = fields.subjectField ? (data[fields.subjectField] as string | undefined) : (ofStream ??= await streamSubject());
      if (typeof subject !== 'string' || !subject) {
        if (withoutSubject === 'keep') {
          sealed.push(event);
          continue;
        }
        throw new Error(`${event.type}: personal fields without a subject`);
      }
      const key = await this.keys.keyFor(subject);
      sealed.push({ ...event, data: mapPaths(data, fields.paths, (value) => (sealedSubject(value) ? value : key ? encryptField(key, subject, value) : ERASED)) });
    }
    return sealed;
  }

  /** The subject an event names (for the events that follow it in its stream), if its type has a subject field. */
  subjectNamedBy(event: { type: string; data: unknown }): string | undefined {
    const field = this.catalog.subjectField(event.type);
    const value = field ? (event.data as Record<string, unknown>)[field] : undefined;
    return typeof value === 'string' && value ? value : undefined;
  }

  /** The events with every sealed field (whatever its schema version) decrypted, or ERASED where the key is gone. */
  async open<E extends { data: unknown }>(events: E[]): Promise<E[]> {
    const subjects = new Set<string>();
    for (const event of events) forEachString(event.data, (value) => {
      const subject = sealedSubject(value);
      if (subject) subjects.add(subject);
    });
    if (subjects.size === 0) return events;
    const keys = new Map(await Promise.all([...subjects].map(async (s) => [s, await this.keys.existingKey(s)] as const)));
    const reveal = (value: string) => {
      const subject = sealedSubject(value);
      if (subject === undefined) return value;
      const key = keys.get(subject);
      return key ? decryptField(key, value) : ERASED;
    };
    return events.map((event) => ({ ...event, data: mapStrings(event.data, reveal) }));
  }
}

function forEachString(value: unknown, visit: (value: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) value.forEach((item) => forEachString(item, visit));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((item) => forEachString(item, visit));
}

/** A copy of `value` with every string in it replaced by `change(string)`. */
export function mapStrings(value: unknown, change: (value: string) => string): unknown {
  if (typeof value === 'string') return change(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, change));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, change)]));
  return value;
}

/** Data keys wrapped (AES-256-GCM) by a master key; only unwrapping needs it. */
class KeyWrap {
  constructor(private readonly master: Buffer) {
    if (master.length !== 32) throw new Error('the personal-data master key must be 32 bytes (base64)');
  }

  wrap(subject: string, key: Buffer): string {
    return encryptField(this.master, subject, key.toString('base64'));
  }

  unwrap(wrapped: string): Buffer {
    return Buffer.from(decryptField(this.master, wrapped), 'base64');
  }
}

/** The master key from configuration, or for local development one generated into a file (like the audit keys). */
export function readMasterKey(configured: string | undefined, file: string): Buffer {
  if (configured) return Buffer.from(configured, 'base64');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    // written aside, then linked into place (atomic, refused if it exists): of services starting together (the shared
    // transport key) the first one's key is the one all of them read, never a half-written file
    const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(aside, randomBytes(32).toString('base64'), { mode: 0o600 });
    try {
      linkSync(aside, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(aside);
    }
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}

interface DataKeyDocument {
  _id: string;
  /** the wrapped key; absent once erased */
  wrapped?: string;
  createdAt: Date;
  erasedAt?: Date;
}

/** How many unwrapped keys a process keeps (most recently used); the rest are read and unwrapped again. */
const CACHED_KEYS = 10_000;
/**
 * How stale a process's cached keys may be: an erasure on another instance of the service (the one holding the
 * erasure runner's lease) takes effect here within this time. Rebuilds after an erasure wait longer than this.
 */
export const KEY_CACHE_MS = 5_000;

/** The one document of `<collection>_erasures`: a new token at every erasure. */
interface ErasureMarkDocument {
  _id: 'latest';
  token: string;
  at: Date;
}

/**
 * One service's data keys in its own database (`data_keys`, `_id` = subject): made by one insert (a race is lost to
 * the first), erased by replacing the document with a tombstone, so a late event about an erased subject is stored
 * as ERASED and never under a new key. Each erasure then writes a new token to `<collection>_erasures`; a process
 * keeps the keys it read for as long as that token stays the same, looked at once per KEY_CACHE_MS (one lookup for
 * all subjects instead of one per subject), and drops them all when it changed. An erasure here drops its key at once.
 */
export class MongoDataKeys implements DataKeys {
  /** per subject its key, or null once erased (boxed: the cache holds no nulls) */
  private readonly cache = new LRUCache<string, { key: Buffer | null }>({ max: CACHED_KEYS });
  /** key lookups under way, shared by the readers asking for the same subject at once */
  private readonly reading = new Map<string, Promise<DataKeyDocument | null>>();
  private readonly wrap: KeyWrap;
  /** the erasure token last seen: a key read while another was current is used, not kept */
  private erasures?: { token: string | null; checkedAt: number };
  private checking?: Promise<void>;

  /** `checkEveryMs`: how often the erasure token is looked at (KEY_CACHE_MS; tests use less) */
  constructor(private readonly connection: Connection, master: Buffer, private readonly collection = 'data_keys', private readonly checkEveryMs = KEY_CACHE_MS) {
    this.wrap = new KeyWrap(master);
  }

  private get docs() {
    return this.connection.collection<DataKeyDocument>(this.collection);
  }

  private get marks() {
    return this.connection.collection<ErasureMarkDocument>(`${this.collection}_erasures`);
  }

  async existingKey(subject: string): Promise<Buffer | null> {
    await this.checkErasures();
    const cached = this.cached(subject);
    if (cached !== undefined) return cached;
    const token = this.erasures?.token;
    const doc = await this.read(subject);
    return doc ? this.remember(subject, this.unwrapped(doc), token) : null;
  }

  async keyFor(subject: string): Promise<Buffer | null> {
    await this.checkErasures();
    const existing = this.cached(subject);
    if (existing !== undefined) return existing;
    const token = this.erasures?.token;
    const doc = await this.read(subject);
    if (doc) return this.remember(subject, this.unwrapped(doc), token);
    const key = randomBytes(32);
    try {
      await this.docs.insertOne({ _id: subject, wrapped: this.wrap.wrap(subject, key), createdAt: new Date() });
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      const winner = await this.docs.findOne({ _id: subject });
      return winner ? this.remember(subject, this.unwrapped(winner)) : null;
    }
    return this.remember(subject, key);
  }

  async erase(subject: string): Promise<void> {
    await this.docs.replaceOne({ _id: subject }, { createdAt: new Date(), erasedAt: new Date() }, { upsert: true });
    // after the tombstone: another process that sees the new token reads the tombstone
    await this.marks.replaceOne({ _id: 'latest' }, { token: randomBytes(12).toString('base64url'), at: new Date() }, { upsert: true });
    this.remember(subject, null);
  }

  /** Drops every cached key when an erasure happened since the last look (at most once per KEY_CACHE_MS). */
  private async checkErasures(): Promise<void> {
    if (this.erasures && Date.now() - this.erasures.checkedAt < this.checkEveryMs) return;
    this.checking ??= (async () => {
      const startedAt = Date.now();
      const token = (await this.marks.findOne({ _id: 'latest' }))?.token ?? null;
      if (this.erasures && this.erasures.token !== token) this.cache.clear();
      this.erasures = { token, checkedAt: startedAt };
    })().finally(() => (this.checking = undefined));
    await this.checking;
  }

  private read(subject: string): Promise<DataKeyDocument | null> {
    return sharedWhileRunning(this.reading, subject, () => this.docs.findOne({ _id: subject }));
  }

  /** The cached key (null: erased), or undefined when not cached. */
  private cached(subject: string): Buffer | null | undefined {
    return this.cache.get(subject)?.key;
  }

  private unwrapped(doc: DataKeyDocument): Buffer | null {
    return doc.wrapped ? this.wrap.unwrap(doc.wrapped) : null;
  }

  private remember(subject: string, key: Buffer | null, tokenWhenRead = this.erasures?.token): Buffer | null {
    if (tokenWhenRead !== this.erasures?.token) return key; // read before an erasure elsewhere was noticed: used once, not kept
    this.cache.set(subject, { key });
    return key;
  }
}

/** Data keys in memory (unit tests, the in-memory store). */
export class InMemoryDataKeys implements DataKeys {
  private readonly keys = new Map<string, Buffer | null>();

  async keyFor(subject: string): Promise<Buffer | null> {
    if (!this.keys.has(subject)) this.keys.set(subject, randomBytes(32));
    return this.keys.get(subject) ?? null;
  }

  async existingKey(subject: string): Promise<Buffer | null> {
    return this.keys.get(subject) ?? null;
  }

  async erase(subject: string): Promise<void> {
    this.keys.set(subject, null);
  }
}
