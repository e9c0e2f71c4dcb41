import { eventsTopic } from '@cbme/contracts';
import {
  dropServiceDatabases, freePort, httpClient, RunningService, RunningSmtpServer, startServiceProcess, startSmtpServer, startWebOrigin, testServers, uniqueName, waitFor,
} from '@cbme/testing';
import { checkPage, ensureWebBuilt, eventuallyShown, launchBrowser, openPage, settled, signIn } from '@cbme/testing/browser';
import { Queue } from 'bullmq';
import { SignJWT } from 'jose';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { resolve } from 'node:path';
import { Browser } from 'playwright-core';

/**
 * Feedback that is sought, over the real stack (identity, coaching and feedback as processes, a real SMTP server,
 * Kafka, Redis): a learner asks an external assessor by e-mail, the mail carries a link with a signed token, the
 * token's page shows only that request, the answer lands in a dialogue, and the token is refused a second time,
 * forged or expired. A colleague with an account declines; a coach prompts; the one reminder goes out (reminders
 * after 0 days here); a request made two days ago by a feedback service whose clock runs two days back (preloaded
 * shifted-clock.cjs) has expired for the real one, which takes over the same database. Nothing private reaches Kafka.
 */
const namespace = uniqueName('sought');
const INSTITUTION = 'inst-sought';
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const SECRET = 'a-test-only-link-secret-of-at-least-32-characters';
const WEB = 'http://web.sought.test';
const DAY = 86_400_000;
const email = (userId: string) => `${userId}@inst-sought.edu`;
const LINK_REFUSED = 'this feedback link cannot be used: it was used already, the request was declined or has expired, or the link is not valid';
const NO_REQUEST = 'no feedback request with that id in this school';
const ANSWER = 'Clear SBAR structure on the septic patient; ask the night team for a read-back of the plan.';
const ENCOUNTER = 'Handover of a septic patient at 8 pm';
const DECLINE_REASON = 'I was not on the ward that week';
const EXTERNAL = { email: 'r.rivera@hospital.test', name: 'Dr. Rivera' };

const services: Record<string, RunningService> = {};
const http = (name: string) => httpClient(services[name].url);
const as: Record<string, { token: string }> = {};
let smtp: RunningSmtpServer;
let connection: mongoose.Connection;
let jobs: Queue;
let expiredRequestId: string;
let expiredToken: string;

const login = async (userId: string) => ({ token: (await http('identity').post('/auth/login', undefined, { email: email(userId), password: PASSWORD })).body.accessToken as string });
const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));
const tokenIn = (text: string) => /#token=([\w.-]+)/.exec(text)?.[1] ?? '';
const requestStream = async (requestId: string) => {
  const commits = await connection.collection<{ from: number; events: { type: string; data: Record<string, unknown> }[] }>('events').find({ streamId: `feedback-request-${requestId}` }).toArray();
  return commits.sort((a, b) => a.from - b.from).flatMap((c) => c.events);
};
const sign = (claims: { sub: string; exp: number }, secret = SECRET) =>
  new SignJWT({ sch: SCHOOL, inst: INSTITUTION }).setProtectedHeader({ alg: 'HS256' }).setSubject(claims.sub).setIssuer(`${namespace}:feedback`)
    .setAudience('feedback-request-link').setExpirationTime(claims.exp).sign(new TextEncoder().encode(secret));

