import { AuditExportBundle, AuditExportPart, EventEnvelope, joinExportParts } from '@cbme/contracts';
import { generateKeyPairSync } from 'node:crypto';
import { AuditCheckpoint, AuditKeyRing, merkleAuditPath, merkleInclusionHolds, merkleRoot, signedPart } from './audit-checkpoints';
import { chainEvents, HashedEnvelope } from './event-hash';
import { checkpointLeaves, proveInclusion } from './export-proofs';
import { describeExportProblem, verifyExport } from './verify-export';

const pem = () => generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

const envelope = (streamId: string, streamVersion: number, data: object): EventEnvelope => ({
  envelopeVersion: 2, eventId: `${streamId}-${streamVersion}`, type: 'feedback.entry-added', schemaVersion: 1, streamId, streamVersion,
  occurredAt: '2026-12-01T10:00:00.000Z', recordedAt: '2026-12-01T10:00:00.000Z', tenant: { institutionId: 'demo', schoolId: 'medicine' },
  actor: { userId: 'ada', role: 'learner' }, correlationId: 'c', causationId: null, data,
});

/**
 * A little store: positions 1-7, one commit each except position 3 (two events of stream A); a shared stream S with
 * one event of ada and one of bob; checkpoints over 1-4 and 5-6; position 7 not yet signed.
 */
function store() {
  const [a1, a2, a3, a4] = chainEvents([1, 2, 3, 4].map((v) => envelope('A', v, { learnerId: 'ada', text: `a${v}` })), undefined);
  const [s1, s2] = chainEvents([envelope('S', 1, { learnerId: 'bob' }), envelope('S', 2, { learnerId: 'ada' })], undefined);
  const [b1, b2] = chainEvents([envelope('B', 1, { learnerId: 'ada' }), envelope('B', 2, { learnerId: 'ada' })], undefined);
  const positions: { position: number; events: HashedEnvelope[] }[] = [
    { position: 1, events: [a1] }, { position: 2, events: [s1] }, { position: 3, events: [a2, a3] }, { position: 4, events: [b1] },
    { position: 5, events: [s2] }, { position: 6, events: [a4] }, { position: 7, events: [b2] },
  ];
  return { positions, a: [a1, a2, a3, a4], b: [b1, b2], s: [s1, s2] };
}

async function part(keys: AuditKeyRing, tamper?: (p: AuditExportPart) => void): Promise<AuditExportBundle> {
  const { positions, a, b, s } = store();
  const checkpoint = (id: string, from: number, to: number): AuditCheckpoint => {
    const leaves = checkpointLeaves(positions.filter((p) => p.position >= from && p.position <= to)).leaves;
    const c: AuditCheckpoint = { _id: id, store: 'events', from, to, events: leaves.length, root: merkleRoot(leaves), kid: keys.kid, alg: 'EdDSA', signedAt: '2026-12-01T11:00:00.000Z', signature: '' };
    c.signature = keys.sign(signedPart(c));
    return c;
  };
  const checkpoints = [checkpoint('1', 1, 4), checkpoint('2', 5, 6)];
  const leavesOf = async (c: AuditCheckpoint) => checkpointLeaves(positions.filter((p) => p.position >= c.from && p.position <= c.to));
  const at = (event: HashedEnvelope) => {
    const place = positions.find((p) => p.events.includes(event))!;
    return { position: place.position, indexInCommit: place.events.indexOf(event), event };
  };
  const value: AuditExportPart = {
    format: 'cbme-audit-export-part/1', service: 'feedback', store: 'events', schoolId: 'medicine', learnerId: 'ada', exportedAt: '2026-12-01T12:00:00.000Z',
    streams: [
      { streamId: 'A', whole: true, events: await proveInclusion(a.map(at), checkpoints, leavesOf) },
      { streamId: 'B', whole: true, events: await proveInclusion(b.map(at), checkpoints, leavesOf) },
      { streamId: 'S', whole: false, events: await proveInclusion([{ ...at(s[1]), previousHash: s[0].hash }], checkpoints, leavesOf) },
    ],
    checkpoints, notYetCovered: 1, keys: keys.publicKeys().keys,
  };
  const parsed = JSON.parse(JSON.stringify(value)) as AuditExportPart;
  tamper?.(parsed);
  return joinExportParts([parsed]);
}

