import { eventsTopic } from '@cbme/contracts';
import {
  freePort, httpClient, RunningService, startServiceProcess, startWebOrigin, testServers, uniqueName, waitFor,
} from '@cbme/testing';
import { checkPage, endJourney, ensureWebBuilt, eventuallyShown, launchBrowser, openPage, settled, signIn } from '@cbme/testing/browser';
import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Browser, Page } from 'playwright-core';

/**
 * Action items followed through, in Debian's Chromium through nginx against identity, coaching and feedback as real
 * processes: the learner marks one done with what came of it (a too long outcome refused at the field by the
 * service) and drops another with a reason; an item past its due date is flagged overdue on the learner's home, the
 * dialogue page and the coach's "since we last met". The items are agreed by a feedback service started two days in
 * the past (its clock shifted by a preloaded module), so one is due before the real today; the real service then
 * takes over the same database. Every page visited is checked with axe.
 */
const namespace = uniqueName('web-actions');
const INSTITUTION = 'inst-web-actions';
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const email = (userId: string) => `${userId}@inst-web-actions.edu`;
const DAY = 86_400_000;
const TOPIC = 'Handovers on nights';
const OVERDUE = 'Read the sepsis guideline before nights';
const DONE = 'Practise SBAR with the charge nurse';
const DROPPED = 'Shadow the night registrar';
const COACH_ITEM = 'Send the handover checklist';
const OUTCOME = 'Four SBAR handovers; the charge nurse said they were clear';
const REASON = 'The rota changed: no nights with the registrar until March';

const services: Record<string, RunningService> = {};
let origin: { url: string; stop(): Promise<void> };
let web: string;
let browser: Browser;
let dialogueId: string;
const as: Record<string, { token: string }> = {};
const http = (name: string) => httpClient(services[name].url);
const accessibility: string[] = [];
const started = Date.now();
const dateIn = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

const checked = (page: Page, name?: string) => checkPage(page, accessibility, name);

const login = async (userId: string) => ({ token: (await http('identity').post('/auth/login', undefined, { email: email(userId), password: PASSWORD })).body.accessToken as string });

