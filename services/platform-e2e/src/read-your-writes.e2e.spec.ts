import { dropServiceDatabases, freePort, httpClient, RunningService, RunningWebOrigin, startServiceProcess, startWebOrigin, uniqueName } from '@cbme/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Read-your-writes through the browser's one origin (the real nginx): a command answers the position it wrote
 * (X-Written-Position), and a query sent with X-Read-After answers only once the service's own projections have
 * applied it. Identity polls its store only every 30 s here, so a read that does not wait (or a wait that does not
 * wake the projection) would miss the write.
 */
const namespace = uniqueName('ryw');
const INSTITUTION = 'inst-ryw';
const PASSWORD = 'correct horse battery staple';
const NOWHERE = 'http://127.0.0.1:1';

let webRoot: string;
let origin: RunningWebOrigin;
let identity: RunningService;
let token: string;

/** One call through nginx, keeping the response headers (the test client drops them). */
async function call(method: 'GET' | 'POST', route: string, headers: Record<string, string> = {}, body?: unknown) {
  const response = await fetch(`${origin.url}api/identity${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

beforeAll(async () => {
  const identityPort = await freePort();
  webRoot = await mkdtemp(path.join(tmpdir(), 'cbme-web-root-'));
  origin = await startWebOrigin({ identity: `http://127.0.0.1:${identityPort}`, coaching: NOWHERE, feedback: NOWHERE, analytics: NOWHERE }, { webRoot });
  identity = await startServiceProcess('identity', {
    CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION, BOOTSTRAP_ADMIN_EMAIL: 'admin@inst-ryw.edu', BOOTSTRAP_ADMIN_PASSWORD: PASSWORD,
    PROJECTION_POLL_MS: '30000',
  }, identityPort);
  token = (await httpClient(`${origin.url}api/identity`).post('/auth/login', undefined, { email: 'admin@inst-ryw.edu', password: PASSWORD })).body.accessToken;
  expect((await call('POST', '/schools', {}, { schoolId: 'medicine', name: 'Medicine' })).status).toBe(201);
}, 180_000);

afterAll(async () => {
  await identity?.stop();
  await origin?.stop();
  if (webRoot) await rm(webRoot, { recursive: true, force: true });
  await dropServiceDatabases(namespace, ['identity']);
});

describe('read your writes', () => {
  it('answers a query sent with the position a command wrote with the state that command made', async () => {
    const written: number[] = [];
    for (const userId of ['ada', 'bob', 'cyd']) {
      const registered = await call('POST', '/schools/medicine/users', {}, { userId, email: `${userId}@inst-ryw.edu`, displayName: userId, role: 'learner' });
      expect(registered.status).toBe(201);
      const position = registered.headers.get('x-written-position');
      expect(position).toMatch(/^[0-9]+$/);
      written.push(Number(position));

      const members = await call('GET', '/schools/medicine/users', { 'x-read-after': String(position) });
      expect(members.status).toBe(200);
      expect(members.headers.get('x-read-model-behind')).toBeNull();
      expect(members.body.members.map((m: { userId: string }) => m.userId)).toContain(userId);
    }
    // each registration appended after the one before it
    expect([...written].sort((a, b) => a - b)).toEqual(written);
    expect(new Set(written).size).toBe(written.length);
  });

  it('does not claim a position for a request that wrote nothing', async () => {
    const members = await call('GET', '/schools/medicine/users');
    expect(members.status).toBe(200);
    expect(members.headers.get('x-written-position')).toBeNull();
  });

  it('refuses a position that is not one with a JSON 400, never a 500', async () => {
    for (const bogus of ['abc', '-1', '1.5', '1e3', '12345678901234567890', '']) {
      const answer = await call('GET', '/schools/medicine/users', { 'x-read-after': bogus });
      expect({ bogus, status: answer.status }).toEqual({ bogus, status: 400 });
      expect(answer.body).toMatchObject({ statusCode: 400, message: expect.stringContaining('x-read-after') });
    }
  });

  it('answers at once for a position this store never wrote (another namespace, a reset database)', async () => {
    const members = await call('GET', '/schools/medicine/users', { 'x-read-after': '999999999' });
    expect(members.status).toBe(200);
    expect(members.headers.get('x-read-model-behind')).toBeNull();
  });
});
