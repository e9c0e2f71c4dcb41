import { Actor, httpClient, RunningService, startServiceProcess, startWebOrigin, uniqueName, waitFor } from '@cbme/testing';
import { Browser, Page } from 'playwright-core';
import { accessibilityProblems, beyondViewport, endJourney, ensureWebBuilt, launchBrowser, openPage, screenshot, settled, signIn } from '@cbme/testing/browser';

/**
 * Coach community sessions in Debian's Chromium, through nginx, against identity and coaching as real processes:
 * the lead schedules a session of a learning community and records it as held with who attended; a coach sees the
 * community's next session and their own attendance; the lead sees participation per coach.
 */
const namespace = uniqueName('web-sessions');
const INSTITUTION = 'inst-web-sessions';
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const email = (userId: string) => `${userId}@inst-web-sessions.edu`;
const COMMUNITY = 'house-osler';

const services: Record<string, RunningService> = {};
let origin: { url: string; stop(): Promise<void> };
let web: string;
let browser: Browser;
let lead: Actor;
let cleo: Actor;
const http = (name: string) => httpClient(services[name].url);
const accessibility: string[] = [];
const started = Date.now();
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

async function checked(page: Page, name?: string) {
  await settled(page);
  accessibility.push(...(await accessibilityProblems(page)));
  if (name) await screenshot(page, name);
}

const login = async (userId: string): Promise<Actor> => ({ token: (await http('identity').post('/auth/login', undefined, { email: email(userId), password: PASSWORD })).body.accessToken });

beforeAll(async () => {
  const webRoot = ensureWebBuilt();
  const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION, KEY_ACTIVATION_SECONDS: '0', NOTIFY_CHANNEL: 'log' };
  services['identity'] = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: email('admin'), BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  services['coaching'] = await startServiceProcess('coaching', { ...env, AUTH_JWKS_URL: `${services['identity'].url}/.well-known/jwks.json` });
  // the pages of this journey call identity and coaching only: a call to another service would show as a failed request
  const absent = 'http://127.0.0.1:9';
  origin = await startWebOrigin({ identity: services['identity'].url, coaching: services['coaching'].url, feedback: absent, analytics: absent }, { webRoot });
  web = origin.url.replace(/\/$/, '');

  const admin = { token: (await http('identity').post('/auth/login', undefined, { email: email('admin'), password: PASSWORD })).body.accessToken, schoolId: SCHOOL };
  expect((await http('identity').post('/schools', admin, { schoolId: SCHOOL, name: 'Medicine' })).status).toBe(201);
  const people: [string, string, string][] = [['cleo', 'coach', 'Cleo Coach'], ['cato', 'coach', 'Cato Coach'], ['lina', 'learner', 'Lina Learner'], ['lou', 'coaching-lead', 'Lou Lead']];
  for (const [userId, role, displayName] of people) {
    expect((await http('identity').post(`/schools/${SCHOOL}/users`, admin, { userId, email: email(userId), displayName, role, password: PASSWORD })).status).toBe(201);
  }
  [lead, cleo] = [await login('lou'), await login('cleo')];
  expect((await http('coaching').post('/communities', lead, { communityId: COMMUNITY, name: 'Osler House' })).status).toBe(201);
  // coaching learns the coaches' roles from identity's events: joining waits until it has
  for (const coachId of ['cleo', 'cato']) {
    await waitFor(async () => expect((await http('coaching').post(`/communities/${COMMUNITY}/coaches`, lead, { coachId })).status).toBe(201), { timeoutMs: 60_000 });
  }
  browser = await launchBrowser();
}, 300_000);

afterAll(() => endJourney('community session journeys', started, { browser, origin, services, namespace }));

describe('community sessions over HTTP', () => {
  it('refuses bad input with JSON 4xx naming the field, and what a role may not do', async () => {
    const sessions = `/communities/${COMMUNITY}/sessions`;
    expect(await http('coaching').post(sessions, lead, { kind: 'party', title: 'x', startsAt: 'soon', durationMinutes: 1 }))
      .toMatchObject({ status: 400, body: { statusCode: 400, details: expect.arrayContaining([expect.stringContaining('kind'), expect.stringContaining('startsAt'), expect.stringContaining('durationMinutes')]) } });
    expect(await http('coaching').post(sessions, lead, { kind: 'coach-meeting', title: 'Past', startsAt: inDays(-1), durationMinutes: 60 }))
      .toMatchObject({ status: 422, body: { details: [expect.stringMatching(/^startsAt: a session cannot be scheduled in the past/)] } });
    const { body: future } = await http('coaching').post(sessions, lead, { kind: 'coach-meeting', title: 'Case review', startsAt: inDays(7), durationMinutes: 60, location: 'Room 4.02' });
    expect(await http('coaching').post(`${sessions}/${future.sessionId}/held`, lead, { topics: ['x'], attendees: [] }))
      .toMatchObject({ status: 422, body: { message: expect.stringContaining('before it starts') } });
    expect((await http('coaching').post(sessions, cleo, { kind: 'coach-meeting', title: 'Mine', startsAt: inDays(7), durationMinutes: 60 })).status).toBe(403);
    expect((await http('coaching').post(`${sessions}/nope/cancel`, lead, { reason: 'x' })).status).toBe(404);
    expect((await http('coaching').get('/communities/participation?from=2027-01-01T00:00:00.000Z&to=2026-01-01T00:00:00.000Z', lead)))
      .toMatchObject({ status: 422, body: { details: ['from: the period must start before it ends'] } });
    expect((await http('coaching').get('/coaches/me/sessions', lead)).status).toBe(403);
    expect((await http('coaching').get(`${sessions}`, await login('lina'))).status).toBe(403);
  });
});

