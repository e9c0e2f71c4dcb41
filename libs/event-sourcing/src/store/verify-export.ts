import { AuditExportBundle, AuditExportPart, ExportedAuditKey, ExportedEvent } from '@cbme/contracts';
import { AuditCheckpoint, AuditPublicKey, checkpointSignatureProblem, leafOf, merkleInclusionHolds } from './audit-checkpoints';
import { eventHash, GENESIS_HASH } from './event-hash';

/** The first problem found in an export, named precisely. */
export interface ExportProblem {
  service: string;
  streamId?: string;
  streamVersion?: number;
  position?: number;
  checkpoint?: string;
  what: string;
}

export interface ExportVerification {
  events: number;
  streams: number;
  checkpoints: number;
  /** events placed after their store's last signed checkpoint: checked by the chain, not yet by a signature */
  notYetCovered: number;
  problem?: ExportProblem;
}

/** pinned keys: one JWKS for every service, or one per service (`{ "identity": { "keys": [...] }, ... }`) */
export type PinnedKeys = { keys: ExportedAuditKey[] } | Record<string, { keys: ExportedAuditKey[] }>;

function keysFor(part: AuditExportPart, pinned?: PinnedKeys): readonly ExportedAuditKey[] {
  if (!pinned) return part.keys;
  if (Array.isArray((pinned as { keys?: unknown }).keys)) return (pinned as { keys: ExportedAuditKey[] }).keys;
  const own = Object.entries(pinned).find(([service]) => service === part.service)?.[1];
  return own?.keys ?? [];
}

/**
 * Checks a learner's export offline: every hash recomputed from the event's canonical JSON, each whole stream's chain
 * and versions from 1, each inclusion proof against its checkpoint's root, each checkpoint's signature under the keys
 * (the bundle's own, or pinned ones). Stops at the first problem.
 */
export function verifyExport(bundle: AuditExportBundle, pinned?: PinnedKeys): ExportVerification {
  const report: ExportVerification = { events: 0, streams: 0, checkpoints: 0, notYetCovered: 0 };
  if (bundle?.format !== 'cbme-audit-export/1' || !Array.isArray(bundle.parts)) {
    return { ...report, problem: { service: '-', what: 'not a cbme-audit-export/1 bundle' } };
  }
  for (const part of bundle.parts) {
    const problem = verifyPart(part, bundle, keysFor(part, pinned), report);
    if (problem) return { ...report, problem };
  }
  return report;
}

function verifyPart(part: AuditExportPart, bundle: AuditExportBundle, keys: readonly ExportedAuditKey[], report: ExportVerification): ExportProblem | undefined {
  const service = part.service;
  if (part.learnerId !== bundle.learnerId || part.schoolId !== bundle.schoolId) return { service, what: `the part is about ${part.schoolId}/${part.learnerId}, the bundle about ${bundle.schoolId}/${bundle.learnerId}` };
  const checkpoints = new Map<string, AuditCheckpoint>();
  for (const checkpoint of part.checkpoints) {
    const bad = checkpointSignatureProblem(checkpoint, keys as AuditPublicKey[]);
    if (bad) return { service, checkpoint: checkpoint._id, what: `checkpoint ${checkpoint._id}: bad signature (${bad})` };
    checkpoints.set(checkpoint._id, checkpoint);
  }
  report.checkpoints += checkpoints.size;
  const signedUpTo = Math.max(0, ...part.checkpoints.map((c) => c.to));
  for (const stream of part.streams) {
    let previous: ExportedEvent | undefined;
    for (const [i, exported] of stream.events.entries()) {
      const { event, position } = exported;
      const at = { service, streamId: stream.streamId, streamVersion: event?.streamVersion, position };
      if (!event || event.streamId !== stream.streamId) return { ...at, what: `an event of stream ${event?.streamId} is listed under ${stream.streamId}` };
      if (stream.whole) {
        const expected = i + 1;
        if (event.streamVersion > expected) {
          // the version due comes later in the list: reordered, not removed
          if (stream.events.slice(i + 1).some((later) => later.event?.streamVersion === expected)) return { ...at, what: `out of order: version ${event.streamVersion} where version ${expected} belongs` };
          return { ...at, streamVersion: expected, what: `version ${expected} missing (chain broken)` };
        }
        if (event.streamVersion < expected) return { ...at, what: `out of order: version ${event.streamVersion} comes after version ${previous?.event.streamVersion}` };
        if (previous && position !== 0 && previous.position > position) return { ...at, what: `out of order: position ${position} comes after position ${previous.position}` };
      } else if (previous && event.streamVersion <= previous.event.streamVersion) {
        return { ...at, what: `out of order: version ${event.streamVersion} comes after version ${previous.event.streamVersion}` };
      }
      // stored before hashing: allowed only before a stream's first hashed event; its leaf is its hash from genesis
      if (!event.hash && (!stream.whole || stream.events.slice(0, i).some((e) => e.event.hash))) return { ...at, what: 'the event has no hash (chain broken)' };
      // a whole stream chains along its events; an event given alone names the hash before it
      const before = stream.whole ? previous?.event.hash ?? GENESIS_HASH : exported.previousHash ?? GENESIS_HASH;
      if (event.hash && eventHash(before, event) !== event.hash) return { ...at, what: 'hash does not match its content' };
      const leaf = leafOf(event);
      const covering = part.checkpoints.find((c) => c.from <= position && position <= c.to);
      if (!exported.proof) {
        if (covering) return { ...at, what: `not in checkpoint ${covering._id} (no proof, though it covers position ${position})` };
        if (position !== 0 && position <= signedUpTo) return { ...at, what: `position ${position} is below the last checkpoint's end ${signedUpTo}, but no checkpoint is given for it` };
        report.notYetCovered++;
      } else {
        const checkpoint = checkpoints.get(exported.proof.checkpoint);
        if (!checkpoint) return { ...at, what: `not in checkpoint ${exported.proof.checkpoint} (the checkpoint is not in the export)` };
        if (position < checkpoint.from || position > checkpoint.to) return { ...at, checkpoint: checkpoint._id, what: `not in checkpoint ${checkpoint._id} (it covers positions ${checkpoint.from}-${checkpoint.to})` };
        if (!merkleInclusionHolds(leaf, exported.proof.leafIndex, checkpoint.events, exported.proof.auditPath, checkpoint.root)) {
          return { ...at, checkpoint: checkpoint._id, what: `not in checkpoint ${checkpoint._id} (the inclusion proof does not lead to its root)` };
        }
      }
      report.events++;
      previous = exported;
    }
    report.streams++;
  }
  return undefined;
}

/** How the CLI names a problem: where, then what. */
export function describeExportProblem(problem: ExportProblem): string {
  const where = [
    problem.service,
    problem.streamId && `stream ${problem.streamId}`,
    problem.streamVersion !== undefined && `version ${problem.streamVersion}`,
    problem.position !== undefined && `position ${problem.position}`,
  ].filter(Boolean).join(', ');
  return `${where}: ${problem.what}`;
}
