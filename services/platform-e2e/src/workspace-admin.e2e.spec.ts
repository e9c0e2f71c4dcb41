import { eventsTopic } from '@cbme/contracts';
import { Actor, freePort, httpClient, RunningService, startServiceProcess, startWebOrigin, testServers, uniqueName, waitFor } from '@cbme/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Browser, Page } from 'playwright-core';
import { accessibilityProblems, endJourney, ensureWebBuilt, launchBrowser, openPage, screenshot, settled, signIn } from '@cbme/testing/browser';

/**
 * The admins' pages in Debian's Chromium, through nginx, against the four services as real processes and the real
 * servers: a school admin registers a person, grants and revokes a role (confirmed in a dialog), withdraws a learner
 * with a reason; the institution admin creates a school, sees dead-letter counts beside the read models and opens a
 * learner's audit view. Every page visited is checked with axe, at 1280 and at 375 px, and photographed at both.
 */
const namespace = uniqueName('webadmin');
const INSTITUTION = 'inst-admin';
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const email = (userId: string) => `${userId}@inst-admin.edu`;
const WITHDRAWAL_REASON = 'Leave of absence for a year';

const services: Record<string, RunningService> = {};
let origin: { url: string; stop(): Promise<void> };
let web: string;
let browser: Browser;
const http = (name: string) => httpClient(services[name].url);
let admin: Actor;
const accessibility: string[] = [];
const started = Date.now();