beforeAll(async () => {
  smtp = await startSmtpServer();
  const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION, KEY_ACTIVATION_SECONDS: '0', NOTIFY_CHANNEL: 'log' };
  services['identity'] = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: email('admin'), BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  env['AUTH_JWKS_URL'] = `${services['identity'].url}/.well-known/jwks.json`;
  const feedbackEnv = {
    ...env, NOTIFY_CHANNEL: 'email', SMTP_URL: smtp.url, NOTIFY_FROM: 'feedback@inst-sought.edu', WEB_ORIGIN: WEB, FEEDBACK_LINK_SECRET: SECRET,
    FEEDBACK_REQUEST_REMINDER_DAYS: '0', FEEDBACK_REQUEST_EXPIRY_DAYS: '1',
  };
  const twoDaysAgo = { NODE_OPTIONS: `--require ${resolve(__dirname, 'shifted-clock.cjs')}`, CLOCK_SHIFT_MS: String(-2 * DAY) };
  const [coaching, pastFeedback] = await Promise.all([startServiceProcess('coaching', env), startServiceProcess('feedback', { ...feedbackEnv, ...twoDaysAgo })]);
  Object.assign(services, { coaching, feedback: pastFeedback });
  connection = await mongoose.createConnection(testServers().mongoUrl, { dbName: `${namespace.replace(/-/g, '_')}_feedback` }).asPromise();
  jobs = new Queue('feedback-request-jobs', { connection: { url: testServers().redisUrl }, prefix: `${namespace}:feedback` });

  const admin = { token: (await http('identity').post('/auth/login', undefined, { email: email('admin'), password: PASSWORD })).body.accessToken, schoolId: SCHOOL };
  expect((await http('identity').post('/schools', admin, { schoolId: SCHOOL, name: 'Medicine' })).status).toBe(201);
  for (const [userId, role, displayName] of [['lena', 'learner', 'Lena Learner'], ['otto', 'learner', 'Otto Other'], ['cora', 'coach', 'Cora Coach'], ['colin', 'coach', 'Colin Colleague'], ['lee', 'coaching-lead', 'Lee Lead']]) {
    expect((await http('identity').post(`/schools/${SCHOOL}/users`, admin, { userId, email: email(userId), displayName, role, password: PASSWORD })).status).toBe(201);
  }
  for (const userId of ['lena', 'otto', 'cora', 'colin', 'lee']) as[userId] = await login(userId);
  await waitFor(async () => expect((await http('coaching').post('/relationships', as.lee, { learnerId: 'lena', coachId: 'cora' })).status).toBe(201), { timeoutMs: 60_000 });

  // two days ago (by the shifted service): a request to an external that expires after one day
  const old = await waitFor(async () => {
    const response = await http('feedback').post('/feedback-requests', as.lena, { asked: { kind: 'external', email: 'old@hospital.test', name: 'Dr. Old' }, competencies: ['PC'] });
    expect(response.status).toBe(201);
    return response.body;
  }, { timeoutMs: 60_000 });
  expiredRequestId = old.requestId;
  expiredToken = await waitFor(() => {
    const [invitation] = mailsTo('old@hospital.test');
    expect(invitation).toBeDefined();
    return tokenIn(invitation.text);
  });
  // today: the real feedback service takes over the same database
  await pastFeedback.stop();
  services['feedback'] = await startServiceProcess('feedback', feedbackEnv);
}, 300_000);

afterAll(async () => {
  await jobs?.close();
  await connection?.close();
  await Promise.all(Object.values(services).map((s) => s.stop()));
  await smtp?.stop();
  await dropServiceDatabases(namespace, ['identity', 'coaching', 'feedback']);
});

/** the external's request and its link token, used again by the rate-limit case at the end */
let requestId: string;
let token: string;

