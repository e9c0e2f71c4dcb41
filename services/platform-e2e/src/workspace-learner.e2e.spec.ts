import {
  freePort, httpClient, RunningService, startServiceProcess, startWebOrigin, uniqueName, waitFor,
} from '@cbme/testing';
import { Browser, Page } from 'playwright-core';
import { accessibilityProblems, endJourney, ensureWebBuilt, launchBrowser, openPage, screenshot, settled, signIn } from '@cbme/testing/browser';

/**
 * The learner's pages in Debian's Chromium, through nginx, against identity, coaching and feedback as real processes
 * and the real servers: goals linked to dialogues (seen from both sides), two entries written in quick succession,
 * the reflections list, action items marked done. Every page visited is checked with axe.
 */
const namespace = uniqueName('web-learner');
const INSTITUTION = 'inst-web-learner';
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const email = (userId: string) => `${userId}@inst-web-learner.edu`;
const TOPIC = 'Handover on the night shift';
const FIRST = 'I rushed the background; next time I read the chart first';
const SECOND = 'Writing the plan down before calling the registrar helped';
const GOAL = 'Hand over every patient with SBAR';
const ACTION = 'Practise SBAR with the charge nurse';

const services: Record<string, RunningService> = {};
let origin: { url: string; stop(): Promise<void> };
let web: string;
let browser: Browser;
const http = (name: string) => httpClient(services[name].url);
const accessibility: string[] = [];
const started = Date.now();

