import { Connection } from 'mongoose';
import { AuditPublicKey, checkpointSignatureProblem, leafOf, merkleRoot, readCheckpoints } from './audit-checkpoints';
import { canonicalJson, eventHash, HashedEnvelope } from './event-hash';

/** Where verification found the first broken link, and how. */
export interface BrokenLink {
  position: number;
  streamId?: string;
  streamVersion?: number;
  problem: string;
}

export interface VerificationReport {
  /** events found intact (before the break, if any), hashed or not */
  events: number;
  /** events stored before hashing: each stream's chain starts at its first hashed event */
  unhashed: number;
  checkpoints: number;
  /** the last position a checkpoint covers (0: none) */
  signedUpTo: number;
  broken?: BrokenLink;
}

export interface VerifyOptions {
  /** `events` (the service's own store, chained per stream) or `inbox` (copies, each hashed on its own) */
  collection: string;
  /** whether the store's events chain along their streams; by default all but the inbox */
  chained?: boolean;
  /** the service's published audit keys; without them checkpoint roots are checked but not their signatures */
  keys?: readonly AuditPublicKey[];
}

interface RawCommit {
  _id: string;
  streamId: string;
  from: number;
  to: number;
  events: HashedEnvelope[];
}

interface RawPosition {
  _id: string;
  commitId: string;
  streamId: string;
  events: HashedEnvelope[];
}

const PARALLEL_READS = 16;

/**
 * Walks a store in global order, as stored (no upcast), and stops at the first broken link. Per position: the position
 * exists (no gap below the head), its commit exists, and each event's hash matches both copies (the commit document and
 * its position copy, so changing either is found, and which one is said). In a chained store each stream's versions go
 * on without gaps or reordering, and each hash chains from the one before it in the stream.
 */
export async function verifyEventStore(connection: Connection, options: VerifyOptions): Promise<VerificationReport> {
  const chained = options.chained ?? options.collection !== 'inbox';
  const commits = connection.collection<RawCommit>(options.collection);
  const positions = connection.collection<RawPosition>(`${options.collection}_positions`);
  // one pass over the ids only (a verifier reads everything anyway), so a removed position below the head shows
  const ids = (await positions.find({}, { projection: { _id: 1 } }).toArray()).map((doc) => Number(doc._id)).sort((a, b) => a - b);
  const report: VerificationReport = { events: 0, unhashed: 0, checkpoints: 0, signedUpTo: 0 };
  /** each position's Merkle leaves, for the checkpoints */
  const leaves: string[][] = [[]];
  const head = ids.at(-1) ?? 0;
  const present = new Set(ids);
  const streams = new Map<string, { version: number; hash?: string }>();
  for (let start = 1; start <= head; start += PARALLEL_READS) {
    const batch = Array.from({ length: Math.min(PARALLEL_READS, head - start + 1) }, (_, i) => start + i);
    const docs = await Promise.all(batch.map(async (position) => {
      if (!present.has(position)) return { position, placed: null, commit: null };
      const placed = await positions.findOne({ _id: String(position) });
      return { position, placed, commit: placed ? await commits.findOne({ _id: placed.commitId }) : null };
    }));
    for (const { position, placed, commit } of docs) {
      if (!placed) return { ...report, broken: { position, problem: `position ${position} is missing below the head ${head}` } };
      if (!commit) return { ...report, broken: { position, streamId: placed.streamId, problem: `commit ${placed.commitId} is missing` } };
      const broken = checkCommit(position, placed, commit, chained, streams, report);
      if (broken) return { ...report, broken };
      leaves[position] = commit.events.map(leafOf);
    }
  }
  return { ...report, ...(await checkCheckpoints(connection, options, leaves, head)) };
}