describe('feedback that is sought', () => {
  it('a learner asks an external assessor; the mail carries a link whose page shows only that request', async () => {
    const made = await http('feedback').post('/feedback-requests', as.lena, {
      asked: { kind: 'external', ...EXTERNAL }, competencies: ['ICS', 'EPA-8'], context: { rotation: 'Cardiology ward', date: '2026-11-30', encounter: ENCOUNTER },
    });
    expect(made).toMatchObject({ status: 201, body: { status: 'requested' } });
    requestId = made.body.requestId;
    const invitation = await waitFor(() => {
      const [mail] = mailsTo(EXTERNAL.email);
      expect(mail).toBeDefined();
      return mail;
    });
    expect(invitation.subject).toBe('Lena Learner asks for your feedback');
    expect(invitation.text).toContain(`${WEB}/feedback/answer#token=`);
    token = tokenIn(invitation.text);

    const page = await http('feedback').get(`/feedback-links/request?token=${token}`);
    expect(page).toMatchObject({ status: 200 });
    expect(page.body).toEqual({
      requestId, learner: { displayName: 'Lena Learner' }, assessorName: 'Dr. Rivera', expiresAt: made.body.expiresAt,
      context: { rotation: 'Cardiology ward', date: '2026-11-30', encounter: ENCOUNTER },
      competencies: [
        { code: 'ICS', name: 'Interpersonal and Communication Skills', scale: 'competency', levels: ['novice', 'advanced beginner', 'competent', 'proficient', 'expert'] },
        expect.objectContaining({ code: 'EPA-8', scale: 'entrustment' }),
      ],
    });
  });

  it('the answer (text and a rating per competency) lands in a dialogue the learner holds; the token is then refused', async () => {
    expect(await http('feedback').post('/feedback-links/answer', undefined, { token, text: ANSWER, ratings: [{ competency: 'ICS', level: 4 }] }))
      .toMatchObject({ status: 422, body: { message: 'rate every competency asked about; missing: EPA-8' } });
    const answered = await http('feedback').post('/feedback-links/answer', undefined, { token, text: ANSWER, ratings: [{ competency: 'ICS', level: 4 }, { competency: 'EPA-8', level: 3 }] });
    expect(answered).toMatchObject({ status: 200, body: { requestId, status: 'answered', dialogueId: `fr-${requestId}` } });

    const dialogue = await waitFor(async () => {
      const response = await http('feedback').get(`/dialogues/fr-${requestId}`, as.lena);
      expect(response.status).toBe(200);
      return response.body;
    });
    expect(dialogue).toMatchObject({ learnerId: 'lena', coachId: 'cora', competencies: ['ICS', 'EPA-8'], status: 'open' });
    expect(dialogue.entries).toHaveLength(1);
    expect(dialogue.entries[0].text).toContain(ANSWER);
    expect(dialogue.entries[0].text).toContain('EPA-8: 3/5 (act with indirect supervision)');
    // the learner reflects on it like on any dialogue, and it can motivate a goal
    expect((await http('feedback').post(`/dialogues/fr-${requestId}/entries`, as.lena, { text: 'I will ask for the read-back.', visibility: 'shared', kind: 'reflection' })).status).toBe(201);
    await waitFor(async () => {
      const list = await http('feedback').get('/learners/lena/feedback-requests', as.lena);
      expect(list.body.requests.find((r: { requestId: string }) => r.requestId === requestId))
        .toMatchObject({ status: 'answered', dialogueId: `fr-${requestId}`, ratings: [{ competency: 'ICS', level: 4, scale: 'competency' }, { competency: 'EPA-8', level: 3, scale: 'entrustment' }] });
    });

    // single use: the same token again
    expect(await http('feedback').get(`/feedback-links/request?token=${token}`)).toMatchObject({ status: 404, body: { message: LINK_REFUSED } });
    expect(await http('feedback').post('/feedback-links/answer', undefined, { token, text: 'again', ratings: [{ competency: 'ICS', level: 1 }, { competency: 'EPA-8', level: 1 }] }))
      .toMatchObject({ status: 409, body: { message: 'this feedback request was answered; it takes no further answer' } });
    expect((await requestStream(requestId)).filter((e) => e.type === 'feedback.request-answered')).toHaveLength(1);
  });

  it('refuses a forged token and one past its expiry with the one message, and a request that expired', async () => {
    const forged = await sign({ sub: requestId, exp: Math.floor(Date.now() / 1000) + 3600 }, 'another-key-that-is-not-the-services-own-key');
    const expired = await sign({ sub: requestId, exp: Math.floor(Date.now() / 1000) - 60 });
    for (const bad of [forged, expired, `${token}x`]) {
      expect(await http('feedback').get(`/feedback-links/request?token=${bad}`)).toMatchObject({ status: 404, body: { message: LINK_REFUSED } });
      expect(await http('feedback').post('/feedback-links/decline', undefined, { token: bad })).toMatchObject({ status: 404, body: { message: LINK_REFUSED } });
    }
    // made two days ago with an expiry of one day: its own link expired with it, and its expiry job has run
    expect(await http('feedback').get(`/feedback-links/request?token=${expiredToken}`)).toMatchObject({ status: 404, body: { message: LINK_REFUSED } });
    await waitFor(async () => {
      const list = await http('feedback').get('/learners/lena/feedback-requests', as.lena);
      expect(list.body.requests.find((r: { requestId: string }) => r.requestId === expiredRequestId)).toMatchObject({ status: 'expired' });
      expect((await requestStream(expiredRequestId)).map((e) => e.type)).toContain('feedback.request-expired');
    }, { timeoutMs: 30_000 });
  });

  it('a colleague with an account finds it among "asked of me" and declines; nobody else sees it', async () => {
    const made = await http('feedback').post('/feedback-requests', as.lena, { asked: { kind: 'colleague', userId: 'colin' }, competencies: ['P'], context: { encounter: ENCOUNTER } });
    expect(made.status).toBe(201);
    const id = made.body.requestId;
    const invitation = await waitFor(() => {
      const [mail] = mailsTo(email('colin'));
      expect(mail).toBeDefined();
      return mail;
    });
    expect(invitation.text).toContain(`${WEB}/feedback/asked/${id}`);
    expect(invitation.text).not.toContain('#token=');
    await waitFor(async () => {
      const asked = await http('feedback').get('/feedback-requests/asked-of-me', as.colin);
      expect(asked.body.requests).toEqual([expect.objectContaining({ requestId: id, learner: { displayName: 'Lena Learner' }, status: 'requested', competencies: ['P'] })]);
    });
    expect(await http('feedback').get(`/feedback-requests/${id}`, as.colin)).toMatchObject({ status: 200, body: { assessor: { kind: 'colleague', userId: 'colin', name: 'Colin Colleague' } } });
    // another learner, and the learner's coach who was not asked: the same 404 as for an unknown id
    for (const stranger of [as.otto, as.cora]) {
      expect(await http('feedback').get(`/feedback-requests/${id}`, stranger)).toMatchObject({ status: 404, body: { message: NO_REQUEST } });
      expect(await http('feedback').post(`/feedback-requests/${id}/decline`, stranger, {})).toMatchObject({ status: 404, body: { message: NO_REQUEST } });
    }
    expect(await http('feedback').get('/feedback-requests/3fa85f64-5717-4562-b3fc-2c963f66afa6', as.otto)).toMatchObject({ status: 404, body: { message: NO_REQUEST } });
    expect(await http('feedback').post(`/feedback-requests/${id}/answer`, as.lena, { text: 'x', ratings: [{ competency: 'P', level: 3 }] })).toMatchObject({ status: 403 });

    expect(await http('feedback').post(`/feedback-requests/${id}/decline`, as.colin, { reason: DECLINE_REASON })).toMatchObject({ status: 200, body: { status: 'declined' } });
    expect(await http('feedback').post(`/feedback-requests/${id}/answer`, as.colin, { text: 'x', ratings: [{ competency: 'P', level: 3 }] })).toMatchObject({ status: 409 });
  });

  it('an external declines through the link, which is then refused', async () => {
    const made = await http('feedback').post('/feedback-requests', as.lena, { asked: { kind: 'external', email: 'nurse@hospital.test', name: 'Nurse Kim' }, competencies: ['ICS'] });
    expect(made.status).toBe(201);
    const link = await waitFor(() => {
      const [mail] = mailsTo('nurse@hospital.test');
      expect(mail).toBeDefined();
      return tokenIn(mail.text);
    });
    expect(await http('feedback').post('/feedback-links/decline', undefined, { token: link, reason: DECLINE_REASON })).toMatchObject({ status: 200, body: { requestId: made.body.requestId, status: 'declined' } });
    expect(await http('feedback').get(`/feedback-links/request?token=${link}`)).toMatchObject({ status: 404, body: { message: LINK_REFUSED } });
  });

  it('the one reminder goes out after the configured days (0 here), once, also when its job runs again', async () => {
    await waitFor(() => expect(mailsTo(EXTERNAL.email).map((m) => m.subject)).toEqual(['Lena Learner asks for your feedback', 'Reminder: Lena Learner asks for your feedback']));
    // the reminder names the same link: one request, one token
    expect(tokenIn(mailsTo(EXTERNAL.email)[1].text)).toBe(token);
    const made = await http('feedback').post('/feedback-requests', as.lena, { asked: { kind: 'coach' }, competencies: ['MK'] });
    const id = made.body.requestId;
    await waitFor(async () => expect((await requestStream(id)).map((e) => e.type)).toEqual(['feedback.request-made', 'feedback.request-reminder-sent']));
    const again = await jobs.add('reminder', { kind: 'reminder', at: new Date().toISOString(), institutionId: INSTITUTION, schoolId: SCHOOL, requestId: id, correlationId: 'again' }, { jobId: `again-${id}` });
    await waitFor(async () => expect(await again.isCompleted()).toBe(true));
    expect((await requestStream(id)).map((e) => e.type)).toEqual(['feedback.request-made', 'feedback.request-reminder-sent']);
    await waitFor(() => expect(mailsTo(email('cora')).map((m) => m.subject)).toEqual(['Lena Learner asks for your feedback', 'Reminder: Lena Learner asks for your feedback']));
  });

  it('a coach prompts their coachee, who turns the prompt into a request; another coach cannot prompt', async () => {
    expect(await http('feedback').post('/learners/lena/feedback-prompts', as.colin, { competencies: ['SBP'] })).toMatchObject({ status: 404 });
    const prompted = await http('feedback').post('/learners/lena/feedback-prompts', as.cora, { competencies: ['SBP'], message: 'Ask the discharge nurse' });
    expect(prompted).toMatchObject({ status: 201, body: { status: 'prompted' } });
    const id = prompted.body.requestId;
    await waitFor(async () => {
      const list = await http('feedback').get('/learners/lena/feedback-requests', as.lena);
      expect(list.body.requests.find((r: { requestId: string }) => r.requestId === id)).toMatchObject({ status: 'prompted', promptedBy: 'cora', promptMessage: 'Ask the discharge nurse', competencies: ['SBP'] });
    });
    const made = await http('feedback').post('/feedback-requests', as.lena, { requestId: id, asked: { kind: 'colleague', userId: 'colin' }, competencies: ['SBP'] });
    expect(made).toMatchObject({ status: 201, body: { requestId: id, status: 'requested' } });
    // the prompting coach follows it; the colleague asked does not read the coach's message
    expect(await http('feedback').get(`/feedback-requests/${id}`, as.cora)).toMatchObject({ status: 200, body: { status: 'requested', promptedBy: 'cora', promptMessage: 'Ask the discharge nurse' } });
    expect(await http('feedback').get(`/feedback-requests/${id}`, as.colin)).toMatchObject({ status: 200, body: { promptMessage: null } });
  });

  it('publishes requests and answers on Kafka without the address, names, context or texts', async () => {
    const kafka = new Kafka({ clientId: `${namespace}-reader`, brokers: testServers().kafkaBrokers, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `${namespace}-reader` });
    const seen: { type: string; data: Record<string, unknown>; raw: string }[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: eventsTopic(namespace, 'feedback'), fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => {
        const raw = message.value?.toString() ?? '';
        seen.push({ ...(JSON.parse(raw) as { type: string; data: Record<string, unknown> }), raw });
      } });
      await waitFor(() => expect(seen.filter((e) => e.type === 'feedback.request-declined')).toHaveLength(2), { timeoutMs: 60_000 });
      const made = seen.find((e) => e.type === 'feedback.request-made' && e.data['requestId'] === requestId);
      expect(Object.keys(made?.data ?? {}).sort()).toEqual(['assessorKind', 'coachId', 'competencies', 'expiresAt', 'learnerId', 'remindAt', 'requestId']);
      const answered = seen.find((e) => e.type === 'feedback.request-answered');
      expect(Object.keys(answered?.data ?? {}).sort()).toEqual(['dialogueId', 'learnerId', 'ratings', 'requestId', 'wordCount']);
      expect(seen.find((e) => e.type === 'feedback.request-prompted')?.data).toEqual({ requestId: expect.any(String), learnerId: 'lena', coachId: 'cora', competencies: ['SBP'] });
      const everything = seen.map((e) => e.raw).join('\n');
      for (const text of [EXTERNAL.email, EXTERNAL.name, 'Nurse Kim', 'nurse@hospital.test', ENCOUNTER, 'Cardiology ward', ANSWER, DECLINE_REASON, 'Ask the discharge nurse']) {
        expect(everything).not.toContain(text);
      }
    } finally {
      await consumer.disconnect();
    }
  });
});

