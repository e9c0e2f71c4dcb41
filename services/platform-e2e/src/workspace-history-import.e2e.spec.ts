import { Actor, freePort, httpClient, RunningService, startServiceProcess, startWebOrigin, uniqueName, waitFor } from '@cbme/testing';
import { Browser, Page } from 'playwright-core';
import { accessibilityProblems, beyondViewport, checkPage, endJourney, ensureWebBuilt, launchBrowser, openPage, signIn } from '@cbme/testing/browser';

/**
 * The school admin's history import page in Debian's Chromium, through nginx, against identity and coaching as real
 * processes and the real servers: a file with bad lines shows them in a table (line, source id, reasons) and nothing is
 * imported; a good file's job is followed by a progress bar to 100 % with its counts; a file over the limit is "too
 * large" with the limit. axe at 1280 and 375 px on each state, photographed at both.
 */
const namespace = uniqueName('webhistory');
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const MAX_BYTES = 64 * 1024;
const email = (userId: string) => `${userId}@inst-webhistory.edu`;

const services: Record<string, RunningService> = {};
let origin: { url: string; stop(): Promise<void> };
let web: string;
let browser: Browser;
const http = (name: string) => httpClient(services[name].url);
let admin: Actor;
const accessibility: string[] = [];
const started = Date.now();

/** axe and a screenshot at 1280 and 375 px (checkPage), and nothing wider than the phone */
async function checked(page: Page, name: string) {
  await checkPage(page, accessibility, name);
  await page.setViewportSize({ width: 375, height: 800 });
  expect(await beyondViewport(page)).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 900 });
}

const file = (name: string, mimeType: string, text: string) => ({ name, mimeType, buffer: Buffer.from(text) });
const day = (n: number) => new Date(Date.parse('2022-09-01T09:00:00.000Z') + n * 86_400_000).toISOString();
/** lena's year with cora: an assignment, then 20 meetings booked and held, the odd one missed */
const GOOD = [
  { kind: 'relationship-assigned', sourceId: 'r-1', occurredAt: day(0), relationshipId: 'rel-1', learnerId: 'lena', coachId: 'cora' },
  ...Array.from({ length: 20 }, (_, i) => [
    { kind: 'meeting-scheduled', sourceId: `m-${i}`, occurredAt: day(1 + i * 14), meetingId: `m-${i}`, learnerId: 'lena', startsAt: day(8 + i * 14), durationMinutes: 30 },
    i % 5 === 4
      ? { kind: 'meeting-missed', sourceId: `m-${i}-missed`, occurredAt: day(9 + i * 14), meetingId: `m-${i}`, reason: 'on call' }
      : { kind: 'meeting-held', sourceId: `m-${i}-held`, occurredAt: day(9 + i * 14), meetingId: `m-${i}`, agenda: ['rotation'], notes: [{ text: `Meeting ${i}.`, visibility: 'shared-with-learner' }] },
  ]).flat(),
];

beforeAll(async () => {
  const webRoot = ensureWebBuilt();
  const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: 'inst-webhistory', KEY_ACTIVATION_SECONDS: '0' };
  services['identity'] = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: email('admin'), BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  env['AUTH_JWKS_URL'] = `${services['identity'].url}/.well-known/jwks.json`;
  services['coaching'] = await startServiceProcess('coaching', { ...env, HISTORY_IMPORT_MAX_BYTES: String(MAX_BYTES) });
  // this page talks to coaching (and feedback, not chosen here); the others are not needed: a closed port
  const closed = `http://127.0.0.1:${await freePort()}`;
  origin = await startWebOrigin({ identity: services['identity'].url, coaching: services['coaching'].url, feedback: closed, analytics: closed }, { port: await freePort(), webRoot });
  web = origin.url.replace(/\/$/, '');

  admin = { token: (await http('identity').post('/auth/login', undefined, { email: email('admin'), password: PASSWORD })).body.accessToken, schoolId: SCHOOL };
  expect((await http('identity').post('/schools', admin, { schoolId: SCHOOL, name: 'School of Medicine' })).status).toBe(201);
  for (const [userId, role, displayName] of [['lena', 'learner', 'Lena Learner'], ['cora', 'coach', 'Cora Coach'], ['sam', 'school-admin', 'Sam Admin'], ['lee', 'coaching-lead', 'Lee Lead']]) {
    expect((await http('identity').post(`/schools/${SCHOOL}/users`, admin, { userId, email: email(userId), displayName, role, password: PASSWORD })).status).toBe(201);
  }
  // coaching learns people and roles from identity's events through Kafka
  const lead = { token: (await http('identity').post('/auth/login', undefined, { email: email('lee'), password: PASSWORD })).body.accessToken };
  await waitFor(async () => expect((await http('coaching').get('/roster', lead)).body.unassigned).toHaveLength(1), { timeoutMs: 60_000 });
  browser = await launchBrowser();
}, 300_000);

afterAll(() => endJourney('history import journey', started, { browser, origin, services, namespace }));

