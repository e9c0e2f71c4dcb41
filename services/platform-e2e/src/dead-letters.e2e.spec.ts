import { eventsTopic } from '@cbme/contracts';
import { Actor, freePort, httpClient, publishedEvent, RunningService, startServiceProcess, startWebOrigin, testServers, uniqueName, waitFor } from '@cbme/testing';
import { beyondViewport, checkPage, endJourney, ensureWebBuilt, launchBrowser, openPage, signIn } from '@cbme/testing/browser';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';

/**
 * Dead-letter operations (issue 19) against the four services as real processes and the real servers. A message with a
 * schema version coaching does not know (identity.user-registered v2) reaches it on Kafka: refused into the dead
 * letters, listed, inspected, replayed in vain; coaching restarted as the release that knows v2 (newer-contract.cjs)
 * replays it, and the roster names the coach, once. A message that is not JSON is discarded with a reason, and a replay
 * of it is then a 409. Each action is read back as an event of coaching's own store. The institution admin's page
 * does the same in Chromium, checked with axe and photographed at 1280 and 375 px.
 */
const namespace = uniqueName('e2e-dead');
const INSTITUTION = 'inst-dead';
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const email = (userId: string) => `${userId}@dead.example`;
const DLQ = `${namespace}.coaching.dlq`;

const services: Record<string, RunningService> = {};
const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION, KEY_ACTIVATION_SECONDS: '0', NOTIFY_CHANNEL: 'log' };
const http = (name: string) => httpClient(services[name].url);
let admin: Actor;
let schoolAdmin: Actor;
let producer: Producer;
let browser: Browser | undefined;
let origin: { url: string; stop(): Promise<void> } | undefined;
const started = Date.now();

type Letter = { id: string; type: string | null; eventId: string | null; reason: string; status: string; failedReplays: number };

/** a registration as identity's next release would publish it: schema version 2, one field more */
const registration = (userId: string, displayName: string) => publishedEvent('identity.user-registered', `identity-user-${userId}`, 1,
  { userId, email: email(userId), displayName, pronouns: 'she/her' },
  { schemaVersion: 2, tenant: { institutionId: INSTITUTION, schoolId: SCHOOL }, actor: { userId: 'admin', role: 'institution-admin' } });
const coachRole = (userId: string) => publishedEvent('identity.role-granted', `identity-user-${userId}`, 2, { userId, schoolId: SCHOOL, role: 'coach' },
  { tenant: { institutionId: INSTITUTION, schoolId: SCHOOL }, actor: { userId: 'admin', role: 'institution-admin' } });

const send = (key: string, value: string) => producer.send({ topic: eventsTopic(namespace, 'identity'), messages: [{ key, value, headers: { origin: 'dead-letters e2e' } }] });
const coachesNamed = async (coachId: string) =>
  ((await http('coaching').get('/roster', admin)).body.coachLoad as { coachId: string; coachName: string }[]).filter((c) => c.coachId === coachId);
const consumerLetters = async (): Promise<Letter[]> => {
  const answer = await http('coaching').get(`/admin/dead-letters/list?kind=consumer&name=${DLQ}&limit=50`, admin);
  expect(answer.status).toBe(200);
  return answer.body.items;
};
const letterOf = (match: (l: Letter) => boolean) => waitFor(async () => {
  const found = (await consumerLetters()).find(match);
  if (!found) throw new Error('not parked yet');
  return found;
}, { timeoutMs: 60_000 });
const waiting = async () => ((await http('coaching').get('/admin/dead-letters', admin)).body.deadLetters as { kind: string; name: string; count: number }[])
  .find((d) => d.kind === 'consumer' && d.name === DLQ)?.count;
const actionsOn = async (id: string) => ((await http('coaching').get(`/admin/dead-letters/${encodeURIComponent(id)}`, admin)).body.actions as { type: string; actor: { userId: string }; data: Record<string, unknown> }[]);

