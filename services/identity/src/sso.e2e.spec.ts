import { Actor, freePort, httpClient, RunningOidcProvider, RunningService, signInAtProvider, startOidcProvider, startServiceProcess, testServers, uniqueName } from '@cbme/testing';
import mongoose from 'mongoose';

/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider in its own process, in-memory storage,
 * its development sign-in and consent pages) and identity as a real process: authorization code + PKCE,
 * the provider's verified e-mail mapped to an account registered here, and every way the callback refuses.
 */
const namespace = uniqueName('sso');
const INSTITUTION = 'inst-sso';
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const CLIENT_ID = 'cbme-identity-test';

/** who can sign in at the provider: accountId -> claims */
const ACCOUNTS = {
  ada: { email: 'Ada.Lovelace@inst-sso.edu', email_verified: true }, // registered here (as ada.lovelace@..., any case)
  eve: { email: 'eve@elsewhere.example', email_verified: true }, // not registered here
  mal: { email: 'mal@inst-sso.edu', email_verified: false }, // registered, but the provider has not verified the address
  dee: { email: 'dee@inst-sso.edu', email_verified: true }, // registered, then deactivated
};

let provider: RunningOidcProvider;
let identity: RunningService;
let admin: Actor;
const http = () => httpClient(identity.url);
const signIn = (login: keyof typeof ACCOUNTS, options?: { cancel?: boolean }, returnTo?: string) =>
  signInAtProvider(`${identity.url}/auth/sso/start${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`, provider.issuer, login, options);
const visit = (callback: URL) => http().get(`${callback.pathname}${callback.search}`);

beforeAll(async () => {
  const port = await freePort();
  const redirectUrl = `http://127.0.0.1:${port}/auth/sso/callback`;
  provider = await startOidcProvider({
    clients: [{ client_id: CLIENT_ID, redirect_uris: [redirectUrl], token_endpoint_auth_method: 'none', grant_types: ['authorization_code'], response_types: ['code'] }],
    accounts: ACCOUNTS,
  });
  identity = await startServiceProcess('identity', {
    CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION, BOOTSTRAP_ADMIN_EMAIL: 'admin@inst-sso.edu', BOOTSTRAP_ADMIN_PASSWORD: PASSWORD,
    OIDC_ISSUER_URL: provider.issuer, OIDC_CLIENT_ID: CLIENT_ID, OIDC_REDIRECT_URL: redirectUrl,
  }, port);

  admin = { token: (await http().post('/auth/login', undefined, { email: 'admin@inst-sso.edu', password: PASSWORD })).body.accessToken };
  expect((await http().post('/schools', admin, { schoolId: SCHOOL, name: 'Medicine' })).status).toBe(201);
  for (const [userId, role] of [['ada', 'school-admin'], ['mal', 'learner'], ['dee', 'learner']]) {
    const email = userId === 'ada' ? 'ada.lovelace@inst-sso.edu' : `${userId}@inst-sso.edu`;
    expect((await http().post(`/schools/${SCHOOL}/users`, admin, { userId, email, displayName: userId, role })).status).toBe(201); // no password: SSO only
  }
  expect((await http().post('/users/dee/deactivate', admin, { reason: 'left the programme' })).status).toBe(200);
}, 180_000);

afterAll(async () => {
  await identity?.stop();
  await provider?.stop();
  const connection = await mongoose.createConnection(testServers().mongoUrl, { dbName: `${namespace.replace(/-/g, '_')}_identity` }).asPromise();
  await connection.dropDatabase();
  await connection.close();
});

describe('single sign-on (OpenID Connect, authorization code + PKCE)', () => {
  it('start redirects to the provider with an S256 code challenge, state and nonce', async () => {
    const response = await fetch(`${identity.url}/auth/sso/start`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') as string);
    expect(location.origin).toBe(provider.issuer);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      client_id: CLIENT_ID, response_type: 'code', scope: 'openid email', code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[\w-]{43}$/), state: expect.any(String), nonce: expect.any(String),
    });
  });

  it('signs a registered user in by the verified e-mail, with tokens that work on a protected endpoint', async () => {
    const callback = await signIn('ada', {}, '/dashboard');
    expect(callback.searchParams.get('code')).toBeTruthy();
    const signedIn = await visit(callback);
    expect(signedIn).toMatchObject({ status: 200, body: { tokenType: 'Bearer', accessToken: expect.any(String), refreshToken: expect.any(String), returnTo: '/dashboard' } });

    const members = await http().get(`/schools/${SCHOOL}/users`, { token: signedIn.body.accessToken });
    expect(members.status).toBe(200);
    const refreshed = await http().post('/auth/refresh', undefined, { refreshToken: signedIn.body.refreshToken });
    expect(refreshed.status).toBe(200);
  });

  it('takes each sign-in attempt only once: the same callback again is refused', async () => {
    const callback = await signIn('ada');
    expect((await visit(callback)).status).toBe(200);
    expect(await visit(callback)).toMatchObject({ status: 400, body: { message: 'single sign-on attempt unknown, already used or expired; start again at /auth/sso/start' } });
  });

  it('refuses a tampered state, and the attempt it replaced still cannot be completed by anyone else', async () => {
    const callback = await signIn('ada');
    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    expect(await visit(tampered)).toMatchObject({ status: 400, body: { message: expect.stringContaining('attempt unknown') } });
    const missing = new URL(callback);
    missing.searchParams.delete('state');
    expect(await visit(missing)).toMatchObject({ status: 400 });
  });

  it.each([
    ['an e-mail registered nowhere here', 'eve'],
    ['an e-mail the provider has not verified', 'mal'],
    ['a deactivated account', 'dee'],
  ] as const)('refuses %s with one generic message and creates no account', async (_case, login) => {
    const response = await visit(await signIn(login));
    expect(response).toMatchObject({ status: 401, body: { message: 'single sign-on failed: no active account for this identity' } });
    expect(response.body.accessToken).toBeUndefined();
  });

  it('passes on the provider\'s refusal when the user cancels there', async () => {
    const callback = await signIn('ada', { cancel: true });
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(await visit(callback)).toMatchObject({ status: 401, body: { message: 'the identity provider refused the sign-in: access_denied (End-User aborted interaction)' } });
  });

  it('refuses a code that was not issued for the attempt (its PKCE verifier does not match)', async () => {
    const first = await signIn('ada');
    const second = await signIn('ada');
    const swapped = new URL(second);
    swapped.searchParams.set('code', first.searchParams.get('code') as string);
    expect(await visit(swapped)).toMatchObject({ status: 401, body: { message: expect.stringContaining('invalid_grant') } });
  });

  it('validates the query: unknown parameters and a returnTo that leaves the site are refused', async () => {
    expect((await http().get('/auth/sso/start?returnTo=//evil.example/x')).status).toBe(400);
    expect((await http().get('/auth/sso/start?prompt=none')).status).toBe(400);
  });

  it('identity refuses to start with an invalid provider setting, naming it', async () => {
    await expect(startServiceProcess('identity', { CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION, OIDC_ISSUER_URL: 'idp.example' })).rejects.toThrow(
      'identity exited with 78:\nidentity: invalid configuration: OIDC_ISSUER_URL: OIDC_ISSUER_URL must be an http(s) URL; OIDC_CLIENT_ID: OIDC_CLIENT_ID must be set when OIDC_ISSUER_URL is',
    );
  });
});
