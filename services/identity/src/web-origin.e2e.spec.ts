import { freePort, httpClient, RunningOidcProvider, RunningService, RunningWebOrigin, signInAtProvider, startOidcProvider, startServiceProcess, startWebOrigin, testServers, uniqueName } from '@cbme/testing';
import mongoose from 'mongoose';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Identity behind the browser's one origin (the real nginx with infra/nginx's config): single sign-on comes
 * back through /api/identity/, and failed sign-ins are counted per client address, not per nginx.
 */
const namespace = uniqueName('origin');
const INSTITUTION = 'inst-origin';
const PASSWORD = 'correct horse battery staple';
const CLIENT_ID = 'cbme-identity-origin';
const NOWHERE = 'http://127.0.0.1:1';

let webRoot: string;
let origin: RunningWebOrigin;
let provider: RunningOidcProvider;
let identity: RunningService;

/** A sign-in through the origin from the given local address (loopback has all of 127.0.0.0/8). */
function signInFrom(localAddress: string, password: string, headers: Record<string, string> = {}): Promise<number> {
  const body = JSON.stringify({ email: 'bob@inst-origin.edu', password });
  return new Promise((resolve, reject) => {
    const req = request(`${origin.url}api/identity/auth/login`, { method: 'POST', localAddress, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  // nginx first (it may start before the service), so the provider can know the callback's public URL
  const identityPort = await freePort();
  webRoot = await mkdtemp(path.join(tmpdir(), 'cbme-web-root-'));
  origin = await startWebOrigin({ identity: `http://127.0.0.1:${identityPort}`, coaching: NOWHERE, feedback: NOWHERE, analytics: NOWHERE }, { webRoot: webRoot });
  const redirectUrl = `${origin.url}api/identity/auth/sso/callback`;
  provider = await startOidcProvider({
    clients: [{ client_id: CLIENT_ID, redirect_uris: [redirectUrl], token_endpoint_auth_method: 'none', grant_types: ['authorization_code'], response_types: ['code'] }],
    accounts: { ada: { email: 'ada@inst-origin.edu', email_verified: true } },
  });
  identity = await startServiceProcess('identity', {
    CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION, BOOTSTRAP_ADMIN_EMAIL: 'admin@inst-origin.edu', BOOTSTRAP_ADMIN_PASSWORD: PASSWORD,
    OIDC_ISSUER_URL: provider.issuer, OIDC_CLIENT_ID: CLIENT_ID, OIDC_REDIRECT_URL: redirectUrl, TRUST_PROXY: 'loopback',
  }, identityPort);

  const http = httpClient(`${origin.url}api/identity`);
  const admin = { token: (await http.post('/auth/login', undefined, { email: 'admin@inst-origin.edu', password: PASSWORD })).body.accessToken };
  expect((await http.post('/schools', admin, { schoolId: 'medicine', name: 'Medicine' })).status).toBe(201);
  expect((await http.post('/schools/medicine/users', admin, { userId: 'ada', email: 'ada@inst-origin.edu', displayName: 'Ada', role: 'learner' })).status).toBe(201);
  expect((await http.post('/schools/medicine/users', admin, { userId: 'bob', email: 'bob@inst-origin.edu', displayName: 'Bob', role: 'learner', password: PASSWORD })).status).toBe(201);
}, 180_000);

afterAll(async () => {
  await identity?.stop();
  await provider?.stop();
  await origin?.stop();
  await rm(webRoot, { recursive: true, force: true });
  const connection = await mongoose.createConnection(testServers().mongoUrl, { dbName: `${namespace.replace(/-/g, '_')}_identity` }).asPromise();
  await connection.dropDatabase();
  await connection.close();
});

describe('identity behind the web origin', () => {
  it('signs in with single sign-on started and completed at /api/identity/auth/sso/', async () => {
    const callback = await signInAtProvider(`${origin.url}api/identity/auth/sso/start?returnTo=/learner`, provider.issuer, 'ada');
    expect(`${callback.origin}${callback.pathname}`).toBe(`${origin.url}api/identity/auth/sso/callback`);
    const response = await fetch(callback);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ tokenType: 'Bearer', accessToken: expect.any(String), returnTo: '/learner' });
  });

  it('counts failed sign-ins per client address, which a client cannot choose by claiming another', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push(await signInFrom('127.0.0.2', 'guess guess guess'));
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(await signInFrom('127.0.0.2', 'guess guess guess', { 'x-forwarded-for': '198.51.100.1' })).toBe(429);
    // another client of the same origin is not locked out by the first one's failures
    expect(await signInFrom('127.0.0.3', PASSWORD)).toBe(200);
  });
});
