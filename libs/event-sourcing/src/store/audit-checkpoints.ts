import { ExportedCheckpoint } from '@cbme/contracts';
import { Connection } from 'mongoose';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, JsonWebKey, KeyObject, randomUUID, sign, verify } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson, eventHash, HashedEnvelope } from './event-hash';
import { EventStore } from './event-store';

/** A published audit key, as a JWK (RFC 8037: OKP / Ed25519). */
export interface AuditPublicKey extends JsonWebKey {
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

/**
 * A store's signed checkpoint: the Merkle root over the hashes of the events at positions [from, to], in position order
 * (each commit's events in their order), signed with the audit key `kid`. `_id` is its sequence number (1, 2, ...):
 * the next one starts at `to + 1`. Its shape is in the contracts, since exports carry it (ExportedCheckpoint).
 */
export type AuditCheckpoint = ExportedCheckpoint;

interface KeyFile {
  keys: { kid: string; privateKey: string; createdAt: string }[];
}

/** The service's audit keys: the newest signs, older ones stay published so older checkpoints still verify. */
export class AuditKeyRing {
  private constructor(private readonly keys: { kid: string; privateKey: KeyObject; publicKey: KeyObject }[], private readonly file?: string) {}

  /** Reads the key file (in the service's data directory, never in git), creating it with a first key if absent. */
  static fromFile(file: string): AuditKeyRing {
    if (!existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify({ keys: [] }), { mode: 0o600 });
      return new AuditKeyRing([], file).rotate();
    }
    const { keys } = JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
    return new AuditKeyRing(keys.map((k) => {
      const privateKey = createPrivateKey(k.privateKey);
      return { kid: k.kid, privateKey, publicKey: createPublicKey(privateKey) };
    }), file);
  }

  /** One key given by configuration (a PKCS#8 PEM), for services that keep it in a secret store. */
  static fromPem(kid: string, pem: string): AuditKeyRing {
    const privateKey = createPrivateKey(pem);
    return new AuditKeyRing([{ kid, privateKey, publicKey: createPublicKey(privateKey) }]);
  }

  /** Adds a new signing key; the old ones stay listed. */
  rotate(): AuditKeyRing {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    this.keys.push({ kid: `audit-${new Date().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`, privateKey, publicKey });
    if (this.file) {
      const data: KeyFile = { keys: this.keys.map((k) => ({ kid: k.kid, privateKey: k.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), createdAt: new Date().toISOString() })) };
      writeFileSync(this.file, JSON.stringify(data, null, 2), { mode: 0o600 });
    }
    return this;
  }

  /** Like a JWKS: what `GET /.well-known/audit-keys` publishes. */
  publicKeys(): { keys: AuditPublicKey[] } {
    return { keys: this.keys.map((k) => ({ ...k.publicKey.export({ format: 'jwk' }), kid: k.kid, alg: 'EdDSA', use: 'sig' })) };
  }

  /** The key that signs now (the newest). */
  get kid(): string {
    return this.signing().kid;
  }

  sign(message: string): string {
    return sign(null, Buffer.from(message, 'utf8'), this.signing().privateKey).toString('base64url');
  }

  private signing() {
    const key = this.keys.at(-1);
    if (!key) throw new Error('no audit key');
    return key;
  }
}

const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

/** RFC 6962's Merkle tree hash over hex leaves: leaf = SHA-256(0x00 ‖ leaf), node = SHA-256(0x01 ‖ left ‖ right). */
export function merkleRoot(leaves: readonly string[]): string {
  const tree = (from: number, to: number): Buffer => {
    if (to - from === 1) return sha256(Buffer.from([0]), Buffer.from(leaves[from], 'hex'));
    let split = 1;
    while (split * 2 < to - from) split *= 2;
    return sha256(Buffer.from([1]), tree(from, from + split), tree(from + split, to));
  };
  return leaves.length === 0 ? sha256().toString('hex') : tree(0, leaves.length).toString('hex');
}

/**
 * RFC 6962 (2.1.1) audit path of leaf `index`: the sibling subtree hashes from the leaf up to the root. `memo` keeps
 * subtree hashes between calls over the same leaves (an export proves many events of one checkpoint).
 */
export function merkleAuditPath(leaves: readonly string[], index: number, memo = new Map<string, Buffer>()): string[] {
  const tree = (from: number, to: number): Buffer => {
    const key = `${from}:${to}`;
    let hash = memo.get(key);
    if (!hash) {
      if (to - from === 1) hash = sha256(Buffer.from([0]), Buffer.from(leaves[from], 'hex'));
      else {
        const split = from + largestPowerOfTwoBelow(to - from);
        hash = sha256(Buffer.from([1]), tree(from, split), tree(split, to));
      }
      memo.set(key, hash);
    }
    return hash;
  };
  const path = (m: number, from: number, to: number): Buffer[] => {
    if (to - from <= 1) return [];
    const split = from + largestPowerOfTwoBelow(to - from);
    return m < split ? [...path(m, from, split), tree(split, to)] : [...path(m, split, to), tree(from, split)];
  };
  if (index < 0 || index >= leaves.length) throw new Error(`leaf ${index} is not among ${leaves.length}`);
  return path(index, 0, leaves.length).map((h) => h.toString('hex'));
}

