import { Actor, dropServiceDatabases, httpClient, RunningService, RunningSmtpServer, startServiceProcess, startSmtpServer, testServers, uniqueName, waitFor } from '@cbme/testing';
import { Queue } from 'bullmq';
import mongoose from 'mongoose';
import { createHash } from 'node:crypto';

/**
 * Notifications over the real stack (identity, coaching, feedback as processes; real Kafka, the MongoDB-compatible
 * server, Redis, and an SMTP server started here): a development plan's review reminder reaches the learner and
 * their coach once each; and with the mail server refusing mail, feedback killed after recording the intent and
 * before it could send is restarted and sends it once, with the Message-ID of its key.
 */
const namespace = uniqueName('notify');
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: 'inst-notify', KEY_ACTIVATION_SECONDS: '0', NOTIFY_CHANNEL: 'log' };
const PEOPLE = { lead: ['lead-1', 'coaching-lead'], lea: ['lea-1', 'learner'], leb: ['lea-2', 'learner'], coach: ['coa-1', 'coach'] } as const;
const REVIEW_SUBJECT = /^Development plan review due \d{4}-\d\d-\d\d$/;

const services: Record<string, RunningService> = {};
const http = (name: string) => httpClient(services[name].url);
const as = {} as Record<keyof typeof PEOPLE, Actor>;
let smtp: RunningSmtpServer;
let feedbackEnv: Record<string, string>;
let notifications: Queue;

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const reviewMailsTo = (userId: string) => smtp.received.filter((m) => m.to.includes(`${userId}@notify.edu`) && REVIEW_SUBJECT.test(m.subject));
/** the outbox's Message-ID of a key (the formula is the contract a receiver dedupes on) */
const messageIdOf = (key: string) => `<${createHash('sha256').update(key).digest('hex')}.notification@notify.edu>`;

async function signIn(email: string): Promise<string> {
  const response = await http('identity').post('/auth/login', undefined, { email, password: PASSWORD });
  expect(response.status).toBe(200);
  return response.body.accessToken;
}

/** Nothing left in feedback's notification queue that could still send (every send is queued before the reminder is recorded). */
const nothingLeftToSend = () => waitFor(async () => expect(await notifications.getJobCounts('wait', 'active', 'delayed', 'prioritized')).toEqual({ wait: 0, active: 0, delayed: 0, prioritized: 0 }), { timeoutMs: 60_000, intervalMs: 250 });

async function remindersOf(learnerId: string, reader: Actor) {
  return waitFor(async () => {
    const plan = (await http('feedback').get(`/learners/${learnerId}/plan`, reader)).body;
    expect(plan.reminders).toHaveLength(1);
    return plan.reminders[0] as { dueAt: string; recipientIds: string[]; channel: string };
  }, { timeoutMs: 60_000, intervalMs: 250 });
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  services['identity'] = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: 'admin@notify.edu', BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  env['AUTH_JWKS_URL'] = `${services['identity'].url}/.well-known/jwks.json`;
  feedbackEnv = { ...env, NOTIFY_CHANNEL: 'email', SMTP_URL: smtp.url, NOTIFY_FROM: 'feedback@notify.edu' };
  const [coaching, feedback] = await Promise.all([startServiceProcess('coaching', env), startServiceProcess('feedback', feedbackEnv)]);
  services['coaching'] = coaching;
  services['feedback'] = feedback;
  notifications = new Queue('notifications', { connection: { url: testServers().redisUrl }, prefix: `${namespace}:feedback` });
  const admin = { token: await signIn('admin@notify.edu') };
  expect((await http('identity').post('/schools', admin, { schoolId: SCHOOL, name: SCHOOL })).status).toBe(201);
  for (const [key, [userId, role]] of Object.entries(PEOPLE)) {
    expect((await http('identity').post(`/schools/${SCHOOL}/users`, admin, { userId, email: `${userId}@notify.edu`, displayName: `Dr ${userId}`, role, password: PASSWORD })).status).toBe(201);
    as[key as keyof typeof PEOPLE] = { token: await signIn(`${userId}@notify.edu`) };
  }
  await waitFor(async () => expect((await http('coaching').post('/relationships', as.lead, { learnerId: 'lea-1', coachId: 'coa-1' })).status).toBe(201));
  // feedback has learned who coaches lea-1 once it lets her open a dialogue with him
  await waitFor(async () => expect((await http('feedback').post('/dialogues', as.lea, { coachId: 'coa-1', topic: 'Night handover', competencies: ['ICS'] })).status).toBe(201), { timeoutMs: 30_000 });
}, 240_000);

