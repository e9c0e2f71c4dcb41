import { Actor, freePort, httpClient, RunningService, startServiceProcess, startWebOrigin, uniqueName, waitFor } from '@cbme/testing';
import { checkPage, endJourney, ensureWebBuilt, launchBrowser, openPage, settled, signIn } from '@cbme/testing/browser';
import type { Browser, Page } from 'playwright-core';

/**
 * The institution admin's Retention page (issue 16; README, "Erasure") in Debian's Chromium, through nginx, against
 * identity as a real process (the page asks no other service): sets a school's policy, sweeps as of a date after
 * it, dismisses one proposal with a reason and a keep-until date, and erases the other learner with the erasure's
 * own confirm dialog. Checked with axe at 1280 and 375 px, dialogs open included.
 */
const namespace = uniqueName('webretention');
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const email = (userId: string) => `${userId}@inst-retention.edu`;
const NOWHERE = 'http://127.0.0.1:1';
const year = new Date().getUTCFullYear();

const services: Record<string, RunningService> = {};
let origin: { url: string; stop(): Promise<void> } | undefined;
let browser: Browser | undefined;
let admin: Actor;
const started = Date.now();
const http = () => httpClient(services['identity'].url);
const accessibility: string[] = [];

const checked = (page: Page, name: string) => checkPage(page, accessibility, name);

beforeAll(async () => {
  const webRoot = ensureWebBuilt();
  services['identity'] = await startServiceProcess('identity', { CBME_NAMESPACE: namespace, INSTITUTION_ID: 'inst-retention', BOOTSTRAP_ADMIN_EMAIL: email('admin'), BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  origin = await startWebOrigin({ identity: services['identity'].url, coaching: NOWHERE, feedback: NOWHERE, analytics: NOWHERE }, { port: await freePort(), webRoot });
  admin = { token: (await http().post('/auth/login', undefined, { email: email('admin'), password: PASSWORD })).body.accessToken };
  expect((await http().post('/schools', admin, { schoolId: SCHOOL, name: 'School of Medicine' })).status).toBe(201);
  expect((await http().post(`/schools/${SCHOOL}/cohorts`, admin, { cohortId: 'md-2030', program: 'MD', graduationYear: 2030 })).status).toBe(201);
  for (const [userId, displayName] of [['lea-1', 'Lea Novak'], ['max-1', 'Max Roe']]) {
    expect((await http().post(`/schools/${SCHOOL}/users`, admin, { userId, email: email(userId), displayName, role: 'learner' })).status).toBe(201);
    expect((await http().post(`/users/${userId}/enrollment`, admin, { schoolId: SCHOOL, cohortId: 'md-2030' })).status).toBe(201);
    expect((await http().post(`/users/${userId}/graduation`, admin, { schoolId: SCHOOL })).status).toBe(201);
  }
  browser = await launchBrowser();
}, 300_000);

afterAll(() => endJourney('retention', started, { browser, origin, services, namespace }));

describe('the Retention page', () => {
  it('sets a policy, sweeps as of a later date, dismisses one proposal and erases the other learner', async () => {
    if (!browser || !origin) throw new Error('no browser or web origin');
    const web = origin.url.replace(/\/$/, '');
    const { page, problems } = await openPage(browser, web);
    await signIn(page, web, email('admin'), PASSWORD, `/institution/retention?school=${SCHOOL}`);
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Retention' }).getAttribute('aria-current')).resolves.toBe('page');
    await settled(page);
    await page.getByText('No policy yet').waitFor();

    await page.getByLabel('Years after leaving').fill('7');
    await page.getByLabel('Reason', { exact: true }).fill('Student records act, section 4');
    await page.getByRole('button', { name: 'Set the policy' }).click();
    await page.getByText('Personal data is kept 7 years after a learner left: Student records act, section 4').waitFor();

    // the graduations are projected in a moment: sweep (idempotent) until both are proposed
    await waitFor(async () => {
      await page.getByLabel('As of').fill(`${year + 8}-01-01`);
      await page.getByRole('button', { name: 'Propose what is due' }).click();
      await page.getByRole('status').filter({ hasText: /as of/ }).waitFor();
      expect(await page.getByRole('region', { name: 'Erasure proposals' }).getByRole('row').count()).toBe(3);
    }, { timeoutMs: 30_000, intervalMs: 500 });
    await checked(page, 'admin-retention');

    const row = (userId: string) => page.getByRole('row').filter({ hasText: userId });
    await row('max-1').getByRole('button', { name: 'Dismiss max-1' }).click();
    const dismiss = page.getByRole('dialog', { name: "Keep max-1's personal data?" });
    await dismiss.getByLabel('Reason').fill('A pending legal claim');
    await dismiss.getByLabel('Keep until').fill(`${year + 10}-01-01`);
    await checked(page, 'admin-retention-dismiss');
    await dismiss.getByRole('button', { name: 'Dismiss the proposal' }).click();
    await row('max-1').getByText(`Kept until ${year + 10}-01-01: A pending legal claim`).waitFor();

    await row('lea-1').getByRole('button', { name: 'Erase lea-1' }).click();
    const erase = page.getByRole('dialog', { name: "Erase lea-1's personal data?" });
    await erase.getByLabel("Type the learner's id to confirm").fill('lea-1');
    await erase.getByRole('button', { name: 'Erase for good' }).click();
    await row('lea-1').getByText('Erased', { exact: true }).waitFor();
    await expect(row('lea-1').textContent()).resolves.toContain('[erased]');
    await checked(page, 'admin-retention-done');

    expect(accessibility).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 240_000);
});
