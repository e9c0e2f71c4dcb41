import { joinExportParts } from '@cbme/contracts';
import { AuditCheckpointWriter, AuditKeyRing, MongoEventStore, verifyExport } from '@cbme/event-sourcing';
import mongoose, { Connection } from 'mongoose';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { ResolvedConfig } from '../config/service-config';
import { RequestContext } from '../http/request-context';
import { AuditExporter } from './audit-exporter';

// a database of its own on the test server (a runtime library may not use @cbme/testing's helpers)
let connection: Connection;
beforeAll(async () => {
  connection = await mongoose.createConnection(process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017', { dbName: `test_audit_export_${randomUUID().slice(0, 8)}` }).asPromise();
});
afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

const pendingEvent = (data: object) => ({
  eventId: randomUUID(), type: 'feedback.dialogue-opened', schemaVersion: 1, data,
  tenant: { institutionId: 'inst', schoolId: 'med' }, actor: { userId: 'lea', role: 'learner' as const }, correlationId: randomUUID(), causationId: null,
});

const caller: RequestContext = {
  userId: 'sad-1', role: 'school-admin', roles: ['school-admin'], institutionId: 'inst', schoolId: 'med', correlationId: 'c-1', receivedAt: '2026-12-01T12:00:00.000Z',
};
const config = { service: 'feedback' } as ResolvedConfig;
const STREAMS = { whole: ['learner-a'], shared: [{ streamId: 'shared', versions: [2] }] };

describe('AuditExporter against the real server', () => {
  it('exports as stored with proofs, records the export, and keeps a checkpoint\'s leaves for later exports only while they give its root', async () => {
    const store = new MongoEventStore(connection, { collection: 'events' });
    await store.init();
    await store.append('learner-a', 0, [pendingEvent({ text: 'one' }), pendingEvent({ text: 'two' })]);
    await store.append('shared', 0, [pendingEvent({ learnerId: 'bob' })]);
    await store.append('learner-a', 2, [pendingEvent({ text: 'three' })]);
    await store.append('shared', 1, [pendingEvent({ learnerId: 'lea' })]);
    const keys = AuditKeyRing.fromPem('audit-int', generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    const signed = await new AuditCheckpointWriter(connection, { collection: 'events', store, keys, everyPositions: 1 }).signDue(await store.headPosition());
    expect(signed).toMatchObject({ _id: '1', from: 1, to: 4, events: 5 });

    const first = await new AuditExporter(connection, store, keys, config).export(caller, 'lea', STREAMS);
    expect(first.streams.map((s) => [s.streamId, s.whole, s.events.map((e) => e.event.streamVersion)])).toEqual([['learner-a', true, [1, 2, 3]], ['shared', false, [2]]]);
    expect(JSON.stringify(first)).not.toContain('bob');
    expect(verifyExport(joinExportParts([first]))).toEqual({ events: 4, streams: 2, checkpoints: 1, notYetCovered: 0 });
    const saved = connection.collection<{ _id: string; leaves: string[] }>('events_checkpoint_leaves');
    expect((await saved.findOne({ _id: '1' }))?.leaves).toHaveLength(5);

    // as after a restart: the saved leaves serve; changed ones are not used, the positions are read again
    await saved.updateOne({ _id: '1' }, { $set: { 'leaves.0': 'f'.repeat(64) } });
    const second = await new AuditExporter(connection, store, keys, config).export(caller, 'lea', STREAMS);
    const proofs = (part: typeof first) => part.streams.filter((s) => s.streamId !== 'audit-export-med-lea').map((s) => s.events.map((e) => e.proof));
    expect(proofs(second)).toEqual(proofs(first));
    // the first export's record is after the checkpoint: given, not yet covered
    expect(second.streams.find((s) => s.streamId === 'audit-export-med-lea')).toMatchObject({ streamId: 'audit-export-med-lea', whole: true, events: [{ proof: null, event: { type: 'audit.record-exported', actor: { userId: 'sad-1', role: 'school-admin' }, data: { learnerId: 'lea', events: 4, streams: 2 } } }] });
    expect(verifyExport(joinExportParts([second]))).toEqual({ events: 5, streams: 3, checkpoints: 1, notYetCovered: 1 });
  });
});
