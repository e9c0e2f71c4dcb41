import { Actor, httpClient, RunningService, startServiceProcess, startWebOrigin, uniqueName, waitFor } from '@cbme/testing';
import { Browser, Page } from 'playwright-core';
import { accessibilityProblems, beyondViewport, endJourney, ensureWebBuilt, launchBrowser, openPage, screenshot, settled, signIn } from '@cbme/testing/browser';

/**
 * The coaching lead's pages in Debian's Chromium, through nginx, against identity and coaching as real processes
 * (the lead's pages call no other service). People are set up through the API; the lead works in the browser.
 */
const namespace = uniqueName('web-lead');
const INSTITUTION = 'inst-web-lead';
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const email = (userId: string) => `${userId}@inst-web-lead.edu`;
const OVERRIDE_REASON = 'Continuity from her ward rotation';

const services: Record<string, RunningService> = {};
let origin: { url: string; stop(): Promise<void> };
let web: string;
let browser: Browser;
let lead: Actor;
const http = (name: string) => httpClient(services[name].url);
const accessibility: string[] = [];
const started = Date.now();

async function checked(page: Page, name?: string) {
  await settled(page);
  accessibility.push(...(await accessibilityProblems(page)));
  if (name) await screenshot(page, name);
}

beforeAll(async () => {
  const webRoot = ensureWebBuilt();
  const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION, KEY_ACTIVATION_SECONDS: '0', NOTIFY_CHANNEL: 'log' };
  services['identity'] = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: email('admin'), BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  services['coaching'] = await startServiceProcess('coaching', { ...env, AUTH_JWKS_URL: `${services['identity'].url}/.well-known/jwks.json` });
  // feedback and analytics are not started: a call the lead's pages made to them would show as a failed request
  const absent = 'http://127.0.0.1:9';
  origin = await startWebOrigin({ identity: services['identity'].url, coaching: services['coaching'].url, feedback: absent, analytics: absent }, { webRoot });
  web = origin.url.replace(/\/$/, '');

  const admin = { token: (await http('identity').post('/auth/login', undefined, { email: email('admin'), password: PASSWORD })).body.accessToken, schoolId: SCHOOL };
  expect((await http('identity').post('/schools', admin, { schoolId: SCHOOL, name: 'Medicine' })).status).toBe(201);
  const people: [string, string, string][] = [
    ['lina', 'learner', 'Lina Learner'], ['luca', 'learner', 'Luca Learner'], ['cleo', 'coach', 'Cleo Coach'], ['cato', 'coach', 'Cato Coach'], ['lou', 'coaching-lead', 'Lou Lead'],
  ];
  for (const [userId, role, displayName] of people) {
    expect((await http('identity').post(`/schools/${SCHOOL}/users`, admin, { userId, email: email(userId), displayName, role, password: PASSWORD })).status).toBe(201);
  }
  lead = { token: (await http('identity').post('/auth/login', undefined, { email: email('lou'), password: PASSWORD })).body.accessToken };
  // Cleo coaches Lina and has room for one only: she is full when the lead opens the roster
  await waitFor(async () => expect((await http('coaching').post('/relationships', lead, { learnerId: 'lina', coachId: 'cleo' })).status).toBe(201), { timeoutMs: 60_000 });
  expect((await http('coaching').put('/coaches/cleo/capacity', lead, { capacity: 1, reason: 'Part-time this term' })).status).toBe(200);
  browser = await launchBrowser();
}, 300_000);

afterAll(() => endJourney('lead journeys', started, { browser, origin, services, namespace }));