/** Each checkpoint follows on from the one before, its root is the Merkle root of its range, its signature holds. */
async function checkCheckpoints(connection: Connection, options: VerifyOptions, leaves: string[][], head: number) {
  let signedUpTo = 0;
  let checkpoints = 0;
  for (const checkpoint of await readCheckpoints(connection, options.collection)) {
    const at = { position: checkpoint.from, problem: `checkpoint ${checkpoint._id} [${checkpoint.from}, ${checkpoint.to}]: ` };
    const fail = (problem: string) => ({ checkpoints, signedUpTo, broken: { ...at, problem: at.problem + problem } });
    if (checkpoint.from !== signedUpTo + 1 || checkpoint.to < checkpoint.from) return fail(`does not follow on from position ${signedUpTo}`);
    if (checkpoint.to > head) return fail(`covers positions beyond the head ${head}`);
    if (merkleRoot(leaves.slice(checkpoint.from, checkpoint.to + 1).flat()) !== checkpoint.root) {
      return fail('the events of its range do not give its Merkle root (an event there changed, moved or was removed, hashes included)');
    }
    const wrongSignature = options.keys && checkpointSignatureProblem(checkpoint, options.keys);
    if (wrongSignature) return fail(wrongSignature);
    checkpoints++;
    signedUpTo = checkpoint.to;
  }
  return { checkpoints, signedUpTo };
}

function checkCommit(
  position: number, placed: RawPosition, commit: RawCommit, chained: boolean,
  streams: Map<string, { version: number; hash?: string }>, report: VerificationReport,
): BrokenLink | undefined {
  const count = Math.max(placed.events.length, commit.events.length, commit.to - commit.from + 1);
  for (let i = 0; i < count; i++) {
    const inPosition = placed.events[i];
    const inCommit = commit.events[i];
    const event = inCommit ?? inPosition;
    const at = { position, streamId: commit.streamId, streamVersion: event?.streamVersion ?? commit.from + i };
    if (!inPosition || !inCommit) return { ...at, problem: `event ${i + 1} of commit ${commit._id} is missing from the ${inCommit ? 'position copy' : 'commit'}` };
    const stream = streams.get(commit.streamId);
    const expected = chained ? (stream?.version ?? 0) + 1 : event.streamVersion;
    if (inCommit.streamVersion !== expected || inCommit.streamId !== commit.streamId) {
      return { ...at, problem: `found version ${inCommit.streamVersion} of ${inCommit.streamId} where version ${expected} of ${commit.streamId} belongs (an event removed or moved)` };
    }
    if (inCommit.hash === undefined && inPosition.hash === undefined && stream?.hash === undefined) {
      // stored before hashing: the copies must still agree
      if (canonicalJson(inCommit) !== canonicalJson(inPosition)) return { ...at, problem: 'the position copy differs from the commit (unhashed event)' };
      report.events++;
      report.unhashed++;
      streams.set(commit.streamId, { version: inCommit.streamVersion });
      continue;
    }
    const previous = chained ? stream?.hash : undefined;
    const changed = [inCommit, inPosition].map((copy) => copy.hash === undefined || eventHash(previous, copy) !== copy.hash);
    if (changed[0] || changed[1]) {
      const where = changed[0] && changed[1] ? 'both the commit and its position copy' : changed[0] ? 'the commit' : 'the position copy';
      return { ...at, problem: `${where}: the event does not match its hash (its content or its place in the chain changed)` };
    }
    if (inCommit.hash !== inPosition.hash) return { ...at, problem: 'the commit and its position copy hold different events' };
    report.events++;
    streams.set(commit.streamId, { version: inCommit.streamVersion, hash: inCommit.hash });
  }
  return undefined;
}

/** One line for a person: the first broken link, or what was verified. */
export function describeVerification(report: VerificationReport): string {
  const { broken } = report;
  if (broken) {
    const event = broken.streamId ? `stream ${broken.streamId}${broken.streamVersion ? ` version ${broken.streamVersion}` : ''}, ` : '';
    return `broken: ${event}position ${broken.position}: ${broken.problem}`;
  }
  const notes = [report.unhashed ? `${report.unhashed} stored before hashing` : '', report.checkpoints ? `signed up to position ${report.signedUpTo}` : ''].filter(Boolean);
  return `verified: ${report.events} events, ${report.checkpoints} checkpoints${notes.length ? ` (${notes.join('; ')})` : ''}`;
}
