import { Actor, HttpResult, freePort, httpClient, RunningService, startServiceProcess, startWebOrigin, uniqueName, waitFor } from '@cbme/testing';
import { Browser, Page } from 'playwright-core';
import { accessibilityProblems, endJourney, ensureWebBuilt, launchBrowser, openPage, screenshot, settled, signIn } from '@cbme/testing/browser';

/**
 * The coach's pages in Debian's Chromium, through nginx, against identity, coaching and feedback as real processes:
 * a coachee's meeting history with every coach (the notes this coach may read, never another coach's or the
 * learner's private text), "since we last met", self-ratings beside results; after a transfer, the not-found page.
 * The school's history is set up through the API; the coach reads it in the browser.
 */
const namespace = uniqueName('web-coach');
const INSTITUTION = 'inst-coach';
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const email = (userId: string) => `${userId}@inst-coach.edu`;
// texts only their author may read: none may reach Cora's pages
const LEARNER_PRIVATE = 'Private to Lena: I doubt I belong on this rotation';
const LEARNER_PRIVATE_GOAL = 'Private goal: ask about switching programs';
const CARL_PRIVATE = 'Carl only: family circumstances discussed in confidence';
// texts Cora may read
const CARL_SHARED = 'Carl shared: keep a reflective log each week';
const CORA_PRIVATE = 'Cora only: check in about sleep next time';
const CORA_SHARED = 'Cora shared: practise SBAR on the ward';

const services: Record<string, RunningService> = {};
let origin: { url: string; stop(): Promise<void> };
let web: string;
let browser: Browser;
const http = (name: string) => httpClient(services[name].url);
const actors: Record<string, Actor> = {};
const accessibility: string[] = [];
const started = Date.now();
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const inDays = (days: number) => inSeconds(days * 86_400);

