import { Actor, httpClient, RunningService, startServiceProcess, startWebOrigin, uniqueName, waitFor } from '@cbme/testing';
import { Browser, Page } from 'playwright-core';
import { accessibilityProblems, beyondViewport, endJourney, ensureWebBuilt, launchBrowser, openPage, screenshot, settled, signIn } from '@cbme/testing/browser';

/**
 * A coach's own development plan, against identity and feedback as real processes (and Chromium through nginx): the
 * coach writes and revises it with a rationale, asks a peer coach to review it, the peer records the review; the
 * school's coaching lead reads it; a learner and a coach nobody asked are told it does not exist.
 */
const namespace = uniqueName('coach-plans');
const INSTITUTION = 'inst-coach-plans';
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const email = (userId: string) => `${userId}@inst-coach-plans.edu`;
const WORDS = 'Notice my own assumptions when I give feedback';

const services: Record<string, RunningService> = {};
let origin: { url: string; stop(): Promise<void> };
let web: string;
let browser: Browser;
const actors: Record<string, Actor> = {};
const http = (name: string) => httpClient(services[name].url);
const feedback = () => http('feedback');
const accessibility: string[] = [];
const started = Date.now();
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const dayIn = (days: number) => inDays(days).slice(0, 10);

async function checked(page: Page, name?: string) {
  await settled(page);
  accessibility.push(...(await accessibilityProblems(page)));
  if (name) await screenshot(page, name);
}

beforeAll(async () => {
  const webRoot = ensureWebBuilt();
  const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION, KEY_ACTIVATION_SECONDS: '0', NOTIFY_CHANNEL: 'log' };
  services['identity'] = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: email('admin'), BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  services['feedback'] = await startServiceProcess('feedback', { ...env, AUTH_JWKS_URL: `${services['identity'].url}/.well-known/jwks.json` });
  // the pages of this journey call identity and feedback only
  const absent = 'http://127.0.0.1:9';
  origin = await startWebOrigin({ identity: services['identity'].url, coaching: absent, feedback: services['feedback'].url, analytics: absent }, { webRoot });
  web = origin.url.replace(/\/$/, '');

  const admin = { token: (await http('identity').post('/auth/login', undefined, { email: email('admin'), password: PASSWORD })).body.accessToken, schoolId: SCHOOL };
  expect((await http('identity').post('/schools', admin, { schoolId: SCHOOL, name: 'Medicine' })).status).toBe(201);
  const people: [string, string, string][] = [
    ['cora', 'coach', 'Cora Coach'], ['carl', 'coach', 'Carl Coach'], ['cato', 'coach', 'Cato Coach'], ['cleo', 'coach', 'Cleo Coach'],
    ['lena', 'learner', 'Lena Learner'], ['lee', 'coaching-lead', 'Lee Lead'],
  ];
  for (const [userId, role, displayName] of people) {
    expect((await http('identity').post(`/schools/${SCHOOL}/users`, admin, { userId, email: email(userId), displayName, role, password: PASSWORD })).status).toBe(201);
    actors[userId] = { token: (await http('identity').post('/auth/login', undefined, { email: email(userId), password: PASSWORD })).body.accessToken };
  }
  browser = await launchBrowser();
}, 300_000);

afterAll(() => endJourney('coach plan journeys', started, { browser, origin, services, namespace }));