/** The page once its data is there: axe at 1280 and 375 px, a screenshot at each when named. */
async function checked(page: Page, name?: string) {
  await settled(page);
  accessibility.push(...(await accessibilityProblems(page)));
  if (name) await screenshot(page, `${name}-1280`);
  await page.setViewportSize({ width: 375, height: 800 });
  accessibility.push(...(await accessibilityProblems(page)));
  if (name) await screenshot(page, `${name}-375`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

const cohortOf = async (learnerId: string) => {
  const cohorts = (await http('identity').get(`/schools/${SCHOOL}/cohorts`, admin)).body.cohorts as { cohortId: string; learners: { userId: string; status: string }[] }[];
  return cohorts.flatMap((c) => c.learners.filter((l) => l.userId === learnerId).map((l) => `${c.cohortId}:${l.status}`));
};
const rolesOf = async (userId: string) =>
  ((await http('identity').get(`/schools/${SCHOOL}/users`, admin)).body.members as { userId: string; roles: string[] }[]).find((m) => m.userId === userId)?.roles;

beforeAll(async () => {
  const webRoot = ensureWebBuilt();
  const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION, KEY_ACTIVATION_SECONDS: '0', NOTIFY_CHANNEL: 'log' };
  services['identity'] = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: email('admin'), BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  env['AUTH_JWKS_URL'] = `${services['identity'].url}/.well-known/jwks.json`;
  for (const s of await Promise.all(['coaching', 'feedback', 'analytics'].map((name) => startServiceProcess(name, env)))) services[s.name] = s;
  origin = await startWebOrigin(
    { identity: services['identity'].url, coaching: services['coaching'].url, feedback: services['feedback'].url, analytics: services['analytics'].url },
    { port: await freePort(), webRoot },
  );
  web = origin.url.replace(/\/$/, '');

  admin = { token: (await http('identity').post('/auth/login', undefined, { email: email('admin'), password: PASSWORD })).body.accessToken, schoolId: SCHOOL };
  expect((await http('identity').post('/schools', admin, { schoolId: SCHOOL, name: 'School of Medicine' })).status).toBe(201);
  expect((await http('identity').post(`/schools/${SCHOOL}/cohorts`, admin, { cohortId: 'c2028', program: 'MD', graduationYear: 2028 })).status).toBe(201);
  const people: [string, string, string][] = [['lena', 'learner', 'Lena Learner'], ['liam', 'learner', 'Liam Learner'], ['cora', 'coach', 'Cora Coach'], ['sam', 'school-admin', 'Sam Admin']];
  for (const [userId, role, displayName] of people) {
    expect((await http('identity').post(`/schools/${SCHOOL}/users`, admin, { userId, email: email(userId), displayName, role, password: PASSWORD })).status).toBe(201);
  }
  for (const learnerId of ['lena', 'liam']) expect((await http('identity').post(`/users/${learnerId}/enrollment`, admin, { schoolId: SCHOOL, cohortId: 'c2028' })).status).toBe(201);
  await waitFor(async () => expect(await cohortOf('liam')).toEqual(['c2028:enrolled']), { timeoutMs: 60_000 });
  browser = await launchBrowser();
}, 300_000);

afterAll(() => endJourney('admin journeys', started, { browser, origin, services, namespace }));

describe('the admins\' pages in the browser', () => {
  it('a school admin registers a person, grants a role and revokes it (confirmed), and withdraws a learner with a reason from the cohort page', async () => {
    const { page, problems } = await openPage(browser, web);
    await signIn(page, web, email('sam'), PASSWORD, '/school-admin');
    await page.waitForURL(`${web}/school-admin`);
    await checked(page, 'admin-school-people');

    // the browser takes "nia@localhost" as an e-mail; identity does not: its message shows at the field
    const register = page.getByRole('form', { name: 'Register a person' });
    await register.getByLabel('Name').fill('Nia New');
    await register.getByLabel('E-mail').fill('nia@localhost');
    await register.getByLabel('Role').selectOption('coach');
    await register.getByRole('button', { name: 'Register' }).click();
    await register.locator('.field-error', { hasText: 'email must be an email' }).waitFor();
    expect(await register.getByLabel('E-mail').getAttribute('aria-invalid')).toBe('true');
    await register.getByLabel('E-mail').fill(email('nia'));
    await register.getByRole('button', { name: 'Register' }).click();
    await register.getByRole('status').filter({ hasText: /^Registered / }).waitFor();
    await page.getByRole('link', { name: 'Nia New' }).waitFor({ timeout: 30_000 });

    await page.getByRole('link', { name: 'Cora Coach' }).click();
    await page.waitForURL(`${web}/school-admin/people/cora`);
    await checked(page, 'admin-school-person');
    await page.getByLabel('Role to grant').selectOption('coaching-lead');
    await page.getByRole('button', { name: 'Grant', exact: true }).click();
    const revokeLead = page.getByRole('button', { name: 'Revoke coaching-lead' });
    await revokeLead.waitFor({ timeout: 30_000 });
    expect(await rolesOf('cora')).toEqual(['coach', 'coaching-lead']);

    // the revocation asks first: Escape cancels and changes nothing
    await revokeLead.click();
    const confirm = page.getByRole('dialog', { name: 'Revoke the role coaching-lead from Cora Coach?' });
    await confirm.waitFor();
    accessibility.push(...(await accessibilityProblems(page)));
    await screenshot(page, 'admin-school-confirm-revoke');
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Revoke coaching-lead');
    expect(await rolesOf('cora')).toEqual(['coach', 'coaching-lead']);
    await revokeLead.click();
    await confirm.getByRole('button', { name: 'Revoke', exact: true }).click();
    await revokeLead.waitFor({ state: 'detached', timeout: 30_000 });
    expect(await rolesOf('cora')).toEqual(['coach']);

    await page.getByRole('link', { name: 'Records' }).click();
    await page.getByRole('link', { name: 'c2028' }).click();
    await page.waitForURL(`${web}/school-admin/cohorts/c2028`);
    await checked(page, 'admin-school-cohort');
    await page.getByRole('button', { name: 'Withdraw Lena Learner' }).click();
    const withdraw = page.getByRole('dialog', { name: 'Withdraw Lena Learner from c2028?' });
    await withdraw.waitFor();
    // a withdrawal needs its reason (the DTO's rule, checked before anything is sent)
    await withdraw.getByRole('button', { name: 'Withdraw', exact: true }).click();
    expect(await withdraw.getByLabel('Reason for the withdrawal').evaluate((e) => (e as HTMLTextAreaElement).validity.valueMissing)).toBe(true);
    expect(await cohortOf('lena')).toEqual(['c2028:enrolled']);
    await withdraw.getByLabel('Reason for the withdrawal').fill(WITHDRAWAL_REASON);
    accessibility.push(...(await accessibilityProblems(page)));
    await withdraw.getByRole('button', { name: 'Withdraw', exact: true }).click();
    await page.getByRole('row', { name: /Lena Learner withdrawn/ }).waitFor({ timeout: 30_000 });
    expect(await cohortOf('lena')).toEqual(['c2028:withdrawn']);

    // the person page shows the change, and offers to enroll her again
    await page.getByRole('link', { name: 'Lena Learner' }).click();
    await page.getByText('Lena Learner is withdrawn from c2028.').waitFor();
    await page.getByRole('form', { name: 'Enroll Lena Learner' }).waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
    await page.waitForURL(`${web}/school-admin/audit`);
    await checked(page, 'admin-school-audit');
    await page.getByLabel('Find a learner').fill('lena');
    await page.getByRole('link', { name: 'Lena Learner' }).click();
    await page.waitForURL(`${web}/school-admin/learners/lena`);
    await page.getByRole('heading', { name: 'History of lena' }).waitFor();
    await page.getByText(/^\d+ events/).waitFor();
    await checked(page);
    expect(problems).toEqual([]);
  });

  it('the institution admin sees dead-letter counts beside the read models (the Rebuild column on screen at 375 px), creates a school and opens a learner\'s audit view', async () => {
    const kafka = new Kafka({ clientId: 'webadmin', brokers: testServers().kafkaBrokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: eventsTopic(namespace, 'feedback'), messages: [{ key: 'poison', value: 'not json at all' }] });
    await producer.disconnect();
    await waitFor(async () => {
      const letters = (await http('analytics').get('/admin/dead-letters', admin)).body.deadLetters as { name: string; count: number }[];
      expect(letters.find((d) => d.name === `${namespace}.analytics.dlq`)?.count).toBe(1);
    }, { timeoutMs: 60_000 });
    // dead letters and the school list are the institution admin's
    const sam = { token: (await http('identity').post('/auth/login', undefined, { email: email('sam'), password: PASSWORD })).body.accessToken };
    expect((await http('analytics').get('/admin/dead-letters', sam)).status).toBe(403);
    expect((await http('identity').get('/schools', sam)).status).toBe(403);

    const { page, problems } = await openPage(browser, web);
    await signIn(page, web, email('admin'), PASSWORD, '/institution');
    await page.waitForURL(`${web}/institution`);
    await settled(page);
    const analytics = page.locator('.card', { has: page.getByRole('heading', { name: 'analytics', exact: true }) });
    await analytics.getByText(`${namespace}.analytics.dlq`).waitFor({ timeout: 30_000 });
    expect(await analytics.locator('.dead-letters .badge').first().textContent()).toBe('1');
    await analytics.getByText('not an event — message value is not JSON').waitFor();
    const identity = page.locator('.card', { has: page.getByRole('heading', { name: 'identity', exact: true }) });
    await identity.getByText('No dead letters').waitFor();
    await checked(page, 'admin-institution-operations');
    await page.setViewportSize({ width: 375, height: 800 });
    const rebuild = await page.getByRole('button', { name: 'Rebuild analytics school-activity' }).boundingBox();
    expect(rebuild && rebuild.x + rebuild.width).toBeLessThanOrEqual(375);
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Schools', exact: true }).click();
    await page.waitForURL(`${web}/institution/schools`);
    await page.getByRole('cell', { name: 'School of Medicine', exact: true }).waitFor();
    const create = page.getByRole('form', { name: 'Create a school' });
    await create.getByLabel('School id').fill('nursing');
    await create.getByLabel('Name').fill('School of Nursing');
    await create.getByRole('button', { name: 'Create school' }).click();
    await page.getByRole('cell', { name: 'School of Nursing', exact: true }).waitFor({ timeout: 30_000 });
    // the same school again: identity's refusal, as it says it
    await create.getByLabel('School id').fill('nursing');
    await create.getByLabel('Name').fill('Nursing again');
    await create.getByRole('button', { name: 'Create school' }).click();
    await create.getByRole('alert').filter({ hasText: 'school nursing already exists' }).waitFor();
    await checked(page, 'admin-institution-schools');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
    await page.waitForURL(`${web}/institution/audit`);
    await page.getByLabel('School').selectOption(SCHOOL);
    await page.getByLabel('Find a learner').fill('Lena');
    await page.getByText('1 of 2 learners.').waitFor();
    await checked(page, 'admin-institution-audit');
    await page.getByRole('link', { name: 'Lena Learner' }).click();
    await page.waitForURL(`${web}/institution/audit/${SCHOOL}/learners/lena`);
    await page.getByRole('heading', { name: 'History of lena' }).waitFor();
    // read in her school: the timeline answers (from "*" it would be the not-found answer), her enrollment in it
    await waitFor(async () => {
      await page.reload();
      await page.getByText(/^[1-9]\d* events/).waitFor({ timeout: 5_000 });
      await page.locator('.timeline .badge', { hasText: 'enrollment' }).first().waitFor({ timeout: 5_000 });
    }, { timeoutMs: 60_000 });
    await checked(page, 'admin-institution-learner-history');
    expect(problems).toEqual([]);
    expect(accessibility).toEqual([]);
  });
});