afterAll(async () => {
  await notifications?.close();
  await Promise.all(Object.values(services).map((s) => s.stop()));
  await dropServiceDatabases(namespace, Object.keys(services));
  await smtp?.stop();
});

describe('notifications', () => {
  it('reminds the learner and the coach of a due plan review by e-mail, once each', async () => {
    const revised = await http('feedback').post('/plan/revisions', as.lea, { focusAreas: [{ title: 'Handovers under pressure', competencies: ['ICS'] }], goalIds: [], nextReviewDue: inDays(2) });
    expect(revised.status).toBe(201);
    // due in 2 days, inside the default lead of 3 days: the reminder goes out at once
    const reminder = await remindersOf('lea-1', as.coach);
    expect(reminder).toMatchObject({ recipientIds: ['lea-1', 'coa-1'], channel: 'email' });
    await nothingLeftToSend();

    const [learnerMail, coachMail] = [reviewMailsTo('lea-1'), reviewMailsTo('coa-1')];
    expect([learnerMail.length, coachMail.length]).toEqual([1, 1]);
    expect(learnerMail[0].text).toContain('the review of your development plan is due on');
    expect(coachMail[0].text).toContain('the review of the development plan of Dr lea-1 is due on');
    for (const mail of [...learnerMail, ...coachMail]) expect(mail.text).toContain('Focus areas: Handovers under pressure.');
    expect(learnerMail[0].messageId).toBe(messageIdOf(`plan-review:${SCHOOL}:lea-1:${reminder.dueAt}:lea-1`));
    expect(coachMail[0].messageId).toBe(messageIdOf(`plan-review:${SCHOOL}:lea-1:${reminder.dueAt}:coa-1`));
  });

  it('sends an intent recorded before feedback was killed once, after the restart', async () => {
    smtp.refusing = true;
    expect((await http('feedback').post('/plan/revisions', as.leb, { focusAreas: [{ title: 'Breaking bad news', competencies: ['ICS'] }], goalIds: [], nextReviewDue: inDays(1) })).status).toBe(201);
    // recorded as reminded once its intent is in the outbox; the mail server refused every attempt so far
    const reminder = await remindersOf('lea-2', as.leb);
    const key = `plan-review:${SCHOOL}:lea-2:${reminder.dueAt}:lea-2`;
    const connection = await mongoose.createConnection(testServers().mongoUrl, { dbName: `${namespace.replace(/-/g, '_')}_feedback` }).asPromise();
    try {
      const intent = await connection.collection<{ _id: string }>('notifications').findOne({ _id: key });
      expect(intent).toMatchObject({ to: 'lea-2@notify.edu', sentAt: null });
    } finally {
      await connection.close();
    }
    expect(reviewMailsTo('lea-2')).toEqual([]);

    process.kill(services['feedback'].pid, 'SIGKILL');
    await services['feedback'].stop();
    smtp.refusing = false;
    services['feedback'] = await startServiceProcess('feedback', feedbackEnv);

    await waitFor(() => expect(reviewMailsTo('lea-2')).toHaveLength(1), { timeoutMs: 90_000, intervalMs: 250 });
    await nothingLeftToSend();
    expect(reviewMailsTo('lea-2').map((m) => m.messageId)).toEqual([messageIdOf(key)]);
  });
});
