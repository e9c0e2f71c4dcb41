import { dropServiceDatabases, httpClient, RunningService, startServiceProcess, testServers, uniqueName, waitFor } from '@cbme/testing';
import mongoose, { Connection } from 'mongoose';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Tamper evidence on a running service (docs/tamper-evidence.md): identity signs checkpoints of its store in the
 * background and publishes its audit keys; `npm run verify` (infra/verify.ts) checks both, and names a changed event.
 */
const namespace = uniqueName('e2e-audit');
const PASSWORD = 'correct horse battery staple';
const WORKSPACE = path.resolve(__dirname, '../../..');
let identity: RunningService;
let connection: Connection;

beforeAll(async () => {
  identity = await startServiceProcess('identity', {
    CBME_NAMESPACE: namespace, BOOTSTRAP_ADMIN_EMAIL: 'admin@audit.example', BOOTSTRAP_ADMIN_PASSWORD: PASSWORD,
    AUDIT_KEYS_FILE: path.join(mkdtempSync(path.join(tmpdir(), 'audit-e2e-')), 'keys.json'),
    AUDIT_CHECKPOINT_POSITIONS: '1', AUDIT_CHECKPOINT_MS: '1000',
  });
  connection = await mongoose.createConnection(testServers().mongoUrl, { dbName: `${namespace.replace(/-/g, '_')}_identity` }).asPromise();
}, 120_000);

afterAll(async () => {
  await connection?.close();
  await identity?.stop();
  await dropServiceDatabases(namespace, ['identity']);
});

/** `npm run verify -- identity --keys <url>` as a person would run it */
const verifyCli = () => spawnSync(process.execPath, ['-r', '@swc-node/register', 'infra/verify.ts', 'identity', '--collection', 'events', '--keys', `${identity.url}/.well-known/audit-keys`], {
  cwd: WORKSPACE, encoding: 'utf8', env: { ...process.env, MONGO_URL: testServers().mongoUrl, CBME_NAMESPACE: namespace, MONGO_DB: '' },
});

it('signs checkpoints of the store in the background, publishes the keys, and verify names a changed event', async () => {
  const http = httpClient(identity.url);
  const login = await http.post('/auth/login', undefined, { email: 'admin@audit.example', password: PASSWORD });
  expect((await http.post('/schools', { token: login.body.accessToken }, { schoolId: 'medicine', name: 'Medicine' })).status).toBe(201);
  const published = await http.get('/.well-known/audit-keys');
  expect(published.status).toBe(200);
  expect(published.body.keys).toEqual([expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: expect.any(String) })]);
  // the background loop signs up to the head; verify checks each checkpoint's root and signature
  const head = await waitFor(async () => {
    const count = await connection.collection('events_positions').countDocuments();
    const clean = verifyCli();
    expect(clean.status).toBe(0);
    expect(clean.stdout).toMatch(new RegExp(`events: verified: \\d+ events, [1-9]\\d* checkpoints \\(signed up to position ${count}\\)`));
    return count;
  }, { timeoutMs: 60_000, intervalMs: 1_000 });
  expect(head).toBeGreaterThanOrEqual(2);

  // one byte of the school's name, in the commit document only
  const commit = await connection.collection<{ _id: string; events: { type: string; data: { name?: string } }[] }>('events').findOne({ 'events.type': 'identity.school-created' } as never);
  if (!commit) throw new Error('no identity.school-created commit');
  const index = commit.events.findIndex((e) => e.type === 'identity.school-created');
  await connection.collection('events').updateOne({ _id: commit._id } as never, { $set: { [`events.${index}.data.name`]: 'Medicinf' } });
  const broken = verifyCli();
  expect(broken.status).toBe(1);
  const [streamId, from] = commit._id.split('#');
  expect(broken.stdout).toContain(`broken: stream ${streamId} version ${Number(from) + index}, position`);
  expect(broken.stdout).toContain('the commit: the event does not match its hash');
}, 120_000);
