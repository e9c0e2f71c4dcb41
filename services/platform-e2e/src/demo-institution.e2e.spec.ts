import { Actor, dropServiceDatabases, httpClient, RunningService, RunningWebOrigin, startServiceProcess, startWebOrigin, uniqueName, waitFor } from '@cbme/testing';
import { accessibilityProblems, ensureWebBuilt, launchBrowser, openPage, screenshot, settled, signIn } from '@cbme/testing/browser';
import { join } from 'node:path';
import { Browser } from 'playwright-core';
import { SeedResult, seedInstitution, SIZES } from '@cbme/testing/demo';

/**
 * The demo institution (small size: 3 schools, 4 cohorts of 26, four years of history through the history imports)
 * seeded into this test's own services, then the committee's first view: the API's figures for every cohort are
 * published (not suppressed), the engagement trend has points across four academic years, and the dashboard in
 * Chromium shows exactly the API's figures. The seed alone takes minutes on this machine (see the report printed).
 */
const namespace = uniqueName('demo');
const INSTITUTION = 'inst-demo';
const DOMAIN = 'inst-demo.edu';
const PASSWORD = 'coaching-demo-2026';
const SCHOOL = 'medicine';
const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION, KEY_ACTIVATION_SECONDS: '0', NOTIFY_CHANNEL: 'log' };

const services: Record<string, RunningService> = {};
const http = (name: string) => httpClient(services[name].url);
let committee: Actor;
let seeded: SeedResult;
let browser: Browser;
let origin: RunningWebOrigin;

type Cell = { value: number | null; suppressed: boolean };
type Table = { id: string; columns: { id: string }[]; rows: { id: string; label: string; total?: boolean; cells: Cell[] }[] };
const analytics = async (query = '') => {
  const response = await http('analytics').get(`/schools/${SCHOOL}/analytics${query}`, committee);
  expect(response.status).toBe(200);
  return response.body as { minimumGroupSize: number; tables: Table[] };
};
const tableOf = (tables: Table[], id: string): Table => {
  const table = tables.find((t) => t.id === id);
  if (!table) throw new Error(`no table ${id} in the analytics`);
  return table;
};
const column = (table: Table, id: string) => table.columns.findIndex((c) => c.id === id);

beforeAll(async () => {
  const webRoot = ensureWebBuilt();
  services['identity'] = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: `admin@${DOMAIN}`, BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  env['AUTH_JWKS_URL'] = `${services['identity'].url}/.well-known/jwks.json`;
  for (const s of await Promise.all(['coaching', 'feedback', 'analytics'].map((name) => startServiceProcess(name, env)))) services[s.name] = s;
  const urls = { identity: services['identity'].url, coaching: services['coaching'].url, feedback: services['feedback'].url, analytics: services['analytics'].url };
  seeded = await seedInstitution({
    urls, size: SIZES.small, adminEmail: `admin@${DOMAIN}`, adminPassword: PASSWORD, password: PASSWORD, domain: DOMAIN,
    dir: join(__dirname, '../../../tmp/demo-history', namespace), log: (line) => process.stdout.write(`[demo] ${line}\n`),
  });
  process.stdout.write(`[demo] seeded: ${JSON.stringify(seeded)}\n`);
  const login = await http('identity').post('/auth/login', undefined, { email: `${SCHOOL}-committee@${DOMAIN}`, password: PASSWORD });
  committee = { token: login.body.accessToken, schoolId: SCHOOL };
  origin = await startWebOrigin(urls, { webRoot });
  browser = await launchBrowser();
}, 3_600_000);

afterAll(async () => {
  await browser?.close();
  await origin?.stop();
  await Promise.all(Object.values(services).map((s) => s.stop()));
  await dropServiceDatabases(namespace, Object.keys(services));
});

