import { dropServiceDatabases, RunningService, startServiceProcess, uniqueName } from '@cbme/testing';

/**
 * Two instances of one service over one store (README, "Replicas"): each projection runs on the instance that holds
 * its lease; the other answers reads after a write by following the holder's checkpoint. When the holder dies
 * (kill -9, no release), the other takes the lease once it expires and the projection serves new commands again.
 * The failover time is printed, not asserted (the machine's load decides it).
 */
const namespace = uniqueName('replicas');
const INSTITUTION = 'inst-replicas';
const PASSWORD = 'correct horse battery staple';
const PROJECTION = 'school-members';

const instances: RunningService[] = [];
let token: string;

async function call(instance: RunningService, method: 'GET' | 'POST', route: string, headers: Record<string, string> = {}, body?: unknown) {
  const response = await fetch(`${instance.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** 1 or 0 from the instance's cbme_lease_holder gauge for the projection; undefined when it does not answer */
async function holds(instance: RunningService): Promise<boolean | undefined> {
  const text = await fetch(`${instance.url}/metrics`).then((r) => r.text(), () => undefined);
  if (text === undefined) return undefined;
  return new RegExp(`^cbme_lease_holder\\{runner="${PROJECTION}"[^}]*\\} 1$`, 'm').test(text);
}

async function register(instance: RunningService, userId: string): Promise<number> {
  const registered = await call(instance, 'POST', '/schools/medicine/users', {}, { userId, email: `${userId}@inst-replicas.edu`, displayName: userId, role: 'learner' });
  expect(registered.status).toBe(201);
  return Number(registered.headers.get('x-written-position'));
}

async function membersAfter(instance: RunningService, position: number): Promise<string[]> {
  const members = await call(instance, 'GET', '/schools/medicine/users', { 'x-read-after': String(position) });
  expect(members.status).toBe(200);
  expect(members.headers.get('x-read-model-behind')).toBeNull();
  return members.body.members.map((m: { userId: string }) => m.userId);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  const env = { CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION, BOOTSTRAP_ADMIN_EMAIL: 'admin@inst-replicas.edu', BOOTSTRAP_ADMIN_PASSWORD: PASSWORD };
  // one after the other: the second finds the institution and its admin in place
  instances.push(await startServiceProcess('identity', env));
  instances.push(await startServiceProcess('identity', env));
  const login = await fetch(`${instances[0].url}/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@inst-replicas.edu', password: PASSWORD }),
  });
  token = (await login.json()).accessToken;
  expect((await call(instances[1], 'POST', '/schools', {}, { schoolId: 'medicine', name: 'Medicine' })).status).toBe(201);
}, 240_000);

afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
  await dropServiceDatabases(namespace, ['identity']);
});

describe('two instances of identity', () => {
  it('runs the projection on one of them; both answer a read after a write made on either', async () => {
    let holders: (boolean | undefined)[] = [];
    while (holders.filter(Boolean).length !== 1) {
      holders = await Promise.all(instances.map(holds));
      await sleep(200);
    }
    expect(holders.sort()).toEqual([false, true]);
    for (const [writer, reader, userId] of [[0, 1, 'ada'], [1, 0, 'bob']] as const) {
      const position = await register(instances[writer], userId);
      expect(await membersAfter(instances[reader], position)).toContain(userId);
    }
  });

  it('moves the projection to the other instance when its holder is killed -9, which then serves new commands', async () => {
    const holderIndex = (await holds(instances[0])) ? 0 : 1;
    const [holder, survivor] = [instances[holderIndex], instances[1 - holderIndex]];
    expect(await holds(survivor)).toBe(false);
    const killedAt = Date.now();
    process.kill(holder.pid, 'SIGKILL');
    while (!(await holds(survivor))) await sleep(100);
    const failoverSeconds = (Date.now() - killedAt) / 1000;
    const position = await register(survivor, 'cyd');
    expect(await membersAfter(survivor, position)).toEqual(expect.arrayContaining(['ada', 'bob', 'cyd']));
    const servedSeconds = (Date.now() - killedAt) / 1000;
    console.log(`failover after kill -9 of the ${PROJECTION} lease holder: lease taken over in ${failoverSeconds.toFixed(1)} s, a new command read back in ${servedSeconds.toFixed(1)} s`);
    instances.splice(holderIndex, 1);
  });
});
