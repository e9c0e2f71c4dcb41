import { Actor, dropServiceDatabases, httpClient, RunningService, RunningWebOrigin, startServiceProcess, startWebOrigin, testServers, uniqueName, waitFor } from '@cbme/testing';
import mongoose from 'mongoose';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { accessibilityProblems, ensureWebBuilt, launchBrowser, SCREENSHOTS } from '@cbme/testing/browser';

/**
 * Analytics over the real stack, and its dashboard in a real headless Chromium (Debian's package).
 * A small institution is made through the services' own HTTP commands: a cohort of 12 learners (above k = 10),
 * one of 11 and one of 3 (below k). The test counts what it created, then checks the API and the page against
 * those counts, the suppression of the small cohort (and the complementary one), a filter changing the numbers,
 * CSV export, per-school k, and a blue/green rebuild giving exactly the same numbers. Coaching meetings held are
 * also counted from coaching's own event store, independently of analytics.
 */
const namespace = uniqueName('dash');
const INSTITUTION = 'inst-dash';
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION, KEY_ACTIVATION_SECONDS: '0', NOTIFY_CHANNEL: 'log' };

const COHORTS = { c2028: 12, c2029: 11, c2030: 3 } as const;
type CohortId = keyof typeof COHORTS;
const COACHES = ['coach-1', 'coach-2', 'coach-3'];

const services: Record<string, RunningService> = {};
/** each service's own database in this test's namespace */
const databaseOf = (service: string) => `${namespace.replace(/-/g, '_')}_${service}`;
const http = (name: string) => httpClient(services[name].url);
const actors: Record<string, Actor> = {};
/** what the test created, counted independently of analytics */
const created = {
  learners: {} as Record<CohortId, string[]>,
  dialogues: [] as { learnerId: string; cohortId: CohortId; competencies: string[]; closed: boolean }[],
  meetings: [] as { meetingId: string; learnerId: string; cohortId: CohortId; outcome: 'held' | 'missed' }[],
};
let browser: Browser;
let origin: RunningWebOrigin;

async function signIn(email: string): Promise<string> {
  const response = await http('identity').post('/auth/login', undefined, { email, password: PASSWORD });
  expect(response.status).toBe(200);
  return response.body.accessToken;
}