describe("the coaching lead's pages", () => {
  it('refuses an assignment to a full coach without a reason, naming the field the refusal is about', async () => {
    const full = await http('coaching').post('/relationships', lead, { learnerId: 'luca', coachId: 'cleo' });
    expect(full).toMatchObject({ status: 422, body: { details: ['capacityOverride: coach cleo is at capacity (1 of 1); a coaching lead may override with a reason'] } });
  });

  it('a lead sees names, assigns a learner to a full coach (the reason asked for at the field, then accepted), and the coach load shows the override and why', async () => {
    const { page, problems } = await openPage(browser, web);
    await signIn(page, web, email('lou'), PASSWORD);
    await page.waitForURL(`${web}/lead`);
    await checked(page, 'lead-roster-1280');

    // names, with the id beside them: unassigned learners, coach load, the relationships
    const row = page.getByRole('form', { name: 'Assign a coach to Luca Learner (luca)' });
    await row.getByText('Luca Learner').waitFor();
    const load = page.getByRole('region', { name: 'Coach load' });
    const cleo = load.locator('tr', { hasText: 'Cleo Coach' });
    expect(await cleo.textContent()).toContain('set by Lou Lead');
    expect(await cleo.textContent()).toContain('Part-time this term');
    await load.locator('tr', { hasText: 'Cato Coach' }).waitFor();
    await page.getByRole('region', { name: 'Coaching relationships' }).locator('tr', { hasText: 'Lina Learner' }).getByText('Cleo Coach').waitFor();

    // the picker shows each coach's load; choosing the full one asks why
    const picker = row.getByLabel('Coach');
    expect(await picker.locator('option').allTextContents()).toEqual(['Cato Coach (cato): 0 of 12', 'Cleo Coach (cleo): 1 of 1, full']);
    await picker.selectOption('cleo');
    const reason = row.getByLabel('Reason for exceeding capacity');
    await reason.waitFor();
    await row.getByRole('button', { name: 'Assign' }).click();
    await row.getByText('coach cleo is at capacity (1 of 1); a coaching lead may override with a reason').waitFor();
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    await checked(page, 'lead-override-refused');

    await reason.fill(OVERRIDE_REASON);
    await row.getByRole('button', { name: 'Assign' }).click();
    // the page refetches as the read model catches up with the command
    await row.waitFor({ state: 'detached', timeout: 60_000 });
    await cleo.getByText(`Luca Learner: “${OVERRIDE_REASON}”`).waitFor({ timeout: 60_000 });
    expect(await cleo.textContent()).toContain('Lou Lead');
    await cleo.getByText('over capacity').waitFor();
    await checked(page);

    // at phone width nothing but the tables scrolls sideways, and axe is still content
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await beyondViewport(page)).toEqual([]);
    await checked(page, 'lead-roster-375');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('pauses and resumes with reasons, and a transfer to a full coach asks for the override', async () => {
    const { page, problems } = await openPage(browser, web);
    await signIn(page, web, email('lou'), PASSWORD);
    await page.waitForURL(`${web}/lead`);
    await settled(page);
    const change = page.getByRole('form', { name: 'Change the coaching of Luca Learner (luca)' });
    await change.getByLabel('Change for Luca Learner (luca)').selectOption('pause');
    await change.getByLabel('Reason', { exact: true }).fill('Parental leave');
    await change.getByRole('button', { name: 'Apply' }).click();
    const luca = page.getByRole('region', { name: 'Coaching relationships' }).locator('tr', { hasText: 'Luca Learner' });
    await luca.getByText('Parental leave').waitFor({ timeout: 60_000 });

    await change.getByLabel('Change for Luca Learner (luca)').selectOption('resume');
    await change.getByLabel('Reason', { exact: true }).fill('Back from leave');
    await change.getByRole('button', { name: 'Apply' }).click();
    await waitFor(async () => expect(await luca.textContent()).toContain('active'), { timeoutMs: 60_000 });
    const resumed = (await http('coaching').get('/learners/luca/coaching', lead)).body;
    expect(resumed.currentCoach).toMatchObject({ coachId: 'cleo', status: 'active' });

    // Cato takes none beyond a capacity of 0: the transfer form asks why, and refuses without it at the field
    expect((await http('coaching').put('/coaches/cato/capacity', lead, { capacity: 0, reason: 'On sabbatical' })).status).toBe(200);
    await page.reload();
    await settled(page);
    await change.getByLabel('Change for Luca Learner (luca)').selectOption('transfer');
    await change.getByRole('combobox', { name: /^to/ }).selectOption('cato');
    await change.getByLabel('Reason', { exact: true }).fill('Cleo is part-time');
    await change.getByRole('button', { name: 'Apply' }).click();
    await change.getByText('coach cato is at capacity (0 of 0); a coaching lead may override with a reason').waitFor();
    await change.getByLabel('Reason for exceeding capacity').fill('Cato asked to keep Luca');
    await change.getByRole('button', { name: 'Apply' }).click();
    await waitFor(async () => expect(await luca.textContent()).toContain('Cato Coach'), { timeoutMs: 60_000 });
    await checked(page);
    expect(problems).toEqual([]);
    expect(accessibility).toEqual([]);
  });
});
