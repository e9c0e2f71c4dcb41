import {
  Actor, dropServiceDatabases, freePort, httpClient, RunningOidcProvider, RunningService, startOidcProvider, startServiceProcess, startWebOrigin, uniqueName, waitFor,
} from '@cbme/testing';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { accessibilityProblems, ensureWebBuilt, launchBrowser, measureHome, openPage, screenshot, settled, signIn } from '@cbme/testing/browser';

/**
 * The coaching workspace in Debian's Chromium, through nginx (the one origin), against the four services as real
 * processes and the real servers. People do their work in the browser; the test sets up only the school and its
 * people through the API. Every page visited is checked with axe (WCAG 2.1 A/AA: no serious or critical violation).
 */
const namespace = uniqueName('web');
const INSTITUTION = 'inst-web';
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const CLIENT_ID = 'cbme-workspace';
const email = (userId: string) => `${userId}@inst-web.edu`;
const PRIVATE_TEXT = 'Only for me: I froze when the registrar asked';
const SHARED_TEXT = 'I rushed the handover and skipped the background';

const services: Record<string, RunningService> = {};
let provider: RunningOidcProvider;
let origin: { url: string; stop(): Promise<void> };
/** the origin without its trailing slash, so paths read as they do in the browser */
let web: string;
let browser: Browser;
const http = (name: string) => httpClient(services[name].url);
let admin: Actor;
const accessibility: string[] = [];
const timeToInteractive: Record<string, number> = {};
const started = Date.now();

async function checked(page: Page, name?: string) {
  await settled(page);
  accessibility.push(...(await accessibilityProblems(page)));
  if (name) await screenshot(page, name);
}

beforeAll(async () => {
  const webRoot = ensureWebBuilt();
  const webPort = await freePort();
  const callback = `http://127.0.0.1:${webPort}/sso/callback`;
  provider = await startOidcProvider({
    clients: [{ client_id: CLIENT_ID, redirect_uris: [callback], token_endpoint_auth_method: 'none', grant_types: ['authorization_code'], response_types: ['code'] }],
    accounts: { lena: { email: email('lena'), email_verified: true } },
  });
  const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION, KEY_ACTIVATION_SECONDS: '0', NOTIFY_CHANNEL: 'log' };
  services['identity'] = await startServiceProcess('identity', {
    ...env, BOOTSTRAP_ADMIN_EMAIL: email('admin'), BOOTSTRAP_ADMIN_PASSWORD: PASSWORD,
    OIDC_ISSUER_URL: provider.issuer, OIDC_CLIENT_ID: CLIENT_ID, OIDC_REDIRECT_URL: callback,
  });
  env['AUTH_JWKS_URL'] = `${services['identity'].url}/.well-known/jwks.json`;
  for (const s of await Promise.all(['coaching', 'feedback', 'analytics'].map((name) => startServiceProcess(name, env)))) services[s.name] = s;
  origin = await startWebOrigin(
    { identity: services['identity'].url, coaching: services['coaching'].url, feedback: services['feedback'].url, analytics: services['analytics'].url },
    { port: webPort, webRoot },
  );
  web = origin.url.replace(/\/$/, '');

  admin = { token: (await http('identity').post('/auth/login', undefined, { email: email('admin'), password: PASSWORD })).body.accessToken, schoolId: SCHOOL };
  expect((await http('identity').post('/schools', admin, { schoolId: SCHOOL, name: 'Medicine' })).status).toBe(201);
  expect((await http('identity').post(`/schools/${SCHOOL}/cohorts`, admin, { cohortId: 'c2028', program: 'MD', graduationYear: 2028 })).status).toBe(201);
  const people: [string, string, string][] = [
    ['lena', 'learner', 'Lena Learner'], ['liam', 'learner', 'Liam Learner'], ['cora', 'coach', 'Cora Coach'], ['carl', 'coach', 'Carl Coach'],
    ['lee', 'coaching-lead', 'Lee Lead'], ['sam', 'school-admin', 'Sam Admin'], ['kim', 'committee-member', 'Kim Committee'],
  ];
  for (const [userId, role, displayName] of people) {
    expect((await http('identity').post(`/schools/${SCHOOL}/users`, admin, { userId, email: email(userId), displayName, role, password: PASSWORD })).status).toBe(201);
  }
  for (const learnerId of ['lena', 'liam']) expect((await http('identity').post(`/users/${learnerId}/enrollment`, admin, { schoolId: SCHOOL, cohortId: 'c2028' })).status).toBe(201);
  // Lena's coach is assigned through the API (coaching learns the roles from identity's events); Liam's in the browser
  const lead = { token: (await http('identity').post('/auth/login', undefined, { email: email('lee'), password: PASSWORD })).body.accessToken };
  await waitFor(async () => expect((await http('coaching').post('/relationships', lead, { learnerId: 'lena', coachId: 'cora' })).status).toBe(201), { timeoutMs: 60_000 });
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await origin?.stop();
  await Promise.all(Object.values(services).map((s) => s.stop()));
  await provider?.stop();
  await dropServiceDatabases(namespace, Object.keys(services));
  console.log(`workspace journeys: ${Math.round((Date.now() - started) / 1000)} s; time to interactive (ms, fresh load through nginx): ${JSON.stringify(timeToInteractive)}`);
});