describe('a coach\'s development plan over HTTP', () => {
  it('is written and revised by the coach with a rationale, refusing bad input with JSON 4xx at the field', async () => {
    const plan = '/coaches/me/plan/revisions';
    expect(await feedback().post(plan, actors['cora'], { focusAreas: [{ area: 'juggling', title: 'x' }], nextReviewDue: 'soon' }))
      .toMatchObject({ status: 400, body: { statusCode: 400, details: expect.arrayContaining([expect.stringContaining('area'), expect.stringContaining('nextReviewDue')]) } });
    expect(await feedback().post(plan, actors['cora'], { focusAreas: [{ area: 'coaching-skills', title: 'x' }], nextReviewDue: inDays(-1) }))
      .toMatchObject({ status: 422, body: { details: [expect.stringMatching(/^nextReviewDue: /)] } });
    expect(await feedback().post(plan, actors['cora'], { focusAreas: [], nextReviewDue: inDays(30) })).toMatchObject({ status: 422, body: { details: [expect.stringMatching(/^focusAreas: /)] } });
    expect((await feedback().post(plan, actors['lena'], { focusAreas: [{ area: 'coaching-skills', title: 'x' }], nextReviewDue: inDays(30) })).status).toBe(403);
    expect((await feedback().post(plan, actors['lee'], { focusAreas: [{ area: 'coaching-skills', title: 'x' }], nextReviewDue: inDays(30) })).status).toBe(403);

    expect(await feedback().post(plan, actors['cora'], { focusAreas: [{ focusId: 'f1', area: 'inclusive-language', title: WORDS }], nextReviewDue: inDays(30) }))
      .toMatchObject({ status: 201, body: { coachId: 'cora', planVersion: 1 } });
    expect(await feedback().post(plan, actors['cora'], { focusAreas: [{ focusId: 'f1', area: 'inclusive-language', title: WORDS }], nextReviewDue: inDays(30) }))
      .toMatchObject({ status: 422, body: { details: [expect.stringMatching(/^rationale: /)] } });
    const areas = [{ focusId: 'f1', area: 'inclusive-language', title: WORDS }, { area: 'quality-improvement', title: 'Run one PDSA cycle on handover feedback' }];
    expect(await feedback().post(plan, actors['cora'], { focusAreas: areas, nextReviewDue: inDays(45), rationale: 'QI project this term' }))
      .toMatchObject({ status: 201, body: { planVersion: 2 } });
    const { body } = await feedback().get('/coaches/cora/plan', actors['cora']);
    expect(body).toMatchObject({ coachId: 'cora', planVersion: 2, focusAreas: [{ focusId: 'f1', area: 'inclusive-language', title: WORDS }, { area: 'quality-improvement' }] });
    expect(body.versions.map((v: { version: number; rationale: string | null }) => [v.version, v.rationale])).toEqual([[1, null], [2, 'QI project this term']]);
  });

  it('is reviewed with a peer coach the coach asked; learners and coaches nobody asked get the 404 of an unknown plan; the lead reads it', async () => {
    // feedback learns who is a coach of the school from identity's events
    await waitFor(async () => expect((await feedback().post('/coaches/me/plan/review-requests', actors['cora'], { reviewerId: 'carl' })).status).toBe(201), { timeoutMs: 60_000 });
    expect(await feedback().post('/coaches/me/plan/review-requests', actors['cora'], { reviewerId: 'lena' })).toMatchObject({ status: 422, body: { details: [expect.stringMatching(/^reviewerId: /)] } });
    expect(await feedback().post('/coaches/me/plan/review-requests', actors['cora'], { reviewerId: 'cora' })).toMatchObject({ status: 422 });

    // outsiders: exactly what a coach without any plan gets, for reads and for writes
    const review = { whatChanged: 'Asks open questions first now', nextSteps: ['Observe a peer'], nextReviewDue: inDays(90) };
    for (const outsider of ['lena', 'cato']) {
      const unknownRead = await feedback().get('/coaches/nobody/plan', actors[outsider]);
      expect(unknownRead).toMatchObject({ status: 404, body: { message: 'no development plan of that coach among those you may see' } });
      const read = await feedback().get('/coaches/cora/plan', actors[outsider]);
      expect({ status: read.status, body: read.body }).toEqual({ status: unknownRead.status, body: unknownRead.body });
      const unknownWrite = await feedback().post('/coaches/nobody/plan/reviews', actors[outsider], review);
      const write = await feedback().post('/coaches/cora/plan/reviews', actors[outsider], review);
      expect({ status: write.status, body: write.body }).toEqual({ status: 404, body: unknownWrite.body });
      expect(JSON.stringify(read.body) + JSON.stringify(write.body)).not.toContain(WORDS);
    }
    expect(await feedback().get('/coach-plans', actors['cato'])).toMatchObject({ status: 200, body: { items: [] } });
    expect((await feedback().get('/coach-plans', actors['lena'])).status).toBe(403);

    // the lead sees every coach's plan but reviews only when asked; the peer sees it once asked and records the review
    expect(await feedback().get('/coaches/cora/plan', actors['lee'])).toMatchObject({ status: 200, body: { focusAreas: [{ title: WORDS }, {}] } });
    expect((await feedback().post('/coaches/cora/plan/reviews', actors['lee'], review)).status).toBe(403);
    // the peer's read is judged on the reviewers' read model before the plan is read: once it has the request
    await waitFor(async () => expect((await feedback().get('/coach-plans', actors['carl'])).body).toMatchObject({ items: [{ coachId: 'cora', coachName: 'Cora Coach', planVersion: 2, awaitingMyReview: true }] }), { timeoutMs: 30_000 });
    expect(await feedback().get('/coaches/cora/plan', actors['carl'])).toMatchObject({ status: 200, body: { coachName: 'Cora Coach', awaiting: [{ reviewerId: 'carl', reviewerName: 'Carl Coach', reviewerRole: 'coach' }] } });
    expect((await feedback().post('/coaches/cora/plan/reviews', actors['cora'], review)).status).toBe(403);
    expect(await feedback().post('/coaches/cora/plan/reviews', actors['carl'], review)).toMatchObject({ status: 201, body: { coachId: 'cora' } });
    expect((await feedback().post('/coaches/cora/plan/reviews', actors['carl'], review)).status).toBe(403);
    const { body } = await feedback().get('/coaches/cora/plan', actors['cora']);
    expect(body).toMatchObject({ awaiting: [], requests: [{ reviewerId: 'carl', reviewerRole: 'coach', planVersion: 2 }], reviews: [{ reviewerId: 'carl', planVersion: 2, ...review }], nextReviewDue: review.nextReviewDue });
    // the peer keeps reading the plan they were chosen for
    expect((await feedback().get('/coaches/cora/plan', actors['carl'])).status).toBe(200);
    await waitFor(async () => expect((await feedback().get('/coach-plans', actors['lee'])).body).toMatchObject({ items: [{ coachId: 'cora', awaitingMyReview: false, lastReviewedAt: expect.any(String) }] }), { timeoutMs: 30_000 });
  });
});