beforeAll(async () => {
  const webRoot = ensureWebBuilt();
  services['identity'] = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: 'admin@inst-dash.edu', BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  env['AUTH_JWKS_URL'] = `${services['identity'].url}/.well-known/jwks.json`;
  for (const s of await Promise.all(['coaching', 'feedback', 'analytics'].map((name) => startServiceProcess(name, env)))) services[s.name] = s;

  const admin = { token: await signIn('admin@inst-dash.edu'), schoolId: SCHOOL };
  actors['admin'] = admin;
  expect((await http('identity').post('/schools', admin, { schoolId: SCHOOL, name: 'Medicine' })).status).toBe(201);
  const register = async (userId: string, role: string) => {
    const response = await http('identity').post(`/schools/${SCHOOL}/users`, admin, { userId, email: `${userId}@inst-dash.edu`, displayName: userId, role, password: PASSWORD });
    expect(response.status).toBe(201);
  };
  for (const [userId, role] of [['lead', 'coaching-lead'], ['committee', 'committee-member'], ['school-admin', 'school-admin'], ...COACHES.map((c) => [c, 'coach'])]) {
    await register(userId, role);
  }
  for (const [cohortId, size] of Object.entries(COHORTS) as [CohortId, number][]) {
    expect((await http('identity').post(`/schools/${SCHOOL}/cohorts`, admin, { cohortId, program: 'MD', graduationYear: Number(cohortId.slice(1)) })).status).toBe(201);
    created.learners[cohortId] = [];
    for (let i = 0; i < size; i++) {
      const learnerId = `${cohortId}-l${i}`;
      await register(learnerId, 'learner');
      expect((await http('identity').post(`/users/${learnerId}/enrollment`, admin, { schoolId: SCHOOL, cohortId })).status).toBe(201);
      created.learners[cohortId].push(learnerId);
    }
  }
  for (const name of ['lead', 'committee', 'school-admin', ...COACHES]) actors[name] = { token: await signIn(`${name}@inst-dash.edu`) };

  // coaching learns the roles from identity's events: assign once it knows them
  const everyone = Object.values(created.learners).flat();
  for (const [i, learnerId] of everyone.entries()) {
    await waitFor(async () => expect((await http('coaching').post('/relationships', actors['lead'], { learnerId, coachId: COACHES[i % COACHES.length] })).status).toBe(201));
  }
  // every learner asks their coach for feedback on ICS; in the big cohort the coach answers and closes it,
  // and 10 of them also open one on professionalism (P)
  for (const [cohortId, learners] of Object.entries(created.learners) as [CohortId, string[]][]) {
    for (const [i, learnerId] of learners.entries()) {
      const learner = { token: await signIn(`${learnerId}@inst-dash.edu`) };
      const coach = actors[COACHES[everyone.indexOf(learnerId) % COACHES.length]];
      const opened = await waitFor(async () => {
        const response = await http('feedback').post('/dialogues', learner, { topic: 'Handover', competencies: ['ICS'] });
        expect(response.status).toBe(201);
        return response.body;
      });
      const closed = cohortId === 'c2028';
      if (closed) {
        expect((await http('feedback').post(`/dialogues/${opened.dialogueId}/entries`, coach, { text: 'Well structured', visibility: 'shared' })).status).toBe(201);
        expect((await http('feedback').post(`/dialogues/${opened.dialogueId}/close`, coach)).status).toBeLessThan(300);
      }
      created.dialogues.push({ learnerId, cohortId, competencies: ['ICS'], closed });
      if (cohortId === 'c2028' && i < 10) {
        expect((await http('feedback').post('/dialogues', learner, { topic: 'Professionalism', competencies: ['P'] })).status).toBe(201);
        created.dialogues.push({ learnerId, cohortId, competencies: ['P'], closed: false });
      }
    }
  }
  // meetings: every learner of the two larger cohorts met their coach once, the first two of the big cohort twice, and
  // its last three also missed one; the small cohort has not met yet. A meeting is booked only in the future and
  // recorded only once it has started: booked a few seconds ahead, recorded when the coaching service allows it.
  for (const [cohortId, learners] of Object.entries(created.learners) as [CohortId, string[]][]) {
    if (cohortId === 'c2030') continue;
    for (const [i, learnerId] of learners.entries()) {
      const outcomes: ('held' | 'missed')[] = ['held', ...(cohortId === 'c2028' && i < 2 ? ['held' as const] : []), ...(cohortId === 'c2028' && i >= 9 ? ['missed' as const] : [])];
      for (const outcome of outcomes) {
        const coach = actors[COACHES[everyone.indexOf(learnerId) % COACHES.length]];
        const booked = await http('coaching').post('/meetings', coach, { learnerId, startsAt: new Date(Date.now() + 3_000).toISOString(), durationMinutes: 30 });
        expect(booked.status).toBe(201);
        created.meetings.push({ meetingId: booked.body.meetingId, learnerId, cohortId, outcome });
      }
    }
  }
  for (const { meetingId, learnerId, outcome } of created.meetings) {
    const coach = actors[COACHES[everyone.indexOf(learnerId) % COACHES.length]];
    const body = outcome === 'held' ? { agenda: ['Goals since we last met'], notes: [{ text: 'Agreed the next step', visibility: 'shared-with-learner' }] } : {};
    await waitFor(async () => expect((await http('coaching').post(`/meetings/${meetingId}/${outcome}`, coach, body)).status).toBe(200));
  }
  origin = await startWebOrigin({ identity: services['identity'].url, coaching: services['coaching'].url, feedback: services['feedback'].url, analytics: services['analytics'].url }, { webRoot });
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await origin?.stop();
  await Promise.all(Object.values(services).map((s) => s.stop()));
  await dropServiceDatabases(namespace, Object.keys(services));
});

