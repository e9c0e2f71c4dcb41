import { Actor, freePort, httpClient, RunningService, openSchoolWith, startPlatform, startWebOrigin, uniqueName, urlsOf, waitFor } from '@cbme/testing';
import { accessibilityProblems, endJourney, ensureWebBuilt, launchBrowser, openPage, screenshot, settled, signIn } from '@cbme/testing/browser';
import type { Browser } from 'playwright-core';

/**
 * Who read whose record (issue 16; README, "Disclosure log"): each service records the reads of a learner's record by
 * anyone else, in batches, in its own store; the learner sees them in "Who viewed my record", an admin in the
 * disclosure report; nobody else may read a learner's log.
 */
const namespace = uniqueName('e2e-disclosures');
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const ADMIN_EMAIL = 'admin@disclosures.example';
const SERVICES = ['identity', 'coaching', 'feedback', 'analytics'] as const;
const env = { CBME_NAMESPACE: namespace, DISCLOSURE_FLUSH_MS: '200' };
const PEOPLE = [['lead-1', 'coaching-lead'], ['lea-1', 'learner'], ['lea-2', 'learner'], ['coa-1', 'coach'], ['sad-1', 'school-admin']] as const;

interface Entry { reader: { userId: string; role: string }; record: string; route: string; schoolId: string; service: string; at: string }

const services: Record<string, RunningService> = {};
const started = Date.now();
let browser: Browser | undefined;
let origin: Awaited<ReturnType<typeof startWebOrigin>> | undefined;
const http = (name: string) => httpClient(services[name].url);
const as: Record<string, Actor> = {};

/** every service's log of the learner as `actor` may read it, merged newest first (this month: the test's reads) */
async function logOf(learnerId: string, actor: Actor): Promise<Entry[]> {
  const entries: Entry[] = [];
  for (const service of SERVICES) {
    const response = await http(service).get(`/learners/${learnerId}/disclosures`, actor);
    expect(response.status).toBe(200);
    entries.push(...response.body.entries);
  }
  return entries.sort((a, b) => b.at.localeCompare(a.at));
}

const summary = (entries: Entry[]) => entries.map((e) => `${e.service} ${e.reader.userId} ${e.reader.role} ${e.record} ${e.route}`).sort();
const COACH_READS = [
  'coaching coa-1 coach coaching GET /learners/lea-1/coaching',
  'feedback coa-1 coach goals GET /learners/lea-1/goals',
  'feedback coa-1 coach timeline GET /learners/lea-1/timeline',
];

