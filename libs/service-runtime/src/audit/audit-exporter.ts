import { AuditExportEvents, AuditExportPart, auditExportStreamId, ExportedStream } from '@cbme/contracts';
import {
  AuditCheckpoint, AuditKeyRing, CheckpointLeaves, checkpointLeaves, EventStore, HashedEnvelope, leavesMatch, proveInclusion, readCheckpoints, StoredEvent,
} from '@cbme/event-sourcing';
import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { ResolvedConfig, SERVICE_CONFIG } from '../config/service-config';
import { AUDIT_KEYS, EVENT_STORE } from '../event-sourcing/tokens';
import { RequestContext } from '../http/request-context';
import { LearnerStreamSet } from './learner-streams';

const COLLECTION = 'events';
const PARALLEL_READS = 16;

interface RawPosition {
  _id: string;
  commitId: string;
  streamId: string;
  events: HashedEnvelope[];
}

interface RawCommit {
  _id: string;
  from: number;
  to: number;
  events: HashedEnvelope[];
}

/** A checkpoint's leaves as saved: each position's number of events from `from` on, and the leaves in order. */
interface SavedLeaves {
  _id: string;
  from: number;
  counts: number[];
  leaves: string[];
}

type Located = { position: number; indexInCommit: number; event: HashedEnvelope; previousHash?: string };

/**
 * Assembles this service's part of a learner's verifiable export from its own store, as stored (never upcast: the
 * hashes are over the stored form), and records the export. Checkpoints and their leaves never change once signed,
 * so they are kept in memory: a second export reads only the learner's positions.
 */