/** RFC 9162 (2.1.3.2): whether `auditPath` proves `leaf` at `index` in a tree of `size` leaves with root `root`. */
export function merkleInclusionHolds(leaf: string, index: number, size: number, auditPath: readonly string[], root: string): boolean {
  if (!Number.isInteger(index) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = sha256(Buffer.from([0]), Buffer.from(leaf, 'hex'));
  for (const p of auditPath) {
    if (sn === 0) return false;
    const sibling = Buffer.from(p, 'hex');
    if (fn % 2 === 1 || fn === sn) {
      r = sha256(Buffer.from([1]), sibling, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = sha256(Buffer.from([1]), r, sibling);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && r.toString('hex') === root;
}

const largestPowerOfTwoBelow = (n: number) => {
  let split = 1;
  while (split * 2 < n) split *= 2;
  return split;
};

/** An event's leaf: its hash, or for an event stored before hashing, the hash of its canonical JSON from genesis. */
export const leafOf = (event: HashedEnvelope) => event.hash ?? eventHash(undefined, event);

/** The message a checkpoint's signature covers. */
export const signedPart = ({ _id: _seq, signature: _sig, ...rest }: AuditCheckpoint) => canonicalJson(rest);

/** Checks a checkpoint's signature against published keys; says what is wrong, or undefined. */
export function checkpointSignatureProblem(checkpoint: AuditCheckpoint, keys: readonly AuditPublicKey[]): string | undefined {
  const key = keys.find((k) => k.kid === checkpoint.kid);
  if (!key) return `signed with the unknown key ${checkpoint.kid}`;
  const publicKey = createPublicKey({ key, format: 'jwk' });
  const ok = checkpoint.alg === 'EdDSA' && verify(null, Buffer.from(signedPart(checkpoint), 'utf8'), publicKey, Buffer.from(checkpoint.signature, 'base64url'));
  return ok ? undefined : 'the signature does not match';
}

/** The checkpoints of a store, in sequence: `_id` 1, 2, ... (lookups by `_id` only, as the store does). */
export async function readCheckpoints(connection: Connection, collection: string, after = 0): Promise<AuditCheckpoint[]> {
  const checkpoints = connection.collection<AuditCheckpoint>(`${collection}_checkpoints`);
  const found: AuditCheckpoint[] = [];
  for (let seq = after + 1; ; seq++) {
    const doc = await checkpoints.findOne({ _id: String(seq) });
    if (!doc) return found;
    found.push(doc);
  }
}

export interface CheckpointWriterOptions {
  collection: string;
  /** the store itself: its recent positions are in memory (the relay and projections just read them) */
  store: EventStore;
  keys: AuditKeyRing;
  /** sign once this many positions are unsigned ... */
  everyPositions?: number;
  /** ... or this long after the last checkpoint */
  everyMs?: number;
}

/** commits read at once (from the store's memory when recent) */
const READ_AHEAD = 200;

/** Signs checkpoints of one store now and then (see signDue); one writer per store at a time (an `_id` clash loses). */
export class AuditCheckpointWriter {
  private last?: AuditCheckpoint | null;
  private unsignedSince?: number;

  constructor(private readonly connection: Connection, private readonly options: CheckpointWriterOptions) {}

  /** Signs [last checkpoint's end + 1, head] when enough positions or time have passed; returns the new checkpoint. */
  async signDue(head: number, now = Date.now()): Promise<AuditCheckpoint | null> {
    if (this.last === undefined) this.last = (await readCheckpoints(this.connection, this.options.collection)).at(-1) ?? null;
    const from = (this.last?.to ?? 0) + 1;
    if (head < from) return null;
    // time runs from the last checkpoint, or for the first from when unsigned positions were first seen here
    const since = this.last ? Date.parse(this.last.signedAt) : (this.unsignedSince ??= now);
    const due = head - from + 1 >= (this.options.everyPositions ?? 1_000) || now - since >= (this.options.everyMs ?? 60_000);
    if (!due) return null;
    const positions = this.connection.collection<{ _id: string; events: HashedEnvelope[] }>(`${this.options.collection}_positions`);
    const leaves: string[] = [];
    for (let start = from; start <= head; start += READ_AHEAD) {
      for (const commit of await this.options.store.readCommitsAfter(start - 1, Math.min(READ_AHEAD, head - start + 1))) {
        if (commit.events.every((e) => e.hash)) {
          leaves.push(...commit.events.map((e) => e.hash as string));
          continue;
        }
        // stored before hashing: its leaf is the hash of the event as stored, not as read (reads upcast it)
        const doc = await positions.findOne({ _id: String(commit.position) });
        if (!doc) throw new Error(`position ${commit.position} is missing below ${head}`);
        leaves.push(...doc.events.map(leafOf));
      }
    }
    const unsigned = { store: this.options.collection, from, to: head, events: leaves.length, root: merkleRoot(leaves), alg: 'EdDSA' as const, signedAt: new Date(now).toISOString() };
    const checkpoint: AuditCheckpoint = { _id: String(Number(this.last?._id ?? 0) + 1), ...unsigned, kid: this.options.keys.kid, signature: '' };
    checkpoint.signature = this.options.keys.sign(signedPart(checkpoint));
    try {
      await this.connection.collection<AuditCheckpoint>(`${this.options.collection}_checkpoints`).insertOne(checkpoint);
    } catch (error) {
      // another process signed this sequence number first: read where the checkpoints stand next time
      if ((error as { code?: number }).code !== 11000) throw error;
      this.last = undefined;
      return null;
    }
    this.last = checkpoint;
    this.unsignedSince = undefined;
    return checkpoint;
  }
}