describe('the coaching workspace in the browser', () => {
  it('a learner\'s semester: dialogue with private and shared entries, the coach replies and closes it; a goal set, revised and achieved; the plan revised and reviewed; a self-assessment; the timeline shows each step; the coach never sees the private text', async () => {
    const learner = await openPage(browser, web);
    const coach = await openPage(browser, web);
    const lp = learner.page;
    const cp = coach.page;

    // a deep link survives sign-in: the learner lands on the dialogues page they asked for
    await lp.goto(`${web}/learner/dialogues`);
    await lp.waitForURL(/\/sign-in\?returnTo=/);
    await lp.getByLabel('E-mail').fill(email('lena'));
    await lp.getByLabel('Password').fill(PASSWORD);
    await lp.getByRole('button', { name: 'Sign in', exact: true }).click();
    await lp.waitForURL(`${web}/learner/dialogues`);
    await checked(lp);

    // client-side checks mirror the DTO: nothing is sent without a topic
    await lp.getByRole('button', { name: 'Open dialogue' }).click();
    await lp.getByText('Say what the dialogue is about').waitFor();
    await lp.getByLabel('Topic').fill('Handover on nights');
    await lp.getByLabel('Competencies').fill('ics, pc');
    await lp.getByRole('button', { name: 'Open dialogue' }).click();
    await lp.waitForURL(/\/learner\/dialogues\/[0-9a-f-]{36}$/);
    await checked(lp, 'learner-dialogue');

    await lp.getByLabel('Entry', { exact: true }).fill(PRIVATE_TEXT);
    await lp.getByLabel('Private (only me)').check();
    await lp.getByRole('button', { name: 'Add entry' }).click();
    await lp.getByText(PRIVATE_TEXT).waitFor();
    await lp.getByLabel('Entry', { exact: true }).fill(SHARED_TEXT);
    await lp.getByLabel('Shared with my coach').check();
    await lp.getByRole('button', { name: 'Add entry' }).click();
    await lp.getByText(SHARED_TEXT).waitFor();

    // the coach, in a second browser context: the coachee on their home, then the dialogue
    await signIn(cp, web, email('cora'), PASSWORD);
    await cp.waitForURL(`${web}/coach`);
    await checked(cp);
    await cp.getByRole('link', { name: 'Lena Learner' }).click();
    await checked(cp, 'coach-coachee');
    // the dialogue list is a read model: it shows the new dialogue within moments
    await waitFor(async () => {
      await cp.reload();
      await cp.getByRole('link', { name: 'Handover on nights' }).waitFor({ timeout: 5_000 });
    }, { timeoutMs: 60_000 });
    await cp.getByRole('link', { name: 'Handover on nights' }).click();
    await cp.getByText(SHARED_TEXT).waitFor();
    await checked(cp);
    expect(await cp.content()).not.toContain(PRIVATE_TEXT);
    await cp.getByLabel('Entry', { exact: true }).fill('Next time use SBAR; we will practise on Thursday');
    await cp.getByRole('button', { name: 'Add entry' }).click();
    await cp.getByText('Next time use SBAR').waitFor();
    await cp.getByLabel('Action', { exact: true }).fill('Practise SBAR handover twice');
    await cp.getByRole('button', { name: 'Add action item' }).click();
    await cp.getByText('Practise SBAR handover twice').waitFor();
    await cp.getByRole('button', { name: 'Close the dialogue' }).click();
    await cp.getByRole('button', { name: 'Reopen the dialogue' }).waitFor();
    expect(await cp.content()).not.toContain(PRIVATE_TEXT);

    // the learner sees the reply, the action item and the closed state
    await lp.reload();
    await lp.getByText('Next time use SBAR').waitFor();
    await lp.getByText('Practise SBAR handover twice').waitFor();
    await lp.getByRole('button', { name: 'Reopen the dialogue' }).waitFor();

    // a goal: set, revised with a rationale, achieved
    await lp.getByRole('link', { name: 'Goals' }).click();
    await checked(lp);
    await lp.getByLabel('Goal', { exact: true }).fill('Lead a structured handover');
    await lp.getByLabel('Competencies').fill('ICS');
    await lp.getByLabel('Target date').fill('2030-06-30');
    await lp.getByRole('button', { name: 'Set goal' }).click();
    await lp.getByRole('link', { name: 'Lead a structured handover' }).click();
    await checked(lp);
    await lp.getByLabel('Goal', { exact: true }).fill('Lead two structured handovers a week');
    await lp.getByLabel('Why it changes').fill('The rotation changed to nights');
    await lp.getByRole('button', { name: 'Save revision' }).click();
    await lp.getByText('The rotation changed to nights').waitFor();
    await lp.getByRole('button', { name: 'Mark achieved' }).click();
    await lp.getByText('active → achieved').waitFor();
    await checked(lp, 'learner-goal');

    // the development plan: first version, then a revision with a rationale
    await lp.getByRole('link', { name: 'Development plan' }).click();
    await settled(lp);
    await lp.getByRole('button', { name: 'Add a focus area' }).click();
    await lp.getByLabel('Focus area 1', { exact: true }).fill('Structured handover');
    await lp.getByLabel('Competencies of focus area 1').fill('ICS');
    await lp.getByLabel('Next review with my coach').fill('2030-03-01');
    await lp.getByRole('button', { name: 'Save the plan' }).click();
    await lp.getByRole('heading', { name: 'Version 1' }).waitFor();
    await lp.getByLabel('Focus area 1', { exact: true }).fill('Structured handover on nights');
    await lp.getByLabel('Why the plan changes').fill('Night rotation from January');
    await lp.getByRole('button', { name: 'Save the plan' }).click();
    await lp.getByRole('heading', { name: 'Version 2' }).waitFor();
    await lp.getByText('Focus changed: “Structured handover” → “Structured handover on nights”').waitFor();
    await checked(lp, 'learner-plan');

    // the coach records the review held with the learner
    await cp.goto(`${web}/coach/coachees/lena/plan`);
    await settled(cp);
    await cp.getByLabel('What changed').fill('Focus moved to nights');
    await cp.getByLabel('Next steps (one a line)').fill('Observe one night handover');
    await cp.getByLabel('Next review').fill('2030-05-01');
    await cp.getByRole('button', { name: 'Record review' }).click();
    await cp.getByText('Focus moved to nights', { exact: false }).first().waitFor();
    await checked(cp);
    expect(await cp.content()).not.toContain(PRIVATE_TEXT);

    // a self-assessment
    await lp.getByRole('link', { name: 'Self-assessment' }).click();
    await settled(lp);
    const framework = lp.locator('fieldset').first();
    await framework.getByRole('radio', { name: '3' }).check();
    await lp.getByRole('button', { name: 'Save self-assessment' }).click();
    await lp.getByText('Saved.').waitFor();
    await checked(lp, 'learner-self-assessment');

    // the learner's timeline shows every step, the private entry included (it is theirs)
    await lp.getByRole('link', { name: 'Timeline' }).click();
    await waitFor(async () => {
      await lp.reload();
      await settled(lp);
      const text = (await lp.locator('ol.timeline').textContent()) ?? '';
      for (const step of ['Dialogue opened: Handover on nights', 'Dialogue closed', 'Goal set', 'Goal revised', 'Plan reviewed', 'Self assessment recorded']) expect(text).toContain(step);
    }, { timeoutMs: 60_000 });
    await checked(lp, 'learner-timeline');

    // and the coach's view of the same timeline holds no private text
    await cp.goto(`${web}/coach/coachees/lena/timeline`);
    await checked(cp);
    expect(await cp.content()).not.toContain(PRIVATE_TEXT);
    expect(learner.problems).toEqual([]);
    expect(coach.problems).toEqual([]);
  });

  it('a lead assigns a coach, then transfers the learner: the former coach now gets the not-found page for that learner', async () => {
    const { page, problems } = await openPage(browser, web);
    await signIn(page, web, email('lee'), PASSWORD);
    await page.waitForURL(`${web}/lead`);
    await checked(page);
    const row = page.getByRole('form', { name: 'Assign a coach to liam' });
    await row.getByLabel('Coach').selectOption('cora');
    await row.getByRole('button', { name: 'Assign' }).click();
    // the page refetches as the read model catches up with the command
    await page.getByRole('form', { name: 'Change the coaching of Liam Learner (liam)' }).waitFor({ timeout: 60_000 });

    const former = await openPage(browser, web);
    await signIn(former.page, web, email('cora'), PASSWORD);
    // coaching's read model learns of the assignment within moments
    await waitFor(async () => {
      await former.page.goto(`${web}/coach/coachees/liam`);
      await former.page.getByRole('heading', { name: 'Liam Learner' }).waitFor({ timeout: 5_000 });
    }, { timeoutMs: 60_000 });

    const change = page.getByRole('form', { name: 'Change the coaching of Liam Learner (liam)' });
    await change.getByLabel('Change for liam').selectOption('transfer');
    await change.getByLabel('to').selectOption('carl');
    await change.getByLabel('Reason').fill('Moved to the north campus');
    await change.getByRole('button', { name: 'Apply' }).click();
    await waitFor(async () => expect(await page.locator('tr', { hasText: 'liam' }).first().textContent()).toContain('carl'));
    await checked(page);

    await waitFor(async () => {
      await former.page.reload();
      await former.page.getByRole('heading', { name: 'Not found' }).waitFor({ timeout: 5_000 });
    }, { timeoutMs: 30_000 });
    await checked(former.page);
    expect(problems).toEqual([]);
  });

  it('a school admin uploads a roster with a bad row, sees the line-numbered errors and nothing imported, fixes the file and imports it', async () => {
    const { page, problems } = await openPage(browser, web);
    await signIn(page, web, email('sam'), PASSWORD);
    await page.waitForURL(`${web}/school-admin`);
    await checked(page);
    const dir = mkdtempSync(join(tmpdir(), 'roster-'));
    const bad = join(dir, 'roster.csv');
    writeFileSync(bad, 'email,displayName,role,cohortId\nnia@inst-web.edu,Nia,learner,c2028\nnot-an-email,Omar,learner,c2028\n');
    await page.getByLabel('Roster file').setInputFiles(bad);
    await page.getByRole('button', { name: 'Import' }).click();
    const errors = page.getByRole('table', { name: 'Rows with errors' });
    await errors.waitFor();
    expect(await errors.locator('tbody tr').count()).toBe(1);
    expect(await errors.locator('tbody tr td').first().textContent()).toBe('3');
    await checked(page, 'school-admin-roster-errors');
    const members = async () => (await http('identity').get(`/schools/${SCHOOL}/users`, admin)).body.members.map((m: { email: string }) => m.email);
    expect(await members()).not.toContain('nia@inst-web.edu');

    const good = join(dir, 'roster-fixed.csv');
    writeFileSync(good, 'email,displayName,role,cohortId\nnia@inst-web.edu,Nia,learner,c2028\nomar@inst-web.edu,Omar,learner,c2028\n');
    await page.getByLabel('Roster file').setInputFiles(good);
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByText('roster-fixed.csv: 2 people imported.').waitFor();
    await page.getByRole('cell', { name: 'omar@inst-web.edu' }).waitFor({ timeout: 60_000 });
    expect(await members()).toEqual(expect.arrayContaining(['nia@inst-web.edu', 'omar@inst-web.edu']));
    expect(problems).toEqual([]);
  });

  it('signs in through single sign-on at the real OpenID provider and comes back to the page asked for', async () => {
    const { page, problems } = await openPage(browser, web);
    await page.goto(`${web}/learner/goals`);
    await page.waitForURL(/\/sign-in/);
    await checked(page, 'sign-in');
    await page.getByRole('link', { name: /single sign-on/ }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.locator('input[name=login]').fill('lena');
    await page.locator('input[name=password]').fill('any');
    await page.locator('button[type=submit]').click();
    await page.locator('button[type=submit]').click(); // consent
    await page.waitForURL(`${web}/learner/goals`);
    await page.getByRole('heading', { name: 'Goals', exact: true }).waitFor();
    expect(problems).toEqual([]);
  });

  it('every home page: axe finds no serious or critical violation; screenshots at 375 and 1280 px; time to interactive measured', async () => {
    const homes: [string, string, string][] = [
      ['learner', 'lena', '/learner'], ['coach', 'cora', '/coach'], ['lead', 'lee', '/lead'], ['school-admin', 'sam', '/school-admin'],
      ['committee', 'kim', '/committee'], ['institution-admin', 'admin', '/institution'],
    ];
    for (const [name, userId, path] of homes) {
      const { page, problems } = await openPage(browser, web);
      await signIn(page, web, email(userId), PASSWORD, path);
      await page.waitForURL(`${web}${path}`);
      timeToInteractive[name] = await measureHome(page, `${web}${path}`, `home-${name}`);
      accessibility.push(...(await accessibilityProblems(page)));
      await page.setViewportSize({ width: 375, height: 800 });
      accessibility.push(...(await accessibilityProblems(page)));
      expect(problems).toEqual([]);
      await page.context().close();
    }
    expect(accessibility).toEqual([]);
  });
});