@Injectable()
export class AuditExporter {
  private checkpoints: AuditCheckpoint[] = [];
  private readonly leaves = new Map<string, CheckpointLeaves>();

  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AUDIT_KEYS) private readonly keys: AuditKeyRing,
    @Inject(SERVICE_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  async export(caller: RequestContext, learnerId: string, streams: LearnerStreamSet): Promise<AuditExportPart> {
    const exportedAt = new Date().toISOString();
    const recordStream = auditExportStreamId(caller.schoolId, learnerId);
    const whole = [...new Set([...streams.whole, recordStream])];
    const located: { streamId: string; whole: boolean; events: Located[] }[] = [];
    for (const streamId of whole) {
      const events = await this.store.readStream(streamId);
      if (events.length) located.push({ streamId, whole: true, events: await this.asStored(streamId, events) });
    }
    for (const { streamId, versions } of streams.shared) {
      const events = await this.store.readStream(streamId);
      const wanted = new Set(versions);
      const mine = events.filter((e) => wanted.has(e.streamVersion));
      if (!mine.length) continue;
      const raw = await this.asStored(streamId, mine);
      // given alone, each names the hash it chains from
      const previousOf = new Map(events.map((e) => [e.streamVersion + 1, e.hash]));
      located.push({ streamId, whole: false, events: raw.map((r) => ({ ...r, previousHash: previousOf.get(r.event.streamVersion) })) });
    }
    const checkpoints = await this.signedCheckpoints();
    const exported: ExportedStream[] = [];
    for (const stream of located) {
      exported.push({ streamId: stream.streamId, whole: stream.whole, events: await proveInclusion(stream.events, checkpoints, (c) => this.leavesOf(c)) });
    }
    const used = new Set(exported.flatMap((s) => s.events.flatMap((e) => (e.proof ? [e.proof.checkpoint] : []))));
    const count = exported.reduce((n, s) => n + s.events.length, 0);
    const part: AuditExportPart = {
      format: 'cbme-audit-export-part/1', service: this.config.service, store: COLLECTION, schoolId: caller.schoolId, learnerId, exportedAt,
      streams: exported,
      checkpoints: checkpoints.filter((c) => used.has(c._id)),
      notYetCovered: exported.reduce((n, s) => n + s.events.filter((e) => !e.proof).length, 0),
      keys: this.keys.publicKeys().keys,
    };
    // a store that holds nothing about the learner gave nothing, so it has nothing to record (an unknown id included)
    const given = exported.filter((s) => s.streamId !== recordStream);
    if (given.length) await this.record(caller, learnerId, recordStream, { learnerId, events: count, streams: exported.length });
    return part;
  }

  /** The export is itself an event of the learner's export stream in this store (never published). */
  private async record(caller: RequestContext, learnerId: string, streamId: string, data: { learnerId: string; events: number; streams: number }) {
    const { type, schemaVersion } = AuditExportEvents.RecordExported;
    await this.store.append(streamId, 'any', [{
      eventId: randomUUID(), type, schemaVersion,
      tenant: { institutionId: caller.institutionId, schoolId: caller.schoolId },
      actor: { userId: caller.userId, role: caller.role },
      correlationId: caller.correlationId, causationId: null, data,
    }]);
  }

  /** The stored form of a stream's events (read from the position copies; a commit not yet placed from itself). */
  private async asStored(streamId: string, events: StoredEvent[]): Promise<Located[]> {
    const located: Located[] = [];
    for (let i = 0; i < events.length; i += PARALLEL_READS) {
      located.push(...(await Promise.all(events.slice(i, i + PARALLEL_READS).map(async (read) => {
        const stored = read.position > 0 ? (await this.positionDoc(read.position))?.events : await this.unplacedCommit(streamId, read.streamVersion);
        const indexInCommit = stored?.findIndex((e) => e.streamId === streamId && e.streamVersion === read.streamVersion) ?? -1;
        if (!stored || indexInCommit < 0) throw new Error(`${streamId} version ${read.streamVersion} is missing at position ${read.position}`);
        return { position: read.position, indexInCommit, event: stored[indexInCommit] };
      }))));
    }
    return located;
  }

  private positionDoc(position: number) {
    return this.connection.collection<RawPosition>(`${COLLECTION}_positions`).findOne({ _id: String(position) });
  }

  /** A commit its writer left without a position starts at or before the version (commits are `<stream>#<from>`). */
  private async unplacedCommit(streamId: string, version: number): Promise<HashedEnvelope[] | undefined> {
    const commits = this.connection.collection<RawCommit>(COLLECTION);
    for (let from = version; from >= 1; from--) {
      const commit = await commits.findOne({ _id: `${streamId}#${from}` });
      if (commit) return commit.to >= version ? commit.events : undefined;
    }
    return undefined;
  }

  private async signedCheckpoints(): Promise<AuditCheckpoint[]> {
    const newer = await readCheckpoints(this.connection, COLLECTION, Number(this.checkpoints.at(-1)?._id ?? 0));
    this.checkpoints = [...this.checkpoints, ...newer];
    return this.checkpoints;
  }

  private async leavesOf(checkpoint: AuditCheckpoint): Promise<CheckpointLeaves> {
    const known = this.leaves.get(checkpoint._id) ?? (await this.savedLeaves(checkpoint));
    if (known) {
      this.leaves.set(checkpoint._id, known);
      return known;
    }
    const positions: { position: number; events: HashedEnvelope[] }[] = [];
    for (let start = checkpoint.from; start <= checkpoint.to; start += PARALLEL_READS) {
      const batch = Array.from({ length: Math.min(PARALLEL_READS, checkpoint.to - start + 1) }, (_, i) => start + i);
      positions.push(...(await Promise.all(batch.map(async (position) => ({ position, events: (await this.positionDoc(position))?.events ?? [] })))));
    }
    const leaves = checkpointLeaves(positions);
    // leaves that no longer match the signed root (a changed store) are not kept: the verifier will say where
    if (leavesMatch(checkpoint, leaves)) {
      this.leaves.set(checkpoint._id, leaves);
      const counts = positions.map((p) => p.events.length);
      // only a cache: when another export saved them first, or they cannot be saved, the positions are read again
      await this.savedLeavesCollection().insertOne({ _id: checkpoint._id, from: checkpoint.from, counts, leaves: leaves.leaves }).catch(() => undefined);
    }
    return leaves;
  }

  /** Leaves saved by an earlier export, if they still give the checkpoint's signed root. */
  private async savedLeaves(checkpoint: AuditCheckpoint): Promise<CheckpointLeaves | undefined> {
    const saved = await this.savedLeavesCollection().findOne({ _id: checkpoint._id });
    if (!saved || saved.from !== checkpoint.from || saved.counts.length !== checkpoint.to - checkpoint.from + 1) return undefined;
    const firstLeaf = new Map<number, number>();
    saved.counts.reduce((first, count, i) => (firstLeaf.set(checkpoint.from + i, first), first + count), 0);
    const leaves = { leaves: saved.leaves, firstLeaf };
    return leavesMatch(checkpoint, leaves) ? leaves : undefined;
  }

  private savedLeavesCollection() {
    return this.connection.collection<SavedLeaves>(`${COLLECTION}_checkpoint_leaves`);
  }
}