/** Every event a service appended to its own store (one document per commit; see the event store in README). */
async function storedEvents(service: string): Promise<{ type: string; occurredAt: string; data: Record<string, string> }[]> {
  const connection = await mongoose.createConnection(testServers().mongoUrl, { dbName: databaseOf(service) }).asPromise();
  try {
    const commits = await connection.collection<{ events: { type: string; occurredAt: string; data: Record<string, string> }[] }>('events').find({}).toArray();
    return commits.flatMap((commit) => commit.events);
  } finally {
    await connection.close();
  }
}

/**
 * From coaching's event store: meetings held with the learner's current coach (since the coach was assigned), per
 * cohort, and the relationships behind cadence as of `asOf` (active, with neither the assignment nor a held meeting
 * within the cadence before it; no program is set here, so the cadence is the default 56 days).
 */
async function coachingInStore() {
  const events = (await storedEvents('coaching')).sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  const relationships = new Map<string, { since: string; status: string }>();
  for (const e of events) {
    const current = relationships.get(e.data['learnerId']);
    if (e.type === 'coaching.coach-assigned') relationships.set(e.data['learnerId'], { since: e.occurredAt, status: 'active' });
    else if (current && e.type === 'coaching.relationship-paused') current.status = 'paused';
    else if (current && e.type === 'coaching.relationship-resumed') current.status = 'active';
    else if (current && e.type === 'coaching.relationship-ended') current.status = 'ended';
  }
  const held = events.filter((e) => {
    const relationship = relationships.get(e.data['learnerId']);
    return e.type === 'coaching.meeting-held' && !!relationship && relationship.status !== 'ended' && e.occurredAt >= relationship.since;
  });
  const cohortOf = (learnerId: string) => (Object.keys(COHORTS) as CohortId[]).find((c) => created.learners[c].includes(learnerId));
  const inCohort = (cohortId: CohortId) => held.filter((e) => cohortOf(e.data['learnerId']) === cohortId).length;
  const lastMet = (learnerId: string, since: string) => held.filter((e) => e.data['learnerId'] === learnerId).reduce((last, e) => (e.occurredAt > last ? e.occurredAt : last), since);
  const behind = [...relationships].filter(([learnerId, r]) => r.status === 'active' && Date.parse(asOf) - Date.parse(lastMet(learnerId, r.since)) > 56 * 86_400_000);
  return { held: { c2028: inCohort('c2028'), c2029: inCohort('c2029'), c2030: inCohort('c2030'), total: held.length }, behind: behind.length };
}

/** Counts from what the test created (not from analytics). */
function expected(competency?: string) {
  const dialogues = created.dialogues.filter((d) => !competency || d.competencies.includes(competency));
  const of = (cohortId?: CohortId) => dialogues.filter((d) => !cohortId || d.cohortId === cohortId);
  return {
    big: { learners: COHORTS.c2028, dialogues: of('c2028').length, closed: of('c2028').filter((d) => d.closed).length },
    total: { learners: COHORTS.c2028 + COHORTS.c2029 + COHORTS.c2030, dialogues: of().length, closed: of().filter((d) => d.closed).length },
  };
}

const asOf = '2030-01-01T00:00:00.000Z';
const analytics = (query = '') => http('analytics').get(`/schools/${SCHOOL}/analytics?asOf=${asOf}${query}`, actors['committee']);
type Table = { id: string; columns: { id: string }[]; rows: { id: string; total?: boolean; cells: { value: number | null; suppressed: boolean }[] }[] };
const cellOf = (tables: Table[], tableId: string, rowId: string, columnId: string) => {
  const table = tables.find((t) => t.id === tableId)!;
  const row = table.rows.find((r) => (rowId === 'total' ? r.total : r.id === rowId && !r.total))!;
  const cell = row.cells[table.columns.findIndex((c) => c.id === columnId)];
  return cell.suppressed ? 'suppressed' : cell.value;
};

/** A fresh page signed in to the workspace's analytics page (`path`); `failures` collects the page's uncaught errors. */
async function signInOnPage(email: string, path = '/committee'): Promise<{ page: Page; failures: string[] }> {
  // a context of its own: axe analyzes pages of contexts made with newContext
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 1800 }, acceptDownloads: true })).newPage();
  const failures: string[] = [];
  page.on('pageerror', (e) => failures.push(e.message));
  await page.goto(`${origin.url.replace(/\/$/, '')}${path}`);
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
  return { page, failures };
}

