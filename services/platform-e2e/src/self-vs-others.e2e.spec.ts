import { Actor, freePort, HttpResult, httpClient, RunningService, startServiceProcess, startWebOrigin, uniqueName, waitFor } from '@cbme/testing';
import { Browser } from 'playwright-core';
import { checkPage, endJourney, ensureWebBuilt, launchBrowser, openPage, settled, signIn } from '@cbme/testing/browser';

/**
 * Self-assessment beside others' view, against identity, coaching and feedback as real processes and the web app
 * through nginx: Lena rates herself (ICS shared, PC privately), her coach Cora rates both in a dialogue entry. Lena
 * sees both gaps; Cora sees only the shared self-rating; "Discuss at next meeting" puts the gap on the agenda of
 * Lena's next meeting in coaching, read back from the meeting.
 */
const namespace = uniqueName('web-gaps');
const INSTITUTION = 'inst-gaps';
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const email = (userId: string) => `${userId}@inst-gaps.edu`;

const services: Record<string, RunningService> = {};
let origin: { url: string; stop(): Promise<void> };
let web: string;
let browser: Browser;
let meetingId: string;
let dialogueId: string;
const http = (name: string) => httpClient(services[name].url);
const actors: Record<string, Actor> = {};
const started = Date.now();
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

async function expectStatus(call: Promise<HttpResult>, status: number) {
  const response = await call;
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

beforeAll(async () => {
  const webRoot = ensureWebBuilt();
  const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION, KEY_ACTIVATION_SECONDS: '0', NOTIFY_CHANNEL: 'log' };
  services['identity'] = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: email('admin'), BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  env['AUTH_JWKS_URL'] = `${services['identity'].url}/.well-known/jwks.json`;
  for (const s of await Promise.all(['coaching', 'feedback'].map((name) => startServiceProcess(name, env)))) services[s.name] = s;
  origin = await startWebOrigin(
    { identity: services['identity'].url, coaching: services['coaching'].url, feedback: services['feedback'].url, analytics: `http://127.0.0.1:${await freePort()}` },
    { webRoot },
  );
  web = origin.url.replace(/\/$/, '');

  const login = async (userId: string) => ({ token: (await http('identity').post('/auth/login', undefined, { email: email(userId), password: PASSWORD })).body.accessToken, schoolId: SCHOOL });
  actors['admin'] = await login('admin');
  await expectStatus(http('identity').post('/schools', actors['admin'], { schoolId: SCHOOL, name: 'Medicine' }), 201);
  const people: [string, string, string][] = [['lena', 'learner', 'Lena Learner'], ['cora', 'coach', 'Cora Coach'], ['carl', 'coach', 'Carl Coach'], ['lee', 'coaching-lead', 'Lee Lead']];
  for (const [userId, role, displayName] of people) {
    await expectStatus(http('identity').post(`/schools/${SCHOOL}/users`, actors['admin'], { userId, email: email(userId), displayName, role, password: PASSWORD }), 201);
    actors[userId] = await login(userId);
  }
  await waitFor(async () => expect((await http('coaching').post('/relationships', actors['lee'], { learnerId: 'lena', coachId: 'cora' })).status).toBe(201), { timeoutMs: 60_000 });
  meetingId = (await expectStatus(http('coaching').post('/meetings', actors['cora'], { learnerId: 'lena', startsAt: inDays(10), durationMinutes: 30, location: 'Room 4' }), 201)).meetingId;

  const lena = actors['lena'];
  await expectStatus(http('feedback').post('/self-assessments', lena, { ratings: [{ competency: 'ICS', level: 4 }] }), 201);
  await expectStatus(http('feedback').post('/self-assessments', lena, { ratings: [{ competency: 'PC', level: 5 }], visibility: 'private' }), 201);
  // feedback learns that Cora coaches Lena from coaching's events
  dialogueId = await waitFor(async () => (await expectStatus(http('feedback').post('/dialogues', lena, { topic: 'Handover on nights', competencies: ['ICS', 'PC'] }), 201)).dialogueId as string, { timeoutMs: 60_000 });
  await expectStatus(http('feedback').post(`/dialogues/${dialogueId}/entries`, actors['cora'], {
    text: 'Structure the handover with SBAR', visibility: 'shared', ratings: [{ competency: 'ICS', level: 2 }, { competency: 'PC', level: 2 }],
  }), 201);
  // the read model follows the store a moment behind the command's answer
  await waitFor(async () => expect((await http('feedback').get('/learners/lena/self-vs-others', lena)).body.competencies?.[1]?.others?.coach?.count).toBe(1), { timeoutMs: 30_000 });
  browser = await launchBrowser();
}, 300_000);

afterAll(() => endJourney('self vs others', started, { browser, origin, services, namespace }));