describe('the demo institution', () => {
  it('imported every record it generated, coaching and feedback kinds', () => {
    const records = Object.values(seeded.kinds).reduce((a, b) => a + b, 0);
    expect(seeded.imported.coaching + seeded.imported.feedback).toBe(records);
    expect(seeded.imported.alreadyImported).toBe(0);
    for (const kind of ['relationship-transferred', 'relationship-paused', 'relationship-ended', 'meeting-held', 'meeting-missed', 'meeting-cancelled',
      'dialogue-entry-added', 'action-item-completed', 'goal-revised', 'goal-status-changed', 'plan-revised', 'plan-reviewed', 'self-assessment-recorded', 'assessment-result-recorded']) {
      expect(seeded.kinds[kind]).toBeGreaterThan(0);
    }
  });

  it('shows what people are in the middle of today: coaches\' plans under peer review, and requests for feedback', async () => {
    const signInAs = async (key: string, role: string): Promise<Actor> => {
      const login = await http('identity').post('/auth/login', undefined, { email: `${SCHOOL}-${key}@${DOMAIN}`, password: PASSWORD });
      return { token: login.body.accessToken, schoolId: SCHOOL, role } as Actor;
    };
    const [coach1, coach2] = await Promise.all([signInAs('coach-1', 'coach'), signInAs('coach-2', 'coach')]);
    expect(await http('feedback').get(`/coaches/${SCHOOL}-coach-1/plan`, coach1)).toMatchObject({ status: 200, body: { planVersion: 1, awaiting: [] } });
    expect((await http('feedback').get(`/coaches/${SCHOOL}-coach-1/plan`, coach1)).body.reviews).toHaveLength(1);
    expect(await http('feedback').get(`/coaches/${SCHOOL}-coach-2/plan`, coach2)).toMatchObject({ status: 200, body: { awaiting: [{ reviewerId: `${SCHOOL}-coach-1` }] } });
    const learnerId = seeded.askingToday[SCHOOL];
    const learner = { token: (await http('identity').post('/auth/login', undefined, { email: `${learnerId}@${DOMAIN}`, password: PASSWORD })).body.accessToken, schoolId: SCHOOL };
    await waitFor(async () => {
      const requests = (await http('feedback').get(`/learners/${learnerId}/feedback-requests`, learner)).body.requests as { status: string }[];
      expect(requests.map((r) => r.status).sort()).toEqual(['answered', 'requested']);
    }, { timeoutMs: 30_000 });
  });

  it('gives the committee published figures for every cohort, and a trend over four academic years', async () => {
    const body = await analytics();
    expect(body.minimumGroupSize).toBe(10);
    const figures = (tableId: string, columnId: string, rows: (row: Table['rows'][number]) => boolean = () => true) => {
      const table = tableOf(body.tables, tableId);
      return table.rows.filter(rows).map((row) => ({ row: row.id || 'total', figure: `${tableId}.${columnId}`, cell: row.cells[column(table, columnId)] }));
    };
    const coaching = tableOf(body.tables, 'coaching');
    // meetings count with the learner's current coach: the cohort that graduated last June has none now
    const coached = (row: Table['rows'][number]) => (row.cells[column(coaching, 'withCoach')].value ?? 0) > 0;
    expect(figures('dialogues', 'learners')).toHaveLength(5); // four cohorts and the total
    expect(figures('coaching', 'meetingsHeld', coached)).toHaveLength(4);
    // the count of dialogues of the cohort that entered this September is genuinely small (months of history), and a
    // second cohort's is then withheld so it cannot be had by subtraction: that figure is checked for the total only
    const all = [...figures('dialogues', 'learners'), ...figures('dialogues', 'dialogues', (row) => !!row.total), ...figures('goals', 'set'), ...figures('coaching', 'meetingsHeld', coached)];
    const unpublished = all.filter(({ cell }) => cell.suppressed || !cell.value).map(({ row, figure, cell }) => `${row} ${figure}: ${cell.suppressed ? 'suppressed' : cell.value}`);
    expect(unpublished).toEqual([]);
    const byTerm = tableOf((await analytics('?granularity=term')).tables, 'engagement');
    const terms = byTerm.rows.filter((r) => !r.total && !r.cells[column(byTerm, 'meetingsHeld')].suppressed && (r.cells[column(byTerm, 'meetingsHeld')].value ?? 0) > 0);
    const years = new Set(terms.map((r) => r.id.slice(0, 4)));
    expect(terms.length).toBeGreaterThanOrEqual(10);
    expect(years.size).toBeGreaterThanOrEqual(4);
  });

  it('shows the committee the API\'s figures on the dashboard, with multi-year trend points, and passes axe', async () => {
    const web = origin.url.replace(/\/$/, '');
    const { page } = await openPage(browser, web);
    // the query the page sent (its filters), asked again of the analytics service directly
    const asked: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname === `/api/analytics/schools/${SCHOOL}/analytics`) asked.push(url.search);
    });
    await signIn(page, web, `${SCHOOL}-committee@${DOMAIN}`, PASSWORD, '/committee');
    await page.locator('[data-table="dialogues"] tr[data-row="total"] td[data-column="dialogues"]').waitFor();
    await settled(page);
    expect(asked.length).toBeGreaterThan(0);
    const tables = (await analytics(asked[asked.length - 1])).tables;
    let compared = 0;
    for (const tableId of ['dialogues', 'goals', 'coaching']) {
      const table = tableOf(tables, tableId);
      for (const row of table.rows) {
        for (const [c, cell] of row.cells.entries()) {
          if (cell.suppressed || cell.value === null || !Number.isInteger(cell.value)) continue;
          const shown = await page.locator(`[data-table="${tableId}"] tr[data-row="${row.total ? 'total' : row.id}"] td[data-column="${table.columns[c].id}"]`).textContent();
          expect({ tableId, row: row.id, column: table.columns[c].id, shown }).toEqual({ tableId, row: row.id, column: table.columns[c].id, shown: String(cell.value) });
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(30);

    // the engagement chart by term: one point per term of the four years, as many as the API has periods
    await page.selectOption('select[aria-label="Granularity"]', 'term');
    await waitFor(() => expect(asked[asked.length - 1]).toContain('granularity=term'));
    const byTerm = tableOf((await analytics(asked[asked.length - 1])).tables, 'engagement');
    const periods = byTerm.rows.filter((r) => !r.total).length;
    expect(periods).toBeGreaterThanOrEqual(10);
    await waitFor(async () => expect(await page.locator('[data-table="engagement"] tbody tr:not(.total)').count()).toBe(periods), { timeoutMs: 30_000 });
    // the fourth line (meetings held): a dot per published term
    const meetingsDots = page.locator('[data-testid="chart-engagement"] .recharts-line-dots').nth(3).locator('.recharts-line-dot');
    expect(await meetingsDots.count()).toBeGreaterThanOrEqual(10);
    await screenshot(page, 'demo-dashboard');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.context().close();
  });
});