/** axe at 1280 and at 375 px, with a screenshot of each */
async function checked(page: Page, name: string) {
  await settled(page);
  accessibility.push(...(await accessibilityProblems(page)));
  await screenshot(page, `${name}-1280`);
  await page.setViewportSize({ width: 375, height: 800 });
  accessibility.push(...(await accessibilityProblems(page)));
  await screenshot(page, `${name}-375`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function expectStatus(call: Promise<HttpResult>, status: number) {
  const response = await call;
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** schedules a meeting of Lena's with her coach now, and returns its id */
const schedule = async (coach: string, startsAt: string, location?: string) =>
  (await expectStatus(http('coaching').post('/meetings', actors[coach], { learnerId: 'lena', startsAt, durationMinutes: 30, ...(location ? { location } : {}) }), 201)).meetingId as string;
/** records it held once it has started */
const held = (coach: string, meetingId: string, notes: { text: string; visibility: string }[]) =>
  waitFor(async () => expect((await http('coaching').post(`/meetings/${meetingId}/held`, actors[coach], { agenda: ['rotation'], notes })).status).toBe(200), { timeoutMs: 30_000 });

beforeAll(async () => {
  const webRoot = ensureWebBuilt();
  const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION, KEY_ACTIVATION_SECONDS: '0', NOTIFY_CHANNEL: 'log' };
  services['identity'] = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: email('admin'), BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  env['AUTH_JWKS_URL'] = `${services['identity'].url}/.well-known/jwks.json`;
  for (const s of await Promise.all(['coaching', 'feedback'].map((name) => startServiceProcess(name, env)))) services[s.name] = s;
  // the coach's pages never call analytics: its upstream is a closed port
  origin = await startWebOrigin(
    { identity: services['identity'].url, coaching: services['coaching'].url, feedback: services['feedback'].url, analytics: `http://127.0.0.1:${await freePort()}` },
    { webRoot },
  );
  web = origin.url.replace(/\/$/, '');

  const login = async (userId: string) => ({ token: (await http('identity').post('/auth/login', undefined, { email: email(userId), password: PASSWORD })).body.accessToken, schoolId: SCHOOL });
  actors['admin'] = await login('admin');
  await expectStatus(http('identity').post('/schools', actors['admin'], { schoolId: SCHOOL, name: 'Medicine' }), 201);
  await expectStatus(http('identity').post(`/schools/${SCHOOL}/cohorts`, actors['admin'], { cohortId: 'c2028', program: 'MD', graduationYear: 2028 }), 201);
  const people: [string, string, string][] = [
    ['lena', 'learner', 'Lena Learner'], ['cora', 'coach', 'Cora Coach'], ['carl', 'coach', 'Carl Coach'], ['lee', 'coaching-lead', 'Lee Lead'], ['sam', 'school-admin', 'Sam Admin'],
  ];
  for (const [userId, role, displayName] of people) {
    await expectStatus(http('identity').post(`/schools/${SCHOOL}/users`, actors['admin'], { userId, email: email(userId), displayName, role, password: PASSWORD }), 201);
    actors[userId] = await login(userId);
  }
  await expectStatus(http('identity').post('/users/lena/enrollment', actors['admin'], { schoolId: SCHOOL, cohortId: 'c2028' }), 201);

  // Carl coaches Lena first: one meeting held, with a note private to him and one shared with her
  await waitFor(async () => expect((await http('coaching').post('/relationships', actors['lee'], { learnerId: 'lena', coachId: 'carl' })).status).toBe(201), { timeoutMs: 60_000 });
  const withCarl = await schedule('carl', inSeconds(3), 'Room 1');
  await held('carl', withCarl, [{ text: CARL_PRIVATE, visibility: 'coach-only' }, { text: CARL_SHARED, visibility: 'shared-with-learner' }]);

  // then Cora: a meeting moved and held, one missed, one cancelled, one booked ahead
  await expectStatus(http('coaching').post('/learners/lena/coaching/transfer', actors['lee'], { toCoachId: 'cora', reason: 'Carl moved to the north campus' }), 200);
  const moved = await schedule('cora', inDays(2), 'Room 2');
  const missed = await schedule('cora', inSeconds(4));
  const cancelled = await schedule('cora', inDays(3));
  await schedule('cora', inDays(20), 'Room 9');
  await expectStatus(http('coaching').post(`/meetings/${moved}/reschedule`, actors['cora'], { startsAt: inSeconds(4), reason: 'clinic moved' }), 200);
  await expectStatus(http('coaching').post(`/meetings/${cancelled}/cancel`, actors['cora'], { reason: 'Lena on call' }), 200);
  await held('cora', moved, [{ text: CORA_PRIVATE, visibility: 'coach-only' }, { text: CORA_SHARED, visibility: 'shared-with-learner' }]);
  await expectStatus(http('coaching').post(`/meetings/${missed}/missed`, actors['cora'], {}), 200);

  // since they met: Lena writes (privately and shared), sets goals, revises her plan, rates herself; a result arrives
  const lena = actors['lena'];
  const dialogueId = await waitFor(async () => (await expectStatus(http('feedback').post('/dialogues', lena, { topic: 'Handover on nights', competencies: ['ICS'] }), 201)).dialogueId as string, { timeoutMs: 60_000 });
  await expectStatus(http('feedback').post(`/dialogues/${dialogueId}/entries`, lena, { text: LEARNER_PRIVATE, visibility: 'private' }), 201);
  await expectStatus(http('feedback').post(`/dialogues/${dialogueId}/entries`, lena, { text: 'I rushed the handover', visibility: 'shared' }), 201);
  const goalId = (await expectStatus(http('feedback').post('/goals', lena, { description: 'Lead a structured handover', competencies: ['ICS'], targetDate: '2030-06-30' }), 201)).goalId;
  await expectStatus(http('feedback').post(`/goals/${goalId}/revisions`, lena, { description: 'Lead two structured handovers a week', targetDate: '2030-06-30', rationale: 'Nights' }), 201);
  await expectStatus(http('feedback').post('/goals', lena, { description: LEARNER_PRIVATE_GOAL, competencies: ['PC'], targetDate: '2030-06-30', visibility: 'private' }), 201);
  await expectStatus(http('feedback').post('/plan/revisions', lena, { focusAreas: [{ title: 'Handover', competencies: ['ICS'] }], goalIds: [], nextReviewDue: inDays(30) }), 201);
  await waitFor(async () => expect((await http('feedback').post('/learners/lena/plan/reviews', actors['cora'], { whatChanged: 'Focus moved to nights', nextSteps: ['Observe a night handover'], nextReviewDue: inDays(60) })).status).toBe(201), { timeoutMs: 60_000 });
  await expectStatus(http('feedback').post('/self-assessments', lena, { ratings: [{ competency: 'ICS', level: 2 }, { competency: 'PC', level: 3 }] }), 201);
  const today = new Date().toISOString().slice(0, 10);
  await waitFor(async () => expectStatus(http('feedback').post('/assessment-results/imports', actors['sam'], {
    csv: `learnerId,competency,kind,instrument,score,maxScore,assessedOn\nlena,ICS,wba-rating,Mini-CEX,4,5,${today}\n`,
  }), 201), { timeoutMs: 60_000 });
  browser = await launchBrowser();
}, 300_000);

afterAll(() => endJourney('coach journeys', started, { browser, origin, services, namespace }));

describe("the coach's pages in the browser", () => {
  it("a coach opens a coachee: since we last met, the meeting history with every coach and only the notes theirs to read, self-ratings beside results; after a transfer, the not-found page", async () => {
    const { page, problems } = await openPage(browser, web);
    await signIn(page, web, email('cora'), PASSWORD);
    await page.waitForURL(`${web}/coach`);
    // the list shows the coachee's name, not their id
    await page.getByRole('link', { name: 'Lena Learner' }).waitFor();
    await checked(page, 'coach-home-coachees');

    await page.getByRole('link', { name: 'Lena Learner' }).click();
    await page.getByRole('heading', { name: 'Lena Learner' }).waitFor();
    // the read models catch up with what Lena did since the meeting within moments
    const since = page.locator('section[aria-labelledby=since]');
    await waitFor(async () => {
      await page.reload();
      await settled(page);
      const text = (await since.textContent()) ?? '';
      for (const item of ['New in the dialogue “Handover on nights”', 'Goal changed: Lead two structured handovers a week', 'New result: Mini-CEX 4 of 5']) expect(text).toContain(item);
    }, { timeoutMs: 60_000 });
    await checked(page, 'coach-coachee-since');
    expect(await page.content()).not.toContain(LEARNER_PRIVATE);
    expect(await page.content()).not.toContain(LEARNER_PRIVATE_GOAL);

    await page.getByRole('link', { name: 'Meeting history' }).click();
    await page.getByRole('heading', { name: 'Meetings with Lena Learner' }).waitFor();
    await settled(page);
    const next = page.locator('section[aria-labelledby=next-meetings]');
    expect(await next.textContent()).toContain('Room 9');
    const past = (await page.locator('section[aria-labelledby=past-meetings]').textContent()) ?? '';
    for (const text of ['4 meetings, newest first', CORA_SHARED, CORA_PRIVATE, CARL_SHARED, 'moved', 'clinic moved', 'missed', 'Cancelled', 'Lena on call', 'a previous coach (Carl Coach)']) expect(past).toContain(text);
    await page.getByText('Focus moved to nights').waitFor();
    await checked(page, 'coach-coachee-meetings');
    const html = await page.content();
    for (const secret of [CARL_PRIVATE, LEARNER_PRIVATE, LEARNER_PRIVATE_GOAL]) expect(html).not.toContain(secret);

    await page.getByRole('link', { name: 'Back to Lena Learner' }).click();
    await page.getByRole('link', { name: 'Self-assessment and results' }).click();
    const table = page.getByRole('table');
    await table.waitFor();
    expect(await table.locator('tr', { hasText: 'ICS' }).textContent()).toMatch(/2 of 5.*Mini-CEX: 4 of 5/);
    expect(await table.locator('tr', { hasText: 'PC' }).textContent()).toContain('3 of 5');
    await checked(page, 'coach-coachee-assessments');
    expect(await page.content()).not.toContain(LEARNER_PRIVATE);

    // the lead moves Lena back to Carl: Cora's history URL is now the not-found page
    const historyUrl = `${web}/coach/coachees/lena/meetings`;
    await expectStatus(http('coaching').post('/learners/lena/coaching/transfer', actors['lee'], { toCoachId: 'carl', reason: 'Back to the main campus' }), 200);
    await page.goto(historyUrl);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    await checked(page, 'coach-former-not-found');
    expect(await page.content()).not.toContain(CORA_SHARED);
    expect(problems).toEqual([]);
    expect(accessibility).toEqual([]);
  });

  it('the services answer a former coach about the learner exactly as about a learner who does not exist; the coach now reads it all', async () => {
    // feedback learns of the transfer from coaching's events: Carl reads her results as soon as it has
    await waitFor(async () => expect((await http('feedback').get('/learners/lena/assessment-results', actors['carl'])).body.results).toHaveLength(1), { timeoutMs: 60_000 });
    expect((await http('feedback').get('/learners/lena/self-assessments', actors['carl'])).body.selfAssessments).toHaveLength(1);
    const paths = [['coaching', '/coaching'], ['coaching', '/coaching/meetings'], ['feedback', '/self-assessments'], ['feedback', '/assessment-results']];
    for (const [service, rest] of paths) {
      const former = await http(service).get(`/learners/lena${rest}`, actors['cora']);
      const unknown = await http(service).get(`/learners/nobody-here${rest}`, actors['cora']);
      expect([service, rest, former.status, former.body]).toEqual([service, rest, 404, unknown.body]);
    }
    // Carl, her coach again, reads his own private note and Cora's shared one, never Cora's private one
    const history = await expectStatus(http('coaching').get('/learners/lena/coaching/meetings?pageSize=2', actors['carl']), 200);
    expect(history).toMatchObject({ total: 4, page: 1, pageSize: 2 });
    const page2 = await expectStatus(http('coaching').get('/learners/lena/coaching/meetings?page=2&pageSize=2', actors['carl']), 200);
    const notes = [...history.meetings, ...page2.meetings].flatMap((m: { notes: { text: string }[] }) => m.notes.map((n) => n.text));
    expect(notes.sort()).toEqual([CARL_PRIVATE, CARL_SHARED, CORA_SHARED].sort());
    // each meeting names its coach, the former one too
    const coaches = new Set([...history.meetings, ...page2.meetings].map((m: { coachId: string; coachName: string }) => `${m.coachId}: ${m.coachName}`));
    expect([...coaches].sort()).toEqual(['carl: Carl Coach', 'cora: Cora Coach']);
    expect((await http('coaching').get('/learners/lena/coaching/meetings?pageSize=500', actors['carl'])).status).toBe(400);
  });
});
