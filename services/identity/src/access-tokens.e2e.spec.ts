import { Actor, dropServiceDatabases, httpClient, RunningService, startServiceProcess, uniqueName } from '@cbme/testing';
import { decodeProtectedHeader } from 'jose';

/**
 * Access tokens as identity issues them, with identity as a real process (it verifies its own tokens like
 * every service): a token outlives any number of key rotations, and a verifier started afterwards still
 * takes it; a school whose id is also the name of an object member signs in like any other.
 */
const namespace = uniqueName('tokens');
const env = { CBME_NAMESPACE: namespace, INSTITUTION_ID: 'inst-tokens', BOOTSTRAP_ADMIN_EMAIL: 'admin@inst-tokens.edu', BOOTSTRAP_ADMIN_PASSWORD: 'correct horse battery staple', KEY_ACTIVATION_SECONDS: '0' };
const PASSWORD = env.BOOTSTRAP_ADMIN_PASSWORD;

let identity: RunningService;
const http = () => httpClient(identity.url);
const signIn = async (email: string) => (await http().post('/auth/login', undefined, { email, password: PASSWORD })).body.accessToken as string;
const kidOf = (token: string) => decodeProtectedHeader(token).kid as string;

beforeAll(async () => {
  identity = await startServiceProcess('identity', env);
}, 120_000);

afterAll(async () => {
  await identity?.stop();
  await dropServiceDatabases(namespace, ['identity']);
});

describe('access tokens', () => {
  it('sign in and act in a school called "constructor"', async () => {
    const admin: Actor = { token: await signIn(env.BOOTSTRAP_ADMIN_EMAIL) };
    expect((await http().post('/schools', admin, { schoolId: 'constructor', name: 'Construction' })).status).toBe(201);
    const email = 'builder@inst-tokens.edu';
    expect((await http().post('/schools/constructor/users', admin, { userId: 'builder', email, displayName: 'Builder', role: 'school-admin', password: PASSWORD })).status).toBe(201);
    const login = await http().post('/auth/login', undefined, { email, password: PASSWORD });
    expect(login.status).toBe(200);
    const members = await http().get('/schools/constructor/users', { token: login.body.accessToken });
    expect(members.status).toBe(200);
    expect(JSON.stringify(members.body)).toContain('builder');
  });

  it('still verify after five key rotations, also at a verifier started after them', async () => {
    const admin: Actor = { token: await signIn(env.BOOTSTRAP_ADMIN_EMAIL) };
    const rotated: string[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await http().post('/admin/signing-keys/rotate', admin);
      expect(response.status).toBe(201);
      rotated.push(response.body.kid);
    }
    const published = (await http().get('/.well-known/jwks.json')).body.keys.map((k: { kid: string }) => k.kid);
    expect(published).toEqual(expect.arrayContaining([kidOf(admin.token), ...rotated]));
    expect(published).toHaveLength(6);

    await identity.stop(); // a restarted verifier has no cached keys: it fetches the JWKS anew
    identity = await startServiceProcess('identity', env, identity.port);
    expect((await http().get('/admin/projections', admin)).status).toBe(200);
    const fresh = await signIn(env.BOOTSTRAP_ADMIN_EMAIL);
    expect(kidOf(fresh)).toBe(rotated[4]);
    expect((await http().get('/admin/projections', { token: fresh })).status).toBe(200);
  }, 180_000);
});
