import { IsInt, IsString, Min } from 'class-validator';
import { defineEvent } from '../catalog';
import { EventEnvelope } from '../envelope';

/**
 * A service recorded that it exported a learner's events (stream `audit-export-<school>-<learner>` in its own store;
 * never published). Who and in which role are the envelope's actor, when its recordedAt.
 */
export class RecordExported {
  @IsString() learnerId: string;
  @IsInt() @Min(0) events: number;
  @IsInt() @Min(0) streams: number;
}

/** One type for every service: the record of an export stays in the store that answered it. */
export const AuditExportEvents = {
  RecordExported: defineEvent('audit.record-exported', RecordExported),
};
export const auditExportStreamId = (schoolId: string, learnerId: string) => `audit-export-${schoolId}-${learnerId}`;

/** An Ed25519 public key as published at `/.well-known/audit-keys` (a JWK). */
export interface ExportedAuditKey {
  kty?: string;
  crv?: string;
  x?: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

/** A store's signed checkpoint as stored (`<store>_checkpoints`, see docs/tamper-evidence.md). */
export interface ExportedCheckpoint {
  _id: string;
  store: string;
  from: number;
  to: number;
  events: number;
  root: string;
  kid: string;
  alg: 'EdDSA';
  signedAt: string;
  /** base64url Ed25519 signature over the canonical JSON of every other field but `_id` */
  signature: string;
}

/** An event as stored (with its hash), where it is, and the proof that its checkpoint holds it. */
export interface ExportedEvent {
  position: number;
  /** for an event of a shared stream (given alone): the hash of the event before it in its stream */
  previousHash?: string;
  event: EventEnvelope & { hash?: string };
  /** RFC 6962 inclusion proof in checkpoint `checkpoint`; null when no checkpoint covers the position yet */
  proof: { checkpoint: string; leafIndex: number; auditPath: string[] } | null;
}

export interface ExportedStream {
  streamId: string;
  /** true: every event of the stream from version 1; false: only the learner's events of a stream shared by several */
  whole: boolean;
  events: ExportedEvent[];
}

/** One service's part of a learner's export (`GET /learners/:learnerId/audit-export`). */
export interface AuditExportPart {
  format: 'cbme-audit-export-part/1';
  service: string;
  store: string;
  schoolId: string;
  learnerId: string;
  exportedAt: string;
  streams: ExportedStream[];
  checkpoints: ExportedCheckpoint[];
  /** events after the last signed checkpoint: the chain protects them until the next checkpoint */
  notYetCovered: number;
  keys: ExportedAuditKey[];
}

/** A learner's verifiable export: every service's part (checked offline by `npm run verify-export`). */
export interface AuditExportBundle {
  format: 'cbme-audit-export/1';
  schoolId: string;
  learnerId: string;
  exportedAt: string;
  parts: AuditExportPart[];
}

/** Joins the services' parts of one learner's export into the bundle. */
export function joinExportParts(parts: AuditExportPart[], exportedAt = new Date().toISOString()): AuditExportBundle {
  const [first] = parts;
  if (!first) throw new Error('an export needs at least one part');
  const other = parts.find((p) => p.learnerId !== first.learnerId || p.schoolId !== first.schoolId);
  if (other) throw new Error(`the ${other.service} part is about ${other.schoolId}/${other.learnerId}, not ${first.schoolId}/${first.learnerId}`);
  return { format: 'cbme-audit-export/1', schoolId: first.schoolId, learnerId: first.learnerId, exportedAt, parts };
}