beforeAll(async () => {
  const webRoot = ensureWebBuilt();
  services['identity'] = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: email('admin'), BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  env['AUTH_JWKS_URL'] = `${services['identity'].url}/.well-known/jwks.json`;
  for (const s of await Promise.all(['coaching', 'feedback', 'analytics'].map((name) => startServiceProcess(name, env)))) services[s.name] = s;
  origin = await startWebOrigin(
    { identity: services['identity'].url, coaching: services['coaching'].url, feedback: services['feedback'].url, analytics: services['analytics'].url },
    { port: await freePort(), webRoot },
  );
  browser = await launchBrowser();
  admin = { token: (await http('identity').post('/auth/login', undefined, { email: email('admin'), password: PASSWORD })).body.accessToken, schoolId: SCHOOL };
  expect((await http('identity').post('/schools', admin, { schoolId: SCHOOL, name: 'School of Medicine' })).status).toBe(201);
  expect((await http('identity').post(`/schools/${SCHOOL}/users`, admin, { userId: 'sam', email: email('sam'), displayName: 'Sam Admin', role: 'school-admin', password: PASSWORD })).status).toBe(201);
  schoolAdmin = { token: (await http('identity').post('/auth/login', undefined, { email: email('sam'), password: PASSWORD })).body.accessToken, schoolId: SCHOOL };
  producer = new Kafka({ clientId: 'dead-letters-e2e', brokers: testServers().kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
}, 300_000);

afterAll(async () => {
  await producer?.disconnect();
  await endJourney('dead letters', started, { browser, origin, services, namespace });
});

describe('dead-letter operations', () => {
  it('a message of a schema version coaching does not know: listed, inspected, replayed in vain, then replayed by the release that knows it; the roster names the coach once', async () => {
    const newer = registration('dana', 'Dana Letter');
    await send(newer.streamId, JSON.stringify(newer));
    await send(newer.streamId, JSON.stringify(coachRole('dana')));
    // the role arrived, the name did not
    await waitFor(async () => expect(await coachesNamed('dana')).toEqual([expect.objectContaining({ coachName: 'dana' })]), { timeoutMs: 60_000 });
    const letter = await letterOf((l) => l.eventId === newer.eventId);
    expect(letter).toMatchObject({ type: 'identity.user-registered', reason: 'identity.user-registered v2 is newer than this service knows (v1)', status: 'parked', failedReplays: 0 });
    expect(await waiting()).toBe(1);
    const path = `/admin/dead-letters/${encodeURIComponent(letter.id)}`;

    // who may act is decided before anything is read: a school admin gets the same answer for this letter and for none
    for (const call of [() => http('coaching').get(path, schoolAdmin), () => http('coaching').get('/admin/dead-letters/nothing-here', schoolAdmin), () => http('coaching').post(`${path}/replay`, schoolAdmin)]) {
      expect((await call()).status).toBe(403);
    }
    expect((await http('coaching').get('/admin/dead-letters/nothing-here', admin)).status).toBe(404);
    expect((await http('coaching').post('/admin/dead-letters/nothing-here/replay', admin)).status).toBe(404);
    expect((await http('coaching').get('/admin/dead-letters/list?kind=consumer&name=elsewhere.dlq', admin)).status).toBe(404);
    expect((await http('coaching').get(`/admin/dead-letters/list?kind=letter&name=${DLQ}`, admin)).status).toBe(400);

    const inspected = await http('coaching').get(path, admin);
    expect(inspected.status).toBe(200);
    expect(JSON.parse(inspected.body.message.value)).toEqual(newer);
    expect(inspected.body.message).toMatchObject({ topic: eventsTopic(namespace, 'identity'), key: newer.streamId, headers: { origin: 'dead-letters e2e' } });
    expect(inspected.body.actions).toEqual([expect.objectContaining({ type: 'operations.dead-letter-inspected', actor: expect.objectContaining({ userId: 'institution-admin' }) })]);

    const inVain = await http('coaching').post(`${path}/replay`, admin);
    expect(inVain.status).toBe(200);
    expect(inVain.body).toMatchObject({ outcome: 'failed', reason: 'identity.user-registered v2 is newer than this service knows (v1)', deadLetter: { status: 'parked', failedReplays: 1 } });

    // the fix: coaching's next release, which knows v2, on the same port
    const port = services['coaching'].port;
    await services['coaching'].stop();
    services['coaching'] = await startServiceProcess('coaching', { ...env, NODE_OPTIONS: `--require ${resolve(__dirname, 'newer-contract.cjs')}` }, port);
    const replayed = await http('coaching').post(`${path}/replay`, admin);
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ outcome: 'applied', reason: null, deadLetter: { status: 'replayed', failedReplays: 1 } });
    await waitFor(async () => expect(await coachesNamed('dana')).toEqual([expect.objectContaining({ coachName: 'Dana Letter' })]), { timeoutMs: 60_000 });
    expect(await waiting()).toBe(0);
    expect((await http('coaching').post(`${path}/replay`, admin)).status).toBe(409);

    // every action, read back from coaching's store; the copy of the message went once it was in the inbox
    const after = await http('coaching').get(path, admin);
    expect(after.body.message).toBeNull();
    expect(after.body.actions.map((a: { type: string; data: Record<string, unknown> }) => [a.type, a.data.outcome ?? null])).toEqual([
      ['operations.dead-letter-inspected', null],
      ['operations.dead-letter-replayed', 'failed'],
      ['operations.dead-letter-replayed', 'applied'],
      ['operations.dead-letter-inspected', null],
    ]);
    expect(after.body.actions[2].data).toEqual({ deadLetterId: letter.id, kind: 'consumer', name: DLQ, outcome: 'applied', attempt: 2 });
    // once, though the replay and the roster's read model both saw it: the coach is named in one entry
    expect(await coachesNamed('dana')).toHaveLength(1);
  }, 300_000);

  it('a message that is not JSON is discarded with a reason; replaying or discarding it again is a 409', async () => {
    await send('poison', 'not json: a learner wrote this');
    const letter = await letterOf((l) => l.type === null && l.status === 'parked');
    const path = `/admin/dead-letters/${encodeURIComponent(letter.id)}`;
    expect((await http('coaching').post(`${path}/discard`, admin, { reason: '  ' })).status).toBe(400);
    const discarded = await http('coaching').post(`${path}/discard`, admin, { reason: 'a test producer wrote it; nothing to recover' });
    expect(discarded.status).toBe(200);
    expect(discarded.body).toMatchObject({ outcome: 'discarded', reason: 'a test producer wrote it; nothing to recover', deadLetter: { status: 'discarded' } });
    expect((await http('coaching').post(`${path}/replay`, admin)).status).toBe(409);
    expect((await http('coaching').post(`${path}/discard`, admin, { reason: 'again' })).status).toBe(409);
    const actions = await actionsOn(letter.id);
    expect(actions.map((a) => a.type)).toEqual(['operations.dead-letter-discarded', 'operations.dead-letter-inspected']);
    expect(actions[0]).toMatchObject({ actor: { userId: 'institution-admin' }, data: { deadLetterId: letter.id, kind: 'consumer', name: DLQ, reason: 'a test producer wrote it; nothing to recover' } });
    expect(await waiting()).toBe(0);
  }, 120_000);

  it('the institution admin\'s page: a service\'s dead letters, one inspected, replayed in vain and discarded, the outcome shown (axe and screenshots at 1280 and 375 px)', async () => {
    const newer = registration('erin', 'Erin Park');
    await send(newer.streamId, `{"broken": ${JSON.stringify(newer.data)}`);
    await letterOf((l) => l.type === null && l.status === 'parked');
    const problems: string[] = [];
    // axe and screenshots at both widths, and nothing past a phone's viewport
    const checked = async (page: Page, name: string) => {
      await checkPage(page, problems, name);
      await page.setViewportSize({ width: 375, height: 800 });
      problems.push(...(await beyondViewport(page)).map((e) => `${name} at 375 px: beyond the viewport: ${e}`));
      await page.setViewportSize({ width: 1280, height: 900 });
    };
    if (!origin || !browser) throw new Error('the web origin and the browser start before the tests');
    const web = origin.url.replace(/\/$/, '');
    const { page, problems: pageProblems } = await openPage(browser, web);
    await signIn(page, web, email('admin'), PASSWORD, '/institution');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dead letters' }).click();
    await page.waitForURL(`${web}/institution/dead-letters`);
    await page.getByLabel('Service').selectOption('coaching');
    // the place with letters waiting is chosen: the inbox consumer, one waiting
    await page.getByLabel('Parked by').locator('option:checked', { hasText: `inbox consumer (${DLQ}): 1 waiting` }).waitFor({ state: 'attached' });
    const table = page.getByRole('table');
    await table.getByRole('row').filter({ hasText: 'discarded' }).waitFor();
    await table.getByRole('row').filter({ hasText: 'replayed' }).waitFor();
    await checked(page, 'admin-dead-letters');

    await table.getByRole('row').filter({ hasText: 'parked' }).getByRole('button', { name: /^Inspect/ }).click();
    const panel = page.getByRole('region', { name: /^Message/ });
    await panel.getByLabel('Content').filter({ hasText: '"broken"' }).waitFor();
    await panel.getByText(/inspected by institution-admin/).waitFor();
    await panel.getByRole('button', { name: 'Replay' }).click();
    await panel.getByRole('status').filter({ hasText: 'Replayed, and it failed again: message value is not JSON' }).waitFor();
    await checked(page, 'admin-dead-letter-inspected');

    await panel.getByRole('button', { name: 'Discard' }).click();
    const dialog = page.getByRole('dialog', { name: 'Discard this dead letter?' });
    await dialog.getByLabel('Why it is given up').fill('cut short by the producer; identity will send it again');
    await dialog.getByRole('button', { name: 'Discard' }).click();
    await panel.getByRole('status').filter({ hasText: 'Discarded: cut short by the producer; identity will send it again' }).waitFor();
    await page.getByLabel('Parked by').locator('option:checked', { hasText: `inbox consumer (${DLQ}): 0 waiting` }).waitFor({ state: 'attached' });
    await checked(page, 'admin-dead-letter-discarded');
    expect([...problems, ...pageProblems]).toEqual([]);
  }, 300_000);
});
