import { Actor, dropServiceDatabases, httpClient, RunningService, startServiceProcess, startWebOrigin, uniqueName, waitFor } from '@cbme/testing';
import { accessibilityProblems, ensureWebBuilt, launchBrowser, openPage, screenshot, settled, signIn } from '@cbme/testing/browser';
import { Browser, Page } from 'playwright-core';

/**
 * Frameworks that change: a school admin publishes version 2 of the school's EPAs with a crosswalk in the browser
 * (first with a bad line, shown at its line), a learner's version-1 evidence reads under the version-2 codes on
 * their pages and in analytics, the code left without a mapping is reported, and the stored events never change.
 */
const namespace = uniqueName('xwalk');
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const email = (userId: string) => `${userId}@inst-xwalk.edu`;
const services: Record<string, RunningService> = {};
const http = (name: string) => httpClient(services[name].url);
let origin: { url: string; stop(): Promise<void> };
let web: string;
let browser: Browser;
let admin: Actor;
const as: Record<string, Actor> = {};
const accessibility: string[] = [];

async function checked(page: Page, name: string) {
  await settled(page);
  accessibility.push(...(await accessibilityProblems(page)));
  await screenshot(page, name);
}

const V1 = [['EPA-A', 'Gather a history'], ['EPA-B', 'Examine'], ['EPA-C', 'Hand over care'], ['EPA-D', 'Obtain consent']];
const V2 = 'EPA-AB,Gather a history and examine\nEPA-C1,Give a handover\nEPA-C2,Receive a handover';

beforeAll(async () => {
  const webRoot = ensureWebBuilt();
  const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: 'inst-xwalk', KEY_ACTIVATION_SECONDS: '0', NOTIFY_CHANNEL: 'log' };
  services['identity'] = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: email('admin'), BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  env['AUTH_JWKS_URL'] = `${services['identity'].url}/.well-known/jwks.json`;
  for (const s of await Promise.all(['coaching', 'feedback', 'analytics'].map((name) => startServiceProcess(name, env)))) services[s.name] = s;
  origin = await startWebOrigin(
    { identity: services['identity'].url, coaching: services['coaching'].url, feedback: services['feedback'].url, analytics: services['analytics'].url },
    { webRoot },
  );
  web = origin.url.replace(/\/$/, '');
  admin = { token: (await http('identity').post('/auth/login', undefined, { email: email('admin'), password: PASSWORD })).body.accessToken, schoolId: SCHOOL };
  expect((await http('identity').post('/schools', admin, { schoolId: SCHOOL, name: 'Medicine' })).status).toBe(201);
  for (const [userId, role] of [['ada', 'learner'], ['sam', 'school-admin'], ['kim', 'committee-member']]) {
    expect((await http('identity').post(`/schools/${SCHOOL}/users`, admin, { userId, email: email(userId), displayName: userId, role, password: PASSWORD })).status).toBe(201);
    as[userId] = { token: (await http('identity').post('/auth/login', undefined, { email: email(userId), password: PASSWORD })).body.accessToken };
  }
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await origin?.stop();
  await Promise.all(Object.values(services).map((s) => s.stop()));
  await dropServiceDatabases(namespace, Object.keys(services));
});

/** The learner's events as feedback stores them, from the audit export (the streams themselves, not a read model). */
async function storedEventsOf(learnerId: string) {
  const part = await http('feedback').get(`/learners/${learnerId}/audit-export`, admin);
  expect(part.status).toBe(200);
  return (part.body.streams as { streamId: string; events: { event: { eventId: string; type: string; data: unknown } }[] }[])
    .flatMap((s) => s.events.map((e) => ({ streamId: s.streamId, eventId: e.event.eventId, type: e.event.type, data: e.event.data })))
    .filter((e) => e.type === 'feedback.goal-set' || e.type === 'feedback.self-assessment-recorded');
}