beforeAll(async () => {
  const webRoot = ensureWebBuilt();
  const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION, KEY_ACTIVATION_SECONDS: '0', NOTIFY_CHANNEL: 'log' };
  services['identity'] = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: email('admin'), BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  env['AUTH_JWKS_URL'] = `${services['identity'].url}/.well-known/jwks.json`;
  const twoDaysAgo = { NODE_OPTIONS: `--require ${resolve(__dirname, 'shifted-clock.cjs')}`, CLOCK_SHIFT_MS: String(-2 * DAY) };
  const [coaching, pastFeedback] = await Promise.all([startServiceProcess('coaching', env), startServiceProcess('feedback', { ...env, ...twoDaysAgo })]);
  services['coaching'] = coaching;
  services['feedback'] = pastFeedback;

  const admin = { token: (await http('identity').post('/auth/login', undefined, { email: email('admin'), password: PASSWORD })).body.accessToken, schoolId: SCHOOL };
  expect((await http('identity').post('/schools', admin, { schoolId: SCHOOL, name: 'Medicine' })).status).toBe(201);
  expect((await http('identity').post(`/schools/${SCHOOL}/cohorts`, admin, { cohortId: 'c2028', program: 'MD', graduationYear: 2028 })).status).toBe(201);
  for (const [userId, role, displayName] of [['lena', 'learner', 'Lena Learner'], ['otto', 'learner', 'Otto Other'], ['cora', 'coach', 'Cora Coach'], ['lee', 'coaching-lead', 'Lee Lead']]) {
    expect((await http('identity').post(`/schools/${SCHOOL}/users`, admin, { userId, email: email(userId), displayName, role, password: PASSWORD })).status).toBe(201);
  }
  for (const learner of ['lena', 'otto']) expect((await http('identity').post(`/users/${learner}/enrollment`, admin, { schoolId: SCHOOL, cohortId: 'c2028' })).status).toBe(201);
  for (const userId of ['lena', 'otto', 'cora', 'lee']) as[userId] = await login(userId);
  await waitFor(async () => expect((await http('coaching').post('/relationships', as.lee, { learnerId: 'lena', coachId: 'cora' })).status).toBe(201), { timeoutMs: 60_000 });

  // two days ago (by the shifted feedback service): the dialogue and its items, one due that day
  const opened = await waitFor(async () => {
    const response = await http('feedback').post('/dialogues', as.lena, { topic: TOPIC, competencies: ['ICS'] });
    expect(response.status).toBe(201);
    return response.body;
  }, { timeoutMs: 60_000 });
  dialogueId = opened.dialogueId;
  const pastToday = dateIn(-2);
  for (const [description, ownerId, dueDate] of [[OVERDUE, 'lena', pastToday], [DONE, 'lena', dateIn(10)], [DROPPED, 'lena', undefined], [COACH_ITEM, 'cora', dateIn(3)]]) {
    const agreed = await http('feedback').post(`/dialogues/${dialogueId}/action-items`, as.cora, { description, ownerId, ...(dueDate ? { dueDate } : {}) });
    expect(agreed.status).toBe(201);
  }
  // due that (shifted) day and not before: the decider's rule refuses a due date in the past, for the shifted clock too
  expect((await http('feedback').post(`/dialogues/${dialogueId}/action-items`, as.cora, { description: 'x', ownerId: 'lena', dueDate: dateIn(-3) })).status).toBe(422);
  const agreedAt = (await http('feedback').get(`/dialogues/${dialogueId}`, as.lena)).body.actionItems[0].at as string;
  expect(Date.now() - Date.parse(agreedAt)).toBeGreaterThan(DAY);

  // today: the real feedback service takes over the same database, and the browser's origin points at it
  await pastFeedback.stop();
  services['feedback'] = await startServiceProcess('feedback', env);
  const upstreams = { identity: services['identity'].url, coaching: services['coaching'].url, feedback: services['feedback'].url, analytics: services['feedback'].url };
  origin = await startWebOrigin(upstreams, { port: await freePort(), webRoot });
  web = origin.url.replace(/\/$/, '');
  browser = await launchBrowser();
}, 300_000);

afterAll(() => endJourney('action items journey', started, { browser, origin, services, namespace }));