describe('a coach\'s development plan in the workspace', () => {
  it('the coach writes and revises their plan and asks a peer for a review; the peer records it; at 1280 and 375 px', async () => {
    const coach = await openPage(browser, web);
    const cp = coach.page;
    await signIn(cp, web, email('cleo'), PASSWORD, '/coach/plan');
    await cp.getByRole('heading', { name: 'My development plan' }).waitFor();
    await checked(cp, 'coach-plan-empty');

    const write = cp.getByRole('form', { name: 'Write my plan' });
    await write.getByRole('button', { name: 'Save my plan' }).click();
    await write.getByText('Name at least one focus area').waitFor();
    await write.getByLabel('Area 1', { exact: true }).selectOption('coaching-skills');
    await write.getByLabel('In my words (area 1)', { exact: true }).fill('Let the learner speak first');
    await write.getByLabel('Next review').fill(dayIn(30));
    await write.getByRole('button', { name: 'Save my plan' }).click();
    await cp.getByRole('heading', { name: 'Version 1' }).waitFor({ timeout: 60_000 });

    // a revision says why: the field shows it before anything is sent
    const revise = cp.getByRole('form', { name: 'Revise my plan' });
    await revise.getByRole('button', { name: 'Add a focus area' }).click();
    await revise.getByLabel('Area 2', { exact: true }).selectOption('inclusive-language');
    await revise.getByLabel('In my words (area 2)', { exact: true }).fill(WORDS);
    await revise.getByRole('button', { name: 'Save my plan' }).click();
    await revise.getByText('Say why the plan changes').waitFor();
    await revise.getByLabel('Why the plan changes').fill('A learner told me my feedback felt one-sided');
    await revise.getByRole('button', { name: 'Save my plan' }).click();
    await cp.getByRole('heading', { name: 'Version 2' }).waitFor({ timeout: 60_000 });

    // asking a learner is refused at the field with the service's message; then the peer
    const ask = cp.getByRole('form', { name: 'Ask for a review' });
    await ask.getByLabel('Reviewer\'s user id').fill('lena');
    await ask.getByRole('button', { name: 'Ask for a review' }).click();
    await ask.getByText('lena is neither a coaching lead nor a coach of this school').waitFor({ timeout: 60_000 });
    await ask.getByLabel('Reviewer\'s user id').fill('carl');
    await ask.getByRole('button', { name: 'Ask for a review' }).click();
    await cp.getByText('Awaiting a review from Carl Coach (peer coach).').waitFor({ timeout: 60_000 });
    const history = cp.getByRole('region', { name: 'History' });
    await history.getByText('Version 2: A learner told me my feedback felt one-sided').waitFor();
    await checked(cp, 'coach-plan-1280');
    await cp.setViewportSize({ width: 375, height: 800 });
    expect(await beyondViewport(cp)).toEqual([]);
    await checked(cp, 'coach-plan-375');
    expect(coach.problems).toEqual([]);

    // the peer: the plans awaiting their review, the plan, the review recorded
    const peer = await openPage(browser, web, 375);
    const pp = peer.page;
    await signIn(pp, web, email('carl'), PASSWORD, '/coach/plan-reviews');
    await pp.getByRole('heading', { name: 'Coaches\' plans to review' }).waitFor();
    await settled(pp);
    const row = pp.getByRole('region', { name: 'Coaches\' development plans' }).locator('tr', { hasText: 'Cleo Coach' });
    await waitFor(async () => {
      await pp.reload();
      await settled(pp);
      expect(await row.textContent()).toContain('Awaiting your review');
    }, { timeoutMs: 60_000 });
    expect(await beyondViewport(pp)).toEqual([]);
    await checked(pp, 'coach-plan-reviews-375');
    await row.getByRole('link', { name: 'cleo' }).click();
    await pp.getByRole('heading', { name: 'Development plan of Cleo Coach' }).waitFor();
    await pp.getByText(WORDS).waitFor();
    const record = pp.getByRole('form', { name: 'Record the review' });
    await record.getByRole('button', { name: 'Record review' }).click();
    await record.getByText('Say what changed').waitFor();
    await record.getByLabel('What changed').fill('Lets the learner speak first now');
    await record.getByLabel('Next steps (one a line)').fill('Observe a peer\nTry the inclusive-language checklist');
    await record.getByLabel('Next review').fill(dayIn(90));
    await checked(pp, 'coach-plan-review-375');
    await record.getByRole('button', { name: 'Record review' }).click();
    await pp.getByText('Reviewed by Carl Coach (peer coach): Lets the learner speak first now').waitFor({ timeout: 60_000 });
    expect(await pp.getByRole('form', { name: 'Record the review' }).count()).toBe(0);
    await pp.setViewportSize({ width: 1280, height: 900 });
    await checked(pp, 'coach-plan-review-1280');
    expect(peer.problems).toEqual([]);

    // the coach sees the review in the plan's history
    await cp.reload();
    await settled(cp);
    await cp.getByText('Reviewed by Carl Coach (peer coach): Lets the learner speak first now').waitFor();
    await peer.page.context().close();
    await coach.page.context().close();

    // the coaching lead: every coach's plan of the school, and one of them
    const lead = await openPage(browser, web);
    await signIn(lead.page, web, email('lee'), PASSWORD, '/lead/coach-plans');
    await lead.page.getByRole('heading', { name: 'Coaches\' development plans' }).waitFor();
    await settled(lead.page);
    const leadRow = lead.page.getByRole('region', { name: 'Coaches\' development plans' }).locator('tr', { hasText: 'Cleo Coach' });
    expect(await leadRow.textContent()).toContain('Coaching skills, Inclusive language');
    await checked(lead.page, 'coach-plans-lead-1280');
    await leadRow.getByRole('link', { name: 'Cleo Coach' }).click();
    await lead.page.getByText(WORDS).waitFor();
    expect(await lead.page.getByRole('form', { name: 'Record the review' }).count()).toBe(0);
    await lead.page.setViewportSize({ width: 375, height: 800 });
    expect(await beyondViewport(lead.page)).toEqual([]);
    await checked(lead.page, 'coach-plan-lead-375');
    expect(lead.problems).toEqual([]);
    await lead.page.context().close();
    expect(accessibility).toEqual([]);
  }, 300_000);
});