describe('analytics and its dashboard', () => {
  it('answers the committee with counts that match what was created, the small cohort suppressed', async () => {
    const body = await waitFor(async () => {
      const response = await analytics();
      expect(response.status).toBe(200);
      expect(cellOf(response.body.tables, 'dialogues', 'total', 'dialogues')).toBe(expected().total.dialogues);
      expect(cellOf(response.body.tables, 'dialogues', 'c2028', 'closed')).toBe(expected().big.closed);
      return response.body;
    }, { timeoutMs: 60_000 });
    const { big, total } = expected();
    expect(cellOf(body.tables, 'dialogues', 'c2028', 'learners')).toBe(big.learners);
    expect(cellOf(body.tables, 'dialogues', 'c2028', 'dialogues')).toBe(big.dialogues);
    expect(cellOf(body.tables, 'dialogues', 'total', 'learners')).toBe(total.learners);
    // 3 learners: below k; and since the total is published, the next smallest cohort is suppressed with it
    expect(cellOf(body.tables, 'dialogues', 'c2030', 'learners')).toBe('suppressed');
    expect(cellOf(body.tables, 'dialogues', 'c2029', 'learners')).toBe('suppressed');
    expect(body.minimumGroupSize).toBe(10);
    expect(JSON.stringify(body)).not.toMatch(/c20\d\d-l\d/);
    // a narrow filter on the small cohort shows nothing about it
    const small = (await analytics('&cohortId=c2030')).body;
    for (const table of small.tables as Table[]) {
      const row = table.rows.find((r) => r.id === 'c2030' && !r.total);
      for (const cell of row?.cells ?? []) expect(cell.suppressed || !cell.value).toBe(true);
    }
    // the committee gets no per-coach table; the lead does
    expect(body.tables.map((t: Table) => t.id)).not.toContain('coaches');
    const lead = (await http('analytics').get(`/schools/${SCHOOL}/analytics?asOf=${asOf}`, actors['lead'])).body;
    expect(cellOf(lead.tables, 'coaches', 'coach-1', 'learners')).toBe(9);
  });

  it('gives a committee member the school activity totals as the tables publish them: none from 1 to k - 1', async () => {
    const activity = (await http('analytics').get(`/schools/${SCHOOL}/activity`, actors['committee'])).body;
    const tables = (await analytics()).body.tables as Table[];
    const plain = (await http('analytics').get(`/schools/${SCHOOL}/activity`, actors['lead'])).body;
    const { total } = expected();
    expect(activity.minimumGroupSize).toBe(10);
    expect(activity.dialogues).toEqual({ opened: total.dialogues, closed: total.closed, open: total.dialogues - total.closed });
    expect(activity.dialogues).toEqual(plain.dialogues);
    expect(activity.goals.total).toBe(cellOf(tables, 'goals', 'total', 'set') === 'suppressed' ? null : cellOf(tables, 'goals', 'total', 'set'));
    expect(activity.coaching.learnersWithCoach).toBe(cellOf(tables, 'coaching', 'total', 'withCoach'));
    // every figure about learners (coaches are counted as the coach-load table counts them) is suppressed, 0 or at least k
    const { coaches: _coaches, ...learnerFigures } = activity.coaching;
    for (const value of [...Object.values(activity.dialogues), ...Object.values(activity.goals), ...Object.values(learnerFigures)]) {
      expect(value === null || value === 0 || (value as number) >= 10).toBe(true);
    }
  });

  it('counts meetings held and relationships behind cadence as coaching\'s event store records them', async () => {
    const { held, behind } = await coachingInStore();
    // the store holds what the test made
    const made = (cohortId?: CohortId) => created.meetings.filter((m) => m.outcome === 'held' && (!cohortId || m.cohortId === cohortId)).length;
    expect(held).toEqual({ c2028: made('c2028'), c2029: made('c2029'), c2030: 0, total: made() });
    expect(held.total).toBe(25);
    await waitFor(async () => {
      const tables = (await analytics()).body.tables as Table[];
      expect(cellOf(tables, 'coaching', 'total', 'meetingsHeld')).toBe(held.total);
      expect(cellOf(tables, 'coaching', 'c2028', 'meetingsHeld')).toBe(held.c2028);
      expect(cellOf(tables, 'coaching', 'c2029', 'meetingsHeld')).toBe(held.c2029);
      // the learners of the small cohort have coaches (3 learners: suppressed), and have held no meeting (0 learners: shown)
      expect(cellOf(tables, 'coaching', 'c2030', 'meetingsHeld')).toBe(0);
      expect(cellOf(tables, 'coaching', 'c2030', 'withCoach')).toBe('suppressed');
      expect(cellOf(tables, 'coaching', 'total', 'behindCadence')).toBe(behind);
    }, { timeoutMs: 60_000 });
    // as of 2030 every relationship is behind: its last meeting was years before
    expect(behind).toBe(Object.values(COHORTS).reduce((sum: number, size) => sum + size, 0));
  });

  it('uses the school\'s own minimum group size', async () => {
    const set = (k: number) => http('analytics').put(`/schools/${SCHOOL}/analytics-settings`, actors['school-admin'], { minimumGroupSize: k });
    expect((await set(12)).status).toBe(200);
    expect((await http('analytics').put(`/schools/${SCHOOL}/analytics-settings`, actors['committee'], { minimumGroupSize: 12 })).status).toBe(403);
    expect((await set(3)).status).toBe(400);
    await waitFor(async () => {
      const body = (await analytics()).body;
      expect(body.minimumGroupSize).toBe(12);
      // 11 < 12: the middle cohort is suppressed on its own account now, with the small one
      expect(cellOf(body.tables, 'dialogues', 'c2028', 'learners')).toBe(12);
      expect(cellOf(body.tables, 'dialogues', 'c2029', 'learners')).toBe('suppressed');
    });
    expect((await set(10)).status).toBe(200);
    await waitFor(async () => expect((await analytics()).body.minimumGroupSize).toBe(10));
  });

  it('the dashboard signs in, shows the numbers, changes them with a filter, shows suppressed cells and exports CSV', async () => {
    const { page, failures } = await signInOnPage('committee@inst-dash.edu');

    const cell = (table: string, row: string, column: string) => page.locator(`[data-table="${table}"] tr[data-row="${row}"] td[data-column="${column}"]`);
    const { big, total } = expected();
    await cell('dialogues', 'c2028', 'dialogues').waitFor();
    expect(await cell('dialogues', 'c2028', 'learners').textContent()).toBe(String(big.learners));
    expect(await cell('dialogues', 'c2028', 'dialogues').textContent()).toBe(String(big.dialogues));
    expect(await cell('dialogues', 'c2028', 'closed').textContent()).toBe(String(big.closed));
    expect(await cell('dialogues', 'total', 'dialogues').textContent()).toBe(String(total.dialogues));
    expect(await cell('dialogues', 'c2030', 'learners').textContent()).toBe('suppressed');
    expect(await cell('dialogues', 'c2030', 'learners').getAttribute('class')).toContain('suppressed');
    expect(await cell('dialogues', 'c2029', 'learners').textContent()).toBe('suppressed');
    expect(await cell('coaching', 'c2028', 'meetingsHeld').textContent()).toBe(String((await coachingInStore()).held.c2028));
    await page.locator('[data-testid="chart-engagement"] svg').first().waitFor();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard.png'), fullPage: true });
    expect(await accessibilityProblems(page)).toEqual([]);

    // a filter: only ICS dialogues
    await page.selectOption('select[aria-label="Competency"]', 'ICS');
    const ics = expected('ICS');
    await waitFor(async () => expect(await cell('dialogues', 'total', 'dialogues').textContent()).toBe(String(ics.total.dialogues)));
    expect(ics.total.dialogues).not.toBe(total.dialogues);
    expect(await cell('dialogues', 'c2028', 'dialogues').textContent()).toBe(String(ics.big.dialogues));
    expect(await cell('dialogues', 'c2030', 'learners').textContent()).toBe('suppressed');
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-ics.png'), fullPage: true });

    // and one cohort: the slice of the school-wide table
    await page.selectOption('select[aria-label="Cohort"]', 'c2030');
    await page.locator('[data-table="dialogues"] tr[data-row="c2028"]').waitFor({ state: 'detached' });
    expect(await cell('dialogues', 'c2030', 'dialogues').textContent()).toBe('suppressed');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-table="dialogues"] h2 button')]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toBe('medicine-dialogues.csv');
    expect(csv.split('\n')[0]).toBe('Cohort,Learners,Dialogues,Learners with a dialogue,Closed,Closed with action items,Dialogues per learner,Share closed (%),Share closed with action items (%),Median hours to first response');
    expect(csv).toContain('suppressed');
    expect(csv).toContain(`All cohorts,${total.learners},${ics.total.dialogues}`);
    expect(failures).toEqual([]);
    await page.close();
  });

  it('an institution admin sees the schools side by side and picks one; nobody else gets the comparison', async () => {
    const { total } = expected();
    const comparison = await http('analytics').get(`/institution/analytics?asOf=${asOf}`, actors['admin']);
    expect(comparison.status).toBe(200);
    expect(comparison.body.schools).toEqual([SCHOOL]);
    expect(cellOf([comparison.body.table], 'schools', SCHOOL, 'dialogues.learners')).toBe(total.learners);
    expect(cellOf([comparison.body.table], 'schools', SCHOOL, 'dialogues.perLearner')).toBe(Math.round((100 * total.dialogues) / total.learners) / 100);
    // the same figure as the school's own table, suppressed or not
    const own = (await analytics()).body;
    expect(cellOf([comparison.body.table], 'schools', SCHOOL, 'coaching.withCoach')).toBe(cellOf(own.tables, 'coaching', 'total', 'withCoach'));
    expect((await http('analytics').get('/institution/analytics', actors['committee'])).status).toBe(403);
    expect((await http('analytics').get('/institution/analytics?granularity=week&period=2026-09', actors['admin'])).status).toBe(400);
    expect((await http('analytics').get('/institution/analytics?cohortId=c2028', actors['admin'])).status).toBe(400);

    const { page, failures } = await signInOnPage('admin@inst-dash.edu', '/institution/analytics');
    const learners = page.locator(`[data-table="schools"] tr[data-row="${SCHOOL}"] td[data-column="dialogues.learners"]`);
    await learners.waitFor();
    expect(await learners.textContent()).toBe(String(total.learners));
    // the school picked from the list (not typed): its own tables follow
    expect(await page.locator('select[aria-label="School"] option').allTextContents()).toEqual([SCHOOL]);
    await page.locator('[data-table="dialogues"] tr[data-row="total"] td[data-column="dialogues"]').waitFor();
    expect(await page.locator('[data-table="dialogues"] tr[data-row="total"] td[data-column="dialogues"]').textContent()).toBe(String(total.dialogues));
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-institution.png'), fullPage: true });
    expect(failures).toEqual([]);
    await page.close();
  });

  it('rebuilds blue/green with a BullMQ job to exactly the same numbers, reporting events and rate', async () => {
    const before = (await analytics('&granularity=week')).body;
    const started = await http('analytics').post('/admin/projections/school-activity/rebuild', actors['admin']);
    expect(started.status).toBe(202);
    // the live generation keeps answering during the rebuild
    expect((await analytics('&granularity=week')).body).toEqual(before);
    const job = await waitFor(async () => {
      const response = await http('analytics').get(`/admin/projections/rebuilds/${started.body.jobId}`, actors['admin']);
      expect(response.body.state).toBe('completed');
      return response.body;
    }, { timeoutMs: 60_000 });
    process.stdout.write(`analytics rebuild: ${job.result.events} events (${job.result.total} commits) at ${job.result.eventsPerSecond} events/s\n`);
    expect(job.result).toMatchObject({ blueGreen: true, done: job.result.total });
    expect(job.result.events).toBeGreaterThanOrEqual(created.dialogues.length);
    expect(job.result.eventsPerSecond).toBeGreaterThan(0);
    expect((await analytics('&granularity=week')).body).toEqual(before);
  });
});