beforeAll(async () => {
  const webRoot = ensureWebBuilt();
  const platform = await startPlatform(() => env, { BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL, BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  Object.assign(services, platform);
  origin = await startWebOrigin(urlsOf(platform), { port: await freePort(), webRoot });
  browser = await launchBrowser();
  Object.assign(as, await openSchoolWith(platform.identity, { adminEmail: ADMIN_EMAIL, password: PASSWORD, schoolId: SCHOOL, people: PEOPLE, domain: 'disclosures.example' }));
  await waitFor(async () => expect((await http('coaching').post('/relationships', as['lead-1'], { learnerId: 'lea-1', coachId: 'coa-1' })).status).toBe(201), { timeoutMs: 60_000 });
  await waitFor(async () => expect((await http('feedback').post('/goals', as['lea-1'], { description: 'Lead a structured handover', competencies: ['ICS'], targetDate: '2027-06-30' })).status).toBe(201), { timeoutMs: 60_000 });
  // feedback learns of the coach from coaching's events
  await waitFor(async () => expect((await http('feedback').get('/learners/lea-1/goals', as['coa-1'])).status).toBe(200), { timeoutMs: 60_000 });
}, 300_000);

afterAll(() => endJourney('disclosure log', started, { browser, origin, services, namespace }));

describe('disclosure log', () => {
  it("records the coach's reads of the learner's record, not the learner's own, and shows them to the learner", async () => {
    // the coach's reads (one read of goals was made above, while waiting for feedback to know the coach)
    expect((await http('feedback').get('/learners/lea-1/timeline', as['coa-1'])).status).toBe(200);
    expect((await http('coaching').get('/learners/lea-1/coaching', as['coa-1'])).status).toBe(200);
    // the learner's own reads
    for (const path of ['/learners/lea-1/goals', '/learners/lea-1/timeline']) expect((await http('feedback').get(path, as['lea-1'])).status).toBe(200);
    expect((await http('coaching').get('/learners/lea-1/coaching', as['lea-1'])).status).toBe(200);
    // a read that found nothing to show (not the coach's coachee) discloses nothing
    expect((await http('feedback').get('/learners/lea-2/goals', as['coa-1'])).status).toBe(404);

    const log = await waitFor(async () => {
      const entries = await logOf('lea-1', as['lea-1']);
      expect(summary(entries)).toEqual(COACH_READS);
      return entries;
    }, { timeoutMs: 30_000 });
    expect(log.every((e) => e.reader.userId === 'coa-1' && e.schoolId === SCHOOL)).toBe(true);
    expect(log.map((e) => e.at)).toEqual([...log.map((e) => e.at)].sort().reverse());
    expect(await logOf('lea-2', as['lea-2'])).toEqual([]);
  }, 90_000);

  it('gives the school admin and the institution admin the same report', async () => {
    const bySchoolAdmin = await logOf('lea-1', as['sad-1']);
    expect(summary(bySchoolAdmin)).toEqual(COACH_READS);
    const byInstitutionAdmin = await logOf('lea-1', as['admin']);
    expect(summary(byInstitutionAdmin)).toEqual(summary(bySchoolAdmin));
  }, 60_000);

  it("answers another learner, the coach and the lead with the unknown learner's 404", async () => {
    const unknown = await http('feedback').get('/learners/nobody/disclosures', as['coa-1']);
    expect(unknown).toMatchObject({ status: 404, body: { message: 'no such learner in this school' } });
    for (const service of SERVICES) {
      for (const who of ['lea-2', 'coa-1', 'lead-1']) expect(await http(service).get('/learners/lea-1/disclosures', as[who])).toEqual(unknown);
    }
    expect((await http('feedback').get('/learners/lea-1/disclosures?month=2026-13', as['lea-1'])).status).toBe(400);
  }, 60_000);

  it('the learner sees "Who viewed my record", and the school admin the disclosure report, at desktop and phone width', async () => {
    const web = origin!.url.replace(/\/$/, '');
    const accessibility: string[] = [];
    for (const [email, path, name] of [['lea-1@disclosures.example', '/learner/who-viewed', 'learner-who-viewed'], ['sad-1@disclosures.example', '/school-admin/learners/lea-1', 'admin-disclosure-report']] as const) {
      const { page, problems } = await openPage(browser!, web);
      await signIn(page, web, email, PASSWORD, path);
      await settled(page);
      const table = page.getByRole('table', { name: /^Reads of the record in / });
      await table.waitFor();
      // the admin's page reads the learner's timeline itself: those reads may be listed too, the coach's three are
      expect(await table.getByRole('cell', { name: 'coa-1', exact: true }).count()).toBe(COACH_READS.length);
      if (name === 'learner-who-viewed') expect(await table.getByRole('row').count()).toBe(1 + COACH_READS.length);
      await table.getByRole('cell', { name: /^timeline/ }).first().waitFor();
      accessibility.push(...(await accessibilityProblems(page)));
      await screenshot(page, `${name}-1280`);
      await page.setViewportSize({ width: 375, height: 800 });
      accessibility.push(...(await accessibilityProblems(page)));
      await screenshot(page, `${name}-375`);
      expect(problems).toEqual([]);
      await page.context().close();
    }
    expect(accessibility).toEqual([]);
  }, 180_000);
});
