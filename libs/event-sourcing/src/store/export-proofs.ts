import { ExportedEvent } from '@cbme/contracts';
import { AuditCheckpoint, leafOf, merkleAuditPath, merkleRoot } from './audit-checkpoints';
import { HashedEnvelope } from './event-hash';

/** A checkpoint's leaves in position order, and where each position's leaves start. */
export interface CheckpointLeaves {
  leaves: string[];
  firstLeaf: Map<number, number>;
}

/** The leaves of a checkpoint from the raw events of its positions (as stored), in position order. */
export function checkpointLeaves(positions: { position: number; events: HashedEnvelope[] }[]): CheckpointLeaves {
  const leaves: string[] = [];
  const firstLeaf = new Map<number, number>();
  for (const { position, events } of [...positions].sort((a, b) => a.position - b.position)) {
    firstLeaf.set(position, leaves.length);
    leaves.push(...events.map(leafOf));
  }
  return { leaves, firstLeaf };
}

/**
 * Adds to each event (as stored, at its position, `indexInCommit` among its commit's events) the RFC 6962 inclusion
 * proof in the checkpoint covering its position, or null past the last checkpoint. `leavesOf` gives a checkpoint's
 * leaves (read once per checkpoint).
 */
export async function proveInclusion(
  events: { position: number; indexInCommit: number; event: HashedEnvelope; previousHash?: string }[],
  checkpoints: readonly AuditCheckpoint[],
  leavesOf: (checkpoint: AuditCheckpoint) => Promise<CheckpointLeaves>,
): Promise<ExportedEvent[]> {
  const memos = new Map<string, { leaves: CheckpointLeaves; memo: Map<string, Buffer> }>();
  const proven: ExportedEvent[] = [];
  for (const { position, indexInCommit, event, previousHash } of events) {
    const checkpoint = position > 0 ? checkpoints.find((c) => c.from <= position && position <= c.to) : undefined;
    let proof: ExportedEvent['proof'] = null;
    if (checkpoint) {
      let known = memos.get(checkpoint._id);
      if (!known) {
        known = { leaves: await leavesOf(checkpoint), memo: new Map() };
        memos.set(checkpoint._id, known);
      }
      const first = known.leaves.firstLeaf.get(position);
      if (first === undefined) throw new Error(`checkpoint ${checkpoint._id} has no leaves for position ${position}`);
      const leafIndex = first + indexInCommit;
      proof = { checkpoint: checkpoint._id, leafIndex, auditPath: merkleAuditPath(known.leaves.leaves, leafIndex, known.memo) };
    }
    proven.push({ position, ...(previousHash ? { previousHash } : {}), event, proof });
  }
  return proven;
}

/** Whether leaves read for a checkpoint are the ones it signed (a store changed since shows here first). */
export const leavesMatch = (checkpoint: AuditCheckpoint, leaves: CheckpointLeaves) => leaves.leaves.length === checkpoint.events && merkleRoot(leaves.leaves) === checkpoint.root;