describe('the history import page in the browser', () => {
  it('lists a bad file\'s lines and imports nothing; follows a good file to 100 % with its counts; says when a file is too large', async () => {
    const { page, problems } = await openPage(browser, web);
    await signIn(page, web, email('sam'), PASSWORD, '/school-admin');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History import' }).click();
    await page.waitForURL(`${web}/school-admin/history-import`);
    await page.getByRole('heading', { level: 1, name: 'History import' }).waitFor();
    await checked(page, 'admin-history-import');

    const form = page.getByRole('form', { name: 'Import history' });
    expect(await form.getByLabel('Coaching: relationships and meetings').isChecked()).toBe(true);
    // a CSV whose lines 3 and 4 are bad: an unknown learner, a duration that is not a number
    await form.getByLabel('History file (.jsonl or .csv)').setInputFiles(file('bad.csv', 'text/csv', [
      'kind,sourceId,occurredAt,relationshipId,learnerId,coachId,meetingId,startsAt,durationMinutes',
      `relationship-assigned,b-1,${day(0)},rel-b1,lena,cora,,,`,
      `relationship-assigned,b-2,${day(0)},rel-b2,lea-9,cora,,,`,
      `meeting-scheduled,b-3,${day(1)},,lena,,mb-1,${day(8)},forty`,
    ].join('\n')));
    await form.getByLabel('Kind of every row (optional)').waitFor(); // offered for CSV only
    await form.getByRole('button', { name: 'Upload and import' }).click();
    const errors = form.getByRole('table', { name: 'History file: lines with errors' });
    await errors.waitFor();
    await form.getByRole('alert').filter({ hasText: '2 of 3 lines are invalid; nothing was imported' }).waitFor();
    const rows = await errors.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows.map(([line, sourceId]) => [line, sourceId])).toEqual([['3', 'b-2'], ['4', 'b-3']]);
    expect(rows[0][2]).toBe('unknown learner lea-9 (no learner with that id in this school)');
    expect(rows[1][2]).toContain('durationMinutes must be an integer number');
    await checked(page, 'admin-history-import-errors');
    expect((await http('coaching').get('/learners/lena/coaching', { token: await tokenOf('sam') })).body.history).toEqual([]);

    await form.getByLabel('History file (.jsonl or .csv)').setInputFiles(file('good.jsonl', 'application/x-ndjson', GOOD.map((r) => JSON.stringify(r)).join('\n')));
    await form.getByRole('button', { name: 'Upload and import' }).click();
    await form.getByRole('status').filter({ hasText: `good.jsonl: ${GOOD.length} lines checked, ${GOOD.length} to import, 0 already imported` }).waitFor();
    const progress = page.getByRole('progressbar', { name: 'Import of good.jsonl' });
    await waitFor(async () => expect(await progress.evaluate((p) => [(p as HTMLProgressElement).value, (p as HTMLProgressElement).max])).toEqual([GOOD.length, GOOD.length]), { timeoutMs: 60_000 });
    const item = page.getByRole('article', { name: 'good.jsonl' });
    await item.getByRole('status').filter({ hasText: `Completed: ${GOOD.length} of ${GOOD.length} records` }).waitFor();
    expect(await item.getByText('100 %').count()).toBe(1);
    const counts = await item.locator('dl.counts > div').evaluateAll((divs) => divs.map((d) => [d.querySelector('dt')?.textContent, d.querySelector('dd')?.textContent]));
    expect(counts).toEqual([['Applied', String(GOOD.length)], ['Already imported', '0'], ['Failed', '0']]);
    await checked(page, 'admin-history-import-done');

    // the same file again: nothing applied twice
    await form.getByRole('button', { name: 'Upload and import' }).click();
    await form.getByRole('status').filter({ hasText: `0 to import, ${GOOD.length} already imported` }).waitFor();
    const again = page.getByRole('article', { name: 'good.jsonl' }).first();
    await again.getByRole('status').filter({ hasText: 'Completed' }).waitFor({ timeout: 60_000 });
    expect(await again.locator('dl.counts dd').allTextContents()).toEqual(['0', String(GOOD.length), '0']);

    // this session's imports survive moving between pages
    await page.getByRole('link', { name: 'People', exact: true }).click();
    await page.waitForURL(`${web}/school-admin`);
    await page.getByRole('link', { name: 'History import' }).click();
    await page.getByRole('article', { name: 'good.jsonl' }).first().waitFor();
    expect(await page.getByRole('article', { name: 'good.jsonl' }).count()).toBe(2);

    // over the service's limit (64 KiB here): "too large", with the limit
    const big = GOOD[1];
    await form.getByLabel('History file (.jsonl or .csv)').setInputFiles(file('big.jsonl', 'application/x-ndjson', `${JSON.stringify(big)}\n`.repeat(Math.ceil(MAX_BYTES / JSON.stringify(big).length) + 1)));
    await form.getByRole('button', { name: 'Upload and import' }).click();
    await form.getByRole('alert').filter({ hasText: 'The file is too large (limit 64 KiB).' }).waitFor();
    accessibility.push(...(await accessibilityProblems(page)));

    expect(problems).toEqual([]);
    expect(accessibility).toEqual([]);
  }, 240_000);
});

async function tokenOf(userId: string): Promise<string> {
  return (await http('identity').post('/auth/login', undefined, { email: email(userId), password: PASSWORD })).body.accessToken;
}