/**
 * The pages, in Debian's Chromium through nginx against the same services: the learner's "Ask for feedback" (and the
 * coach's prompt on their home), the external's link page, a colleague's "Feedback asked of me" with its answer form,
 * the coach's "Prompt to seek feedback" on the coachee page. Every page passes axe at 1280 and 375 px.
 */
describe('the feedback request pages', () => {
  let browser: Browser;
  let origin: { url: string; stop(): Promise<void> };
  let web: string;
  const accessibility: string[] = [];

  beforeAll(async () => {
    const webRoot = ensureWebBuilt();
    const upstreams = { identity: services['identity'].url, coaching: services['coaching'].url, feedback: services['feedback'].url, analytics: services['feedback'].url };
    origin = await startWebOrigin(upstreams, { port: await freePort(), webRoot });
    web = origin.url.replace(/\/$/, '');
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await origin?.stop();
  });

  it('a learner asks an external, who answers on the link page; the answer is theirs to read in a dialogue', async () => {
    expect((await http('feedback').post('/learners/lena/feedback-prompts', as.cora, { competencies: ['PBLI'], message: 'Ask about your case presentations' })).status).toBe(201);
    const { page, problems } = await openPage(browser, web);
    await signIn(page, web, email('lena'), PASSWORD, '/learner');
    const seek = page.getByRole('region', { name: 'Feedback to seek' });
    await eventuallyShown(page, () => seek.getByText('Ask about your case presentations'));
    await checkPage(page, accessibility, 'sought-learner-home');

    await page.goto(`${web}/learner/feedback-requests`);
    await settled(page);
    await page.getByRole('button', { name: 'Ask about PBLI' }).click();
    await page.getByRole('heading', { name: 'Ask about PBLI, as your coach suggested' }).waitFor();
    // the client's checks, then the server's refusal of an unknown code
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.locator('.field-error', { hasText: 'Say whom you ask' }).waitFor();
    await page.getByLabel('Their name').fill('Dr. Web');
    await page.getByLabel('Their e-mail address').fill('web@hospital.test');
    await page.getByLabel('Competencies or EPAs').fill('PBLI, NOPE');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByRole('alert').getByText('unknown competency: NOPE is not in any framework of this school').waitFor();
    await page.getByLabel('Competencies or EPAs').fill('PBLI, EPA-6');
    await page.getByLabel('The encounter they observed (optional)').fill('Morning report presentation');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByRole('status').getByText('Sent: they get an e-mail with a link.').waitFor();
    const mine = page.getByRole('region', { name: 'My requests' }).last();
    await mine.getByRole('row', { name: /Dr\. Web.*waiting for an answer/ }).waitFor();
    await checkPage(page, accessibility, 'sought-ask');

    const link = await waitFor(() => {
      const [mail] = mailsTo('web@hospital.test');
      expect(mail).toBeDefined();
      return /(http:\/\/\S+#token=[\w.-]+)/.exec(mail.text)?.[1] ?? '';
    });
    const external = await openPage(browser, web, 375);
    await external.page.goto(link.replace(WEB, web));
    await settled(external.page);
    await external.page.getByRole('heading', { name: 'Lena Learner asks for your feedback' }).waitFor();
    expect(await external.page.getByText('About: Morning report presentation').count()).toBe(1);
    await checkPage(external.page, accessibility, 'sought-link');
    await external.page.getByRole('button', { name: 'Send feedback' }).click();
    await external.page.locator('.field-error', { hasText: 'Write what you observed' }).waitFor();
    await external.page.getByLabel('What you observed, and what to do next').fill('Well structured; lead with the assessment next time.');
    const levels = external.page.locator('.ratings select');
    await levels.nth(0).selectOption('4');
    await levels.nth(1).selectOption('3');
    await external.page.getByRole('button', { name: 'Send feedback' }).click();
    await external.page.getByText('Thank you: your feedback was sent to the learner.').waitFor();
    // the same link again: the one message
    await external.page.reload();
    await external.page.getByRole('alert').getByText(/^This feedback link cannot be used/).waitFor();
    await checkPage(external.page, accessibility);

    await page.reload();
    await settled(page);
    await eventuallyShown(page, () => mine.getByRole('row', { name: /Dr\. Web.*answered/ }));
    await mine.getByRole('row', { name: /Dr\. Web/ }).getByRole('link', { name: 'Read and reflect' }).click();
    await eventuallyShown(page, () => page.getByText('Well structured; lead with the assessment next time.', { exact: false }));
    expect(problems).toEqual([]);
    expect(external.problems).toEqual([]);
    expect(accessibility).toEqual([]);
  }, 300_000);

  it('a colleague answers from "Feedback asked of me"; a coach prompts on the coachee page', async () => {
    const made = await http('feedback').post('/feedback-requests', as.lena, { asked: { kind: 'colleague', userId: 'colin' }, competencies: ['ICS'], context: { rotation: 'Night float' } });
    expect(made.status).toBe(201);
    const colleague = await openPage(browser, web);
    await signIn(colleague.page, web, email('colin'), PASSWORD, '/feedback/asked');
    const asked = colleague.page.getByRole('region', { name: 'Feedback asked of me' });
    await eventuallyShown(colleague.page, () => asked.getByRole('row', { name: /Night float.*waiting for you/ }));
    await checkPage(colleague.page, accessibility, 'sought-asked-of-me');
    await asked.getByRole('row', { name: /Night float/ }).getByRole('link', { name: 'Lena Learner' }).click();
    await settled(colleague.page);
    await colleague.page.getByLabel('What you observed, and what to do next').fill('Calm and clear with the family.');
    await colleague.page.locator('.ratings select').first().selectOption('5');
    await checkPage(colleague.page, accessibility, 'sought-answer');
    await colleague.page.getByRole('button', { name: 'Send feedback' }).click();
    await colleague.page.getByText('Status: answered').waitFor();

    const coach = await openPage(browser, web);
    await signIn(coach.page, web, email('cora'), PASSWORD, '/coach/coachees/lena');
    const prompt = coach.page.getByRole('form', { name: 'Prompt to seek feedback' });
    await prompt.waitFor();
    await prompt.getByRole('button', { name: 'Prompt' }).click();
    await prompt.locator('.field-error', { hasText: 'Name at least one competency or EPA' }).waitFor();
    await prompt.getByLabel('Competencies or EPAs').fill('SBP');
    await prompt.getByRole('button', { name: 'Prompt' }).click();
    await prompt.getByRole('status').getByText("Prompted: it shows on the learner's home.").waitFor();
    await checkPage(coach.page, accessibility, 'sought-coach-prompt');
    expect(colleague.problems).toEqual([]);
    expect(coach.problems).toEqual([]);
    expect(accessibility).toEqual([]);
  }, 300_000);
});

describe('the link routes', () => {
  it('limits requests to the link routes per client address, as sign-in is limited', async () => {
    let status = 0;
    for (let i = 0; i < 40 && status !== 429; i++) status = (await http('feedback').get('/feedback-links/request?token=not-a-token')).status;
    expect(status).toBe(429);
    expect(await http('feedback').get(`/feedback-links/request?token=${token}`)).toMatchObject({ status: 429, body: { message: expect.stringMatching(/^too many requests for feedback links; try again in \d+ s$/) } });
  });
});