describe('action items followed through', () => {
  it('the learner completes one with an outcome and drops another with a reason; the overdue one is flagged for the learner and the coach', async () => {
    const { page, problems } = await openPage(browser, web);
    await signIn(page, web, email('lena'), PASSWORD, '/learner');
    const home = page.getByRole('region', { name: 'Open action items' });
    await eventuallyShown(page, () => home.getByText(OVERDUE));
    // overdue first, then soonest due, undated last
    expect(await home.locator('li').allTextContents()).toEqual([
      expect.stringMatching(new RegExp(`^${OVERDUE}.*overdue`)), expect.stringContaining(COACH_ITEM), expect.stringContaining(DONE), expect.stringContaining(DROPPED),
    ]);
    expect(await home.locator('.badge.warn').allTextContents()).toEqual(['overdue']);
    await checked(page, 'actions-learner-home');

    await home.getByRole('link', { name: TOPIC }).first().click();
    await page.waitForURL(`${web}/learner/dialogues/${dialogueId}`);
    await settled(page);
    const item = (description: string) => page.locator('ul.action-items > li', { hasText: description });
    expect(await item(OVERDUE).locator('.badge').allTextContents()).toEqual(['overdue']);
    expect(await item(DONE).locator('.badge').count()).toBe(0);

    // done: what came of it is required, and the service's length rule shows at the field
    await page.getByRole('button', { name: `Mark done: ${DONE}` }).click();
    const submitDone = page.getByRole('button', { name: 'Mark done', exact: true });
    await submitDone.click();
    await item(DONE).locator('.field-error', { hasText: 'Say what came of it' }).waitFor();
    await page.getByLabel('What came of it').fill('x'.repeat(1001));
    await submitDone.click();
    await item(DONE).locator('.field-error', { hasText: 'at most 1000 characters (1001 given)' }).waitFor();
    expect(await page.getByLabel('What came of it').getAttribute('aria-invalid')).toBe('true');
    await checked(page, 'actions-outcome-refused');
    await page.getByLabel('What came of it').fill(OUTCOME);
    await submitDone.click();
    await item(DONE).locator('.badge.done').waitFor();
    await item(DONE).getByText(`Outcome: ${OUTCOME}`).waitFor();

    // dropped, with a reason
    await page.getByRole('button', { name: `Drop: ${DROPPED}` }).click();
    await page.getByLabel('Why it is dropped').fill(REASON);
    await page.getByRole('button', { name: 'Drop it', exact: true }).click();
    await item(DROPPED).locator('.badge.dropped').waitFor();
    await item(DROPPED).getByText(`Reason: ${REASON}`).waitFor();
    // settled items offer nothing more; the overdue one still can be done or dropped
    expect(await page.getByRole('button', { name: `Mark done: ${DONE}` }).count()).toBe(0);
    expect(await page.getByRole('button', { name: `Drop: ${DROPPED}` }).count()).toBe(0);
    expect(await page.getByRole('button', { name: `Drop: ${OVERDUE}` }).count()).toBe(1);
    await checked(page, 'actions-dialogue');

    // the home page keeps only the open ones, the overdue one first
    await page.goto(`${web}/learner`);
    await eventuallyShown(page, () => home.locator('li', { hasText: COACH_ITEM }));
    await waitFor(async () => {
      await page.reload();
      await settled(page);
      expect((await home.locator('li').allTextContents()).map((t) => t.split(' (')[0])).toEqual([OVERDUE, COACH_ITEM]);
    }, { timeoutMs: 30_000 });
    await checked(page, 'actions-learner-home-after');

    // the coach's coachee page: "since we last met" lists the open items, the overdue one flagged
    const coach = await openPage(browser, web);
    await signIn(coach.page, web, email('cora'), PASSWORD, '/coach/coachees/lena');
    const since = coach.page.getByRole('region', { name: /^Since we last met/ });
    await eventuallyShown(coach.page, () => since.getByText(OVERDUE));
    const sinceItems = since.locator('ul[aria-labelledby="since-actions"] > li');
    expect(await since.getByRole('heading', { name: 'Open action items (1 overdue)' }).count()).toBe(1);
    expect((await sinceItems.allTextContents()).map((t) => t.split(' (')[0])).toEqual([OVERDUE, COACH_ITEM]);
    expect(await sinceItems.first().locator('.badge.warn').textContent()).toBe('overdue');
    expect(await since.getByText(DONE).count()).toBe(0);
    expect(await since.getByText(DROPPED).count()).toBe(0);
    await checked(coach.page, 'actions-coachee');
    // and the coach's dialogue page: the badges, the outcome and the reason
    await sinceItems.first().getByRole('link', { name: TOPIC }).click();
    await coach.page.waitForURL(`${web}/coach/dialogues/${dialogueId}`);
    await settled(coach.page);
    await coach.page.locator('ul.action-items .badge.done').waitFor();
    await coach.page.getByText(`Reason: ${REASON}`).waitFor();
    expect(await coach.page.locator('ul.action-items .badge.warn').allTextContents()).toEqual(['overdue']);
    // the coach may settle their own item, not the learner's
    expect(await coach.page.getByRole('button', { name: `Mark done: ${COACH_ITEM}` }).count()).toBe(1);
    expect(await coach.page.getByRole('button', { name: `Mark done: ${OVERDUE}` }).count()).toBe(0);
    await checked(coach.page, 'actions-coach-dialogue');

    expect(problems).toEqual([]);
    expect(coach.problems).toEqual([]);
    expect(accessibility).toEqual([]);
  }, 300_000);

  it('keeps done and dropped final, refuses bad input with 4xx, and answers others as for an unknown dialogue', async () => {
    const dialogue = (await http('feedback').get(`/dialogues/${dialogueId}`, as.lena)).body;
    const id = (description: string) => dialogue.actionItems.find((a: { description: string }) => a.description === description).actionId as string;
    expect(dialogue.actionItems.map((a: { description: string; status: string; overdue: boolean }) => [a.description, a.status, a.overdue])).toEqual([
      [OVERDUE, 'open', true], [DONE, 'done', false], [DROPPED, 'dropped', false], [COACH_ITEM, 'open', false],
    ]);
    const path = (description: string, to: 'done' | 'drop') => `/dialogues/${dialogueId}/action-items/${id(description)}/${to}`;
    // the other way is refused; the same way again changes nothing (same version)
    expect((await http('feedback').post(path(DONE, 'drop'), as.lena, { reason: 'changed my mind' })).status).toBe(409);
    expect((await http('feedback').post(path(DROPPED, 'done'), as.lena, { outcome: 'did it after all' })).status).toBe(409);
    const again = await http('feedback').post(path(DONE, 'done'), as.lena, { outcome: 'another outcome' });
    expect(again).toMatchObject({ status: 200, body: { status: 'done', version: dialogue.version } });
    expect((await http('feedback').get(`/dialogues/${dialogueId}`, as.lena)).body.actionItems[1].done.outcome).toBe(OUTCOME);
    // bad input: missing text 400, blank 422 at the field, unknown field 400
    expect((await http('feedback').post(path(OVERDUE, 'done'), as.lena, {})).status).toBe(400);
    expect(await http('feedback').post(path(OVERDUE, 'drop'), as.lena, { reason: '  ' })).toMatchObject({ status: 422, body: { details: ['reason: say why it is dropped'] } });
    expect((await http('feedback').post(path(OVERDUE, 'drop'), as.lena, { reason: 'r', extra: 1 })).status).toBe(400);
    // the coach may not settle the learner's item (403); another learner is told the dialogue does not exist (404)
    expect((await http('feedback').post(path(OVERDUE, 'drop'), as.cora, { reason: 'not mine to drop' })).status).toBe(403);
    const unknown = await http('feedback').post(`/dialogues/${randomUUID()}/action-items/${id(OVERDUE)}/drop`, as.otto, { reason: 'r' });
    const other = await http('feedback').post(path(OVERDUE, 'drop'), as.otto, { reason: 'r' });
    expect([other.status, other.body.message]).toEqual([unknown.status, unknown.body.message]);
    expect(other.status).toBe(404);
  });

  it('publishes completions and drops on Kafka without the outcome or the reason', async () => {
    const kafka = new Kafka({ clientId: `${namespace}-reader`, brokers: testServers().kafkaBrokers, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `${namespace}-reader` });
    const seen: { type: string; schemaVersion: number; data: Record<string, unknown>; raw: string }[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: eventsTopic(namespace, 'feedback'), fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => {
        const raw = message.value?.toString() ?? '';
        seen.push({ ...(JSON.parse(raw) as { type: string; schemaVersion: number; data: Record<string, unknown> }), raw });
      } });
      const settledItems = () => seen.filter((e) => e.type === 'feedback.dialogue-action-completed' || e.type === 'feedback.dialogue-action-dropped');
      await waitFor(() => expect(settledItems()).toHaveLength(2), { timeoutMs: 60_000 });
      expect(settledItems().map((e) => [e.type, e.schemaVersion, Object.keys(e.data).sort()])).toEqual([
        ['feedback.dialogue-action-completed', 2, ['actionId', 'dialogueId', 'learnerId', 'outcomeWords']],
        ['feedback.dialogue-action-dropped', 1, ['actionId', 'dialogueId', 'learnerId']],
      ]);
      expect(settledItems()[0].data['outcomeWords']).toBe(OUTCOME.split(' ').length);
      const everything = seen.map((e) => e.raw).join('\n');
      for (const text of [OUTCOME, REASON, OVERDUE, DONE]) expect(everything).not.toContain(text);
    } finally {
      await consumer.disconnect();
    }
  });
});