describe('community sessions in the workspace', () => {
  it('the lead schedules a session, records it as held with who attended; the coach sees it and their attendance; the lead sees participation', async () => {
    const { page, problems } = await openPage(browser, web);
    await signIn(page, web, email('lou'), PASSWORD);
    await page.waitForURL(`${web}/lead`);
    await settled(page);
    await page.getByRole('link', { name: 'Sessions of Osler House' }).click();
    await page.waitForURL(`${web}/lead/communities/${COMMUNITY}`);
    await page.getByRole('heading', { name: 'Osler House: sessions' }).waitFor();
    await checked(page, 'sessions-lead-1280');

    // a session at the next whole minute at least 20 s away (the picker has minutes), in the browser's own time zone
    const { local, startsAt } = await page.evaluate(() => {
      const at = new Date(Date.now() + 20_000);
      at.setSeconds(0, 0);
      at.setMinutes(at.getMinutes() + 1);
      const pad = (n: number) => String(n).padStart(2, '0');
      return { local: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`, startsAt: at.toISOString() };
    });
    const schedule = page.getByRole('form', { name: 'Schedule a session' });
    await schedule.getByLabel('Kind').selectOption('faculty-development');
    await schedule.getByLabel('Title').fill('Feedback that lands');
    await schedule.getByLabel('Date and time').fill(local);
    await schedule.getByLabel('Minutes').fill('45');
    await schedule.getByLabel('Where (optional)').fill('Room 4.02');
    await schedule.getByRole('button', { name: 'Schedule' }).click();
    const card = page.locator('li.card', { hasText: 'Feedback that lands' });
    await card.locator('strong', { hasText: 'scheduled' }).waitFor({ timeout: 60_000 });

    // once it has started, the lead records it: topics, and a checklist of the members
    await waitFor(async () => expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(startsAt)), { timeoutMs: 120_000 });
    await page.reload();
    await settled(page);
    await card.getByRole('button', { name: 'Record as held' }).click();
    const held = page.getByRole('form', { name: 'Record Feedback that lands as held' });
    await held.getByLabel('Topics').fill('Feedback models\nInclusive language');
    await held.getByRole('checkbox', { name: 'Cleo Coach' }).check();
    expect(await held.getByRole('checkbox', { name: 'Cato Coach' }).isChecked()).toBe(false);
    await checked(page, 'sessions-lead-record-held');
    await held.getByRole('button', { name: 'Record as held' }).click();
    await card.locator('strong', { hasText: /^held$/ }).waitFor({ timeout: 60_000 });
    expect(await card.textContent()).toContain('Topics: Feedback models, Inclusive language');
    expect(await card.textContent()).toContain('Attended: Cleo Coach · Absent: Cato Coach');
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await beyondViewport(page)).toEqual([]);
    await checked(page, 'sessions-lead-375');

    // participation per coach on the lead's roster page
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('link', { name: '← Roster' }).click();
    await settled(page);
    const participation = page.getByRole('region', { name: 'Participation per coach' });
    await waitFor(async () => expect(await participation.locator('tr', { hasText: 'Cleo Coach' }).textContent()).toContain('1 of 1 (100%)'), { timeoutMs: 60_000 });
    expect(await participation.locator('tr', { hasText: 'Cato Coach' }).textContent()).toContain('0 of 1 (0%)');
    await checked(page, 'sessions-participation');
    expect(problems).toEqual([]);
    await page.context().close();

    // the coach: the community's next session (the one scheduled over HTTP above) and their own attendance
    const coach = await openPage(browser, web, 375);
    await signIn(coach.page, web, email('cleo'), PASSWORD, '/coach/community');
    await coach.page.getByRole('heading', { name: 'My community' }).waitFor();
    await settled(coach.page);
    await coach.page.getByText('You belong to Osler House.').waitFor();
    const next = coach.page.getByRole('region', { name: 'Next sessions' });
    await next.getByText('Case review').waitFor();
    expect(await next.textContent()).toContain('Room 4.02');
    const attendance = coach.page.getByRole('region', { name: 'Attendance per session' }).locator('tr', { hasText: 'Feedback that lands' });
    expect(await attendance.textContent()).toContain('Yes');
    await coach.page.getByText('Sessions attended while you were a member: 1 of 1 (100%).').waitFor();
    expect(await beyondViewport(coach.page)).toEqual([]);
    await checked(coach.page, 'sessions-coach-375');
    await coach.page.setViewportSize({ width: 1280, height: 900 });
    await checked(coach.page, 'sessions-coach-1280');
    expect(coach.problems).toEqual([]);
    await coach.page.context().close();
    expect(accessibility).toEqual([]);
  }, 300_000);
});