/** axe on the page as it stands; with a name, screenshots at 1280 and 375 px. */
async function checked(page: Page, name?: string) {
  await settled(page);
  accessibility.push(...(await accessibilityProblems(page)));
  if (!name) return;
  await screenshot(page, `${name}-1280`);
  await page.setViewportSize({ width: 375, height: 800 });
  accessibility.push(...(await accessibilityProblems(page)));
  await screenshot(page, `${name}-375`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** A read model catches up within moments: reload until the page shows it. */
async function eventually(page: Page, locate: () => ReturnType<Page['getByText']>) {
  await waitFor(async () => {
    await page.reload();
    await settled(page);
    await locate().first().waitFor({ timeout: 3_000 });
  }, { timeoutMs: 60_000 });
}

beforeAll(async () => {
  const webRoot = ensureWebBuilt();
  const webPort = await freePort();
  const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION, KEY_ACTIVATION_SECONDS: '0', NOTIFY_CHANNEL: 'log' };
  services['identity'] = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: email('admin'), BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  env['AUTH_JWKS_URL'] = `${services['identity'].url}/.well-known/jwks.json`;
  for (const s of await Promise.all(['coaching', 'feedback'].map((name) => startServiceProcess(name, env)))) services[s.name] = s;
  // the learner's pages call no analytics: that upstream is left pointing at feedback
  const upstreams = { identity: services['identity'].url, coaching: services['coaching'].url, feedback: services['feedback'].url, analytics: services['feedback'].url };
  origin = await startWebOrigin(upstreams, { port: webPort, webRoot });
  web = origin.url.replace(/\/$/, '');

  const admin = { token: (await http('identity').post('/auth/login', undefined, { email: email('admin'), password: PASSWORD })).body.accessToken, schoolId: SCHOOL };
  expect((await http('identity').post('/schools', admin, { schoolId: SCHOOL, name: 'Medicine' })).status).toBe(201);
  expect((await http('identity').post(`/schools/${SCHOOL}/cohorts`, admin, { cohortId: 'c2028', program: 'MD', graduationYear: 2028 })).status).toBe(201);
  for (const [userId, role, displayName] of [['lena', 'learner', 'Lena Learner'], ['cora', 'coach', 'Cora Coach'], ['lee', 'coaching-lead', 'Lee Lead']]) {
    expect((await http('identity').post(`/schools/${SCHOOL}/users`, admin, { userId, email: email(userId), displayName, role, password: PASSWORD })).status).toBe(201);
  }
  expect((await http('identity').post('/users/lena/enrollment', admin, { schoolId: SCHOOL, cohortId: 'c2028' })).status).toBe(201);
  const lead = { token: (await http('identity').post('/auth/login', undefined, { email: email('lee'), password: PASSWORD })).body.accessToken };
  await waitFor(async () => expect((await http('coaching').post('/relationships', lead, { learnerId: 'lena', coachId: 'cora' })).status).toBe(201), { timeoutMs: 60_000 });
  // the feedback service learns who coaches Lena from coaching's events: a dialogue is opened only then
  const lena = { token: (await http('identity').post('/auth/login', undefined, { email: email('lena'), password: PASSWORD })).body.accessToken };
  await waitFor(async () => expect((await http('feedback').get('/learners/lena/dialogues', lena)).status).toBe(200), { timeoutMs: 60_000 });
  browser = await launchBrowser();
}, 300_000);

afterAll(() => endJourney('learner journey', started, { browser, origin, services, namespace }));

describe('the learner\'s pages in the browser', () => {
  it('links a goal to a dialogue and sees it both ways, writes two entries in quick succession, lists reflections, marks an action item done', async () => {
    const { page, problems } = await openPage(browser, web);
    await signIn(page, web, email('lena'), PASSWORD, '/learner/dialogues');
    await page.waitForURL(`${web}/learner/dialogues`);
    await page.getByLabel('Topic').fill(TOPIC);
    await page.getByLabel('Competencies').fill('ICS');
    await waitFor(async () => {
      await page.getByRole('button', { name: 'Open dialogue' }).click();
      await page.waitForURL(/\/learner\/dialogues\/[0-9a-f-]{36}$/, { timeout: 5_000 });
    }, { timeoutMs: 60_000 });
    const dialogueUrl = page.url();
    await settled(page);

    // two reflections, the second typed and sent while the first is still being saved (the controlled form keeps it)
    const entry = page.getByLabel('Entry', { exact: true });
    await page.getByLabel('This is a reflection').check();
    await entry.fill(FIRST);
    await page.getByRole('button', { name: 'Add entry' }).click();
    await entry.fill(SECOND);
    await page.getByRole('button', { name: 'Add entry' }).click();
    await page.locator('ol.entries').getByText(SECOND).waitFor();
    await page.locator('ol.entries').getByText(FIRST).waitFor();
    expect(await page.getByText('Write something first').count()).toBe(0);
    await waitFor(async () => expect(await entry.inputValue()).toBe(''), { timeoutMs: 10_000 });

    // an action item for the learner
    await page.getByLabel('Action', { exact: true }).fill(ACTION);
    await page.getByRole('button', { name: 'Add action item' }).click();
    await page.getByRole('button', { name: `Mark done: ${ACTION}` }).waitFor();
    await checked(page, 'learner-dialogue-entries');

    // the home page lists it as open (the dialogue list, a read model, catches up within moments)
    await page.goto(`${web}/learner`);
    const openItems = page.getByRole('region', { name: 'Open action items' });
    await eventually(page, () => openItems.getByText(ACTION));
    await openItems.getByRole('link', { name: TOPIC }).waitFor();
    await checked(page, 'learner-home-actions');

    // a goal, linked to the dialogue from its page
    await page.getByRole('link', { name: 'Goals' }).click();
    await page.getByLabel('Goal', { exact: true }).fill(GOAL);
    await page.getByLabel('Target date').fill('2030-06-30');
    await page.getByRole('button', { name: 'Set goal' }).click();
    await page.getByRole('link', { name: GOAL }).click();
    await settled(page);
    const links = page.getByRole('region', { name: 'Linked dialogues and results' });
    await links.getByText('Not linked to a dialogue or a result.').waitFor();
    await page.getByLabel('Dialogue or result').selectOption({ label: TOPIC });
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    await links.getByRole('link', { name: TOPIC }).waitFor();
    await checked(page, 'learner-goal-links');

    // the other way: the dialogue shows the goal linked to it (from the goal list, a read model)
    await links.getByRole('link', { name: TOPIC }).click();
    await page.waitForURL(dialogueUrl);
    const linkedGoals = page.getByRole('region', { name: 'Goals linked to this dialogue' });
    await eventually(page, () => linkedGoals.getByRole('link', { name: GOAL }));
    await checked(page);

    // the action item done: it leaves the home page's open items
    await page.getByRole('button', { name: `Mark done: ${ACTION}` }).click();
    await page.getByLabel('What came of it').fill('Three handovers with the charge nurse, SBAR each time');
    await page.getByRole('button', { name: 'Mark done', exact: true }).click();
    await page.locator('.badge', { hasText: /^done / }).waitFor();
    await page.goto(`${web}/learner`);
    await eventually(page, () => page.getByRole('region', { name: 'Open action items' }).getByText('No open action items.'));

    // the reflections, newest first, each linking to its dialogue
    await page.goto(`${web}/learner/dialogues`);
    const reflections = page.getByRole('region', { name: 'My reflections' });
    await reflections.getByText(SECOND).waitFor();
    expect(await reflections.locator('li .text').allTextContents()).toEqual([SECOND, FIRST]);
    expect(await reflections.getByRole('link', { name: TOPIC }).count()).toBe(2);
    await checked(page, 'learner-reflections');
    await reflections.getByRole('link', { name: TOPIC }).first().click();
    await page.waitForURL(dialogueUrl);

    // the link taken back: gone from the goal page, and from the dialogue's page once the list catches up
    await linkedGoals.getByRole('link', { name: GOAL }).click();
    await settled(page);
    await page.getByRole('button', { name: `Remove the link to ${TOPIC}` }).click();
    await links.getByText('Not linked to a dialogue or a result.').waitFor();
    await page.goto(dialogueUrl);
    await eventually(page, () => linkedGoals.getByText('No goal is linked to this dialogue.'));

    expect(problems).toEqual([]);
    expect(accessibility).toEqual([]);
  }, 300_000);
});