describe('self-assessment beside others\' view', () => {
  it('the learner sees every gap, the coach only what the learner shares, anyone else the answer for an unknown learner', async () => {
    const mine = await expectStatus(http('feedback').get('/learners/lena/self-vs-others', actors['lena']), 200);
    expect(mine).toMatchObject({ view: 'everything', threshold: 1 });
    expect(mine.competencies.map((r: { competency: string; self: { level: number } | null; gap: number | null; flagged: boolean }) => [r.competency, r.self?.level ?? null, r.gap, r.flagged]))
      .toEqual([['PC', 5, 3, true], ['ICS', 4, 2, true]]);
    const coach = await expectStatus(http('feedback').get('/learners/lena/self-vs-others', actors['cora']), 200);
    expect(coach).toMatchObject({ view: 'shared' });
    expect(coach.competencies.map((r: { competency: string; self: { level: number } | null; gap: number | null }) => [r.competency, r.self?.level ?? null, r.gap])).toEqual([['PC', null, null], ['ICS', 4, 2]]);
    // the private self-assessment does not reach the coach through the list of self-assessments either
    expect((await expectStatus(http('feedback').get('/learners/lena/self-assessments', actors['cora']), 200)).selfAssessments).toHaveLength(1);
    for (const stranger of ['carl', 'lee']) {
      const real = await http('feedback').get('/learners/lena/self-vs-others', actors[stranger]);
      const unknown = await http('feedback').get('/learners/nobody-here/self-vs-others', actors[stranger]);
      expect([stranger, real.status, real.body]).toEqual([stranger, 404, unknown.body]);
    }
    expect((await http('feedback').get('/learners/lena/self-vs-others?threshold=9', actors['lena'])).status).toBe(400);
    expect((await expectStatus(http('feedback').get('/learners/lena/self-vs-others?threshold=2.5', actors['lena']), 200)).competencies.map((r: { flagged: boolean }) => r.flagged)).toEqual([true, false]);
  });

  it('in the browser: the learner sees the gaps highlighted and puts one on the next meeting\'s agenda; the coach sees the shared part and the item', async () => {
    const accessibility: string[] = [];
    const learner = await openPage(browser, web);
    await signIn(learner.page, web, email('lena'), PASSWORD);
    await learner.page.getByRole('link', { name: "Others' view" }).click();
    await learner.page.getByRole('heading', { name: "Self-assessment and others' view" }).waitFor();
    await settled(learner.page);
    const ics = learner.page.locator('tr[data-competency=ICS]');
    expect(await ics.getAttribute('class')).toBe('flagged');
    expect(await ics.textContent()).toMatch(/large gap.*\+2 \(self higher\)/);
    await checkPage(learner.page, accessibility, 'self-vs-others-learner');

    await learner.page.getByRole('button', { name: 'Discuss at next meeting: ICS' }).click();
    await ics.getByText('On the agenda').waitFor();
    const item = 'Discuss ICS (Interpersonal and Communication Skills): self-rating 4, others 2, gap +2';
    await learner.page.locator('section[aria-labelledby=next-meeting] li', { hasText: item }).waitFor();
    // read back from the meeting in coaching
    expect((await expectStatus(http('coaching').get(`/meetings/${meetingId}`, actors['cora']), 200)).agenda).toEqual([item]);
    // a second click (another tab, a retry) puts nothing on twice
    await expectStatus(http('coaching').post(`/meetings/${meetingId}/agenda`, actors['lena'], { item }), 200);
    expect((await expectStatus(http('coaching').get(`/meetings/${meetingId}`, actors['lena']), 200)).agenda).toEqual([item]);

    const coach = await openPage(browser, web);
    await signIn(coach.page, web, email('cora'), PASSWORD);
    await coach.page.goto(`${web}/coach/coachees/lena/self-vs-others`);
    await coach.page.getByRole('heading', { name: "Self-assessment and others' view" }).waitFor();
    await settled(coach.page);
    const pc = coach.page.locator('tr[data-competency=PC]');
    // Lena kept her PC self-rating to herself: no rating, no gap, nothing to discuss
    expect(await pc.locator('td[data-label="Self-rating"]').textContent()).toBe('—');
    expect(await pc.locator('td[data-label="Gap"]').textContent()).toBe('—');
    expect(await coach.page.locator('tr[data-competency=ICS]').getByText('On the agenda').count()).toBe(1);
    await coach.page.locator('section[aria-labelledby=next-meeting] li', { hasText: item }).waitFor();
    await checkPage(coach.page, accessibility, 'self-vs-others-coach');

    // the coach's ratings show on the entry; the entry form offers a rating per competency of the dialogue
    await coach.page.goto(`${web}/coach/dialogues/${dialogueId}`);
    await coach.page.getByText('Rated: ICS 2 of 5, PC 2 of 5').waitFor();
    await coach.page.getByRole('group', { name: /Rate the learner/ }).getByLabel('PC').waitFor();
    await checkPage(coach.page, accessibility, 'dialogue-coach-ratings');
    expect([...learner.problems, ...coach.problems]).toEqual([]);
    expect(accessibility).toEqual([]);
  });
});