describe('verifyExport', () => {
  const keys = AuditKeyRing.fromPem('audit-test', pem());

  it('verifies an intact export and counts what a checkpoint does not cover yet', async () => {
    const report = verifyExport(await part(keys));
    expect(report.problem).toBeUndefined();
    expect(report).toEqual({ events: 7, streams: 3, checkpoints: 2, notYetCovered: 1 });
  });

  it('names an event whose field was changed', async () => {
    const report = verifyExport(await part(keys, (p) => { (p.streams[0].events[1].event.data as { text: string }).text = 'changed'; }));
    expect(report.problem).toMatchObject({ service: 'feedback', streamId: 'A', streamVersion: 2, position: 3 });
    expect(describeExportProblem(report.problem!)).toBe('feedback, stream A, version 2, position 3: hash does not match its content');
  });

  it('names the version missing when an event was removed', async () => {
    const report = verifyExport(await part(keys, (p) => { p.streams[0].events.splice(1, 1); }));
    expect(report.problem).toMatchObject({ streamId: 'A', streamVersion: 2, position: 3, what: 'version 2 missing (chain broken)' });
  });

  it('names the event out of order when two were swapped', async () => {
    const report = verifyExport(await part(keys, (p) => { const e = p.streams[0].events; [e[1], e[2]] = [e[2], e[1]]; }));
    expect(report.problem).toMatchObject({ streamId: 'A', streamVersion: 3, position: 3, what: 'out of order: version 3 where version 2 belongs' });
  });

  it('finds a rewritten event whose hash was recomputed: its proof no longer reaches the signed root', async () => {
    const report = verifyExport(await part(keys, (p) => {
      const exported = p.streams[2].events[0];
      exported.event.data = { learnerId: 'ada', forged: true };
      exported.event.hash = chainEvents([exported.event], exported.previousHash)[0].hash;
    }));
    expect(report.problem).toMatchObject({ streamId: 'S', streamVersion: 2, position: 5, checkpoint: '2', what: 'not in checkpoint 2 (the inclusion proof does not lead to its root)' });
  });

  it('refuses a checkpoint not signed by the pinned keys', async () => {
    const other = AuditKeyRing.fromPem('audit-test', pem());
    const report = verifyExport(await part(keys), other.publicKeys());
    expect(report.problem).toMatchObject({ service: 'feedback', checkpoint: '1' });
    expect(report.problem?.what).toMatch(/bad signature/);
  });

  it('refuses an event past a checkpoint stripped of its proof', async () => {
    const report = verifyExport(await part(keys, (p) => { p.streams[1].events[0].proof = null; }));
    expect(report.problem).toMatchObject({ streamId: 'B', streamVersion: 1, position: 4 });
    expect(report.problem?.what).toMatch(/^not in checkpoint 1/);
  });
});

describe('RFC 6962 inclusion proofs', () => {
  it('prove every leaf of trees of 1 to 13 leaves, and no other leaf or index', () => {
    for (let n = 1; n <= 13; n++) {
      const leaves = Array.from({ length: n }, (_, i) => i.toString(16).padStart(64, '0'));
      const root = merkleRoot(leaves);
      for (let i = 0; i < n; i++) {
        const path = merkleAuditPath(leaves, i);
        expect(merkleInclusionHolds(leaves[i], i, n, path, root)).toBe(true);
        expect(merkleInclusionHolds(leaves[(i + 1) % n], i, n, path, root)).toBe(n === 1);
        if (n > 1) expect(merkleInclusionHolds(leaves[i], (i + 1) % n, n, path, root)).toBe(false);
      }
    }
  });
});