describe('a framework that changes', () => {
  it('admin publishes v2 with a crosswalk; the learner\'s v1 evidence reads under v2 codes; the unmapped code is reported; the events stay as stored', async () => {
    expect((await http('feedback').put('/frameworks/med-epas', as['sam'], { name: 'Medicine EPAs', competencies: V1.map(([code, name]) => ({ code, name })) })).status).toBe(200);
    expect((await http('feedback').post('/goals', as['ada'], { description: 'Take a full history', competencies: ['EPA-A', 'EPA-B'], targetDate: '2099-01-01' })).status).toBe(201);
    expect((await http('feedback').post('/self-assessments', as['ada'], { ratings: [{ competency: 'EPA-A', level: 4 }, { competency: 'EPA-B', level: 2 }, { competency: 'EPA-D', level: 3 }] })).status).toBe(201);
    const before = await storedEventsOf('ada');
    expect(before.map((e) => e.type).sort()).toEqual(['feedback.goal-set', 'feedback.self-assessment-recorded']);

    // the admin's page: a crosswalk with an unknown old code is refused at its line; the fixed one is published
    const { page: adminPage, problems: adminProblems } = await openPage(browser, web);
    await signIn(adminPage, web, email('sam'), PASSWORD, '/school-admin/records');
    const form = adminPage.getByRole('form', { name: 'Publish new version with crosswalk' });
    await form.waitFor();
    await form.locator('#crosswalk-competencies').fill(V2);
    await form.locator('#crosswalk-lines').fill('from,to\nEPA-X,EPA-AB\nEPA-C,EPA-C1;EPA-C2');
    await form.getByRole('button', { name: 'Publish version 2' }).click();
    const bad = form.getByRole('table', { name: 'Crosswalk: lines with problems' });
    await bad.waitFor();
    expect(await bad.locator('tbody tr').allInnerTexts()).toEqual([expect.stringMatching(/^2\s+old code EPA-X is not a code of this framework/)]);
    await checked(adminPage, 'crosswalk-admin-422-1280');
    await form.locator('#crosswalk-lines').fill('from,to\nEPA-A,EPA-AB\nEPA-B,EPA-AB\nEPA-C,EPA-C1;EPA-C2');
    await form.getByRole('button', { name: 'Publish version 2' }).click();
    await form.getByRole('status').filter({ hasText: 'Version 2 published with 3 mappings; without a mapping: EPA-D' }).waitFor();
    // the report reads the timeline's read model, a moment behind the command
    await waitFor(async () => {
      await adminPage.reload();
      await adminPage.getByRole('table', { name: 'Codes with evidence and no mapping' }).getByRole('row', { name: /EPA-D/ }).waitFor({ timeout: 2_000 });
    }, { timeoutMs: 30_000 });
    await checked(adminPage, 'crosswalk-admin-1280');
    await adminPage.setViewportSize({ width: 375, height: 800 });
    await checked(adminPage, 'crosswalk-admin-375');
    expect(adminProblems).toEqual([]);

    const report = await http('feedback').get('/frameworks/med-epas/unmapped', as['sam']);
    expect(report.body).toEqual({ frameworkId: 'med-epas', version: 2, codes: [{ code: 'EPA-D', items: { assessment: 1 }, learners: 1, total: 1 }] });
    expect((await http('feedback').get('/frameworks/med-epas/unmapped', as['ada'])).status).toBe(403);
    const goals = await http('feedback').get('/learners/ada/goals?framework=med-epas&frameworkVersion=2', as['ada']);
    expect(goals.body).toMatchObject({ goals: [{ competencies: ['EPA-AB'], recordedCompetencies: ['EPA-A', 'EPA-B'] }], frameworkVersion: { frameworkId: 'med-epas', version: 2, unmapped: [] } });
    expect((await http('feedback').get('/learners/ada/goals?framework=med-epas&frameworkVersion=3', as['ada'])).status).toBe(422);
    expect((await http('feedback').get('/learners/ada/goals?frameworkVersion=2', as['ada'])).status).toBe(400);

    // the learner's page under version 2: EPA-A (4) and EPA-B (2) merged into EPA-AB read as the lower rating
    const { page: learnerPage, problems: learnerProblems } = await openPage(browser, web);
    await signIn(learnerPage, web, email('ada'), PASSWORD, '/learner/self-assessment');
    await learnerPage.getByLabel('Framework version').selectOption({ label: 'Medicine EPAs, version 2 (current)' });
    const ratings = learnerPage.getByRole('table', { name: 'Ratings and results for EPA-AB' });
    await ratings.locator('tbody tr').first().waitFor();
    expect(await ratings.locator('tbody tr td').nth(1).innerText()).toBe('2');
    await learnerPage.getByRole('note').filter({ hasText: 'No crosswalk maps EPA-D onto version 2' }).waitFor();
    await checked(learnerPage, 'crosswalk-learner-1280');
    await learnerPage.setViewportSize({ width: 375, height: 800 });
    await checked(learnerPage, 'crosswalk-learner-375');
    expect(learnerProblems).toEqual([]);

    // analytics learned the crosswalk from feedback's published event and counts the goal under EPA-AB
    await waitFor(async () => {
      const analytics = await http('analytics').get(`/schools/${SCHOOL}/analytics?framework=med-epas&frameworkVersion=2`, as['kim']);
      expect(analytics.status).toBe(200);
      expect(analytics.body.competencies).toEqual(['EPA-AB']);
      expect(analytics.body.frameworkVersion).toEqual({ frameworkId: 'med-epas', version: 2, unmapped: [] });
    }, { timeoutMs: 90_000 });
    const { page: committeePage, problems: committeeProblems } = await openPage(browser, web);
    await signIn(committeePage, web, email('kim'), PASSWORD, '/committee');
    await committeePage.getByLabel('Framework version').selectOption({ label: 'Medicine EPAs, version 2 (current)' });
    await committeePage.getByRole('combobox', { name: 'Competency' }).getByRole('option', { name: 'EPA-AB' }).waitFor({ state: 'attached' });
    await checked(committeePage, 'crosswalk-committee-1280');
    await committeePage.setViewportSize({ width: 375, height: 800 });
    await checked(committeePage, 'crosswalk-committee-375');
    expect(committeeProblems).toEqual([]);

    // the events as stored are the same events, with the codes they were recorded with
    expect(await storedEventsOf('ada')).toEqual(before);
    expect(before.find((e) => e.type === 'feedback.goal-set')?.data).toMatchObject({ competencies: ['EPA-A', 'EPA-B'] });
    expect(accessibility).toEqual([]);
  }, 600_000);
});
