import { eventsTopic } from '@cbme/contracts';
import { Actor, dropServiceDatabases, httpClient, RunningService, startServiceProcess, testServers, uniqueName, waitFor } from '@cbme/testing';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';

/**
 * The foundation slice over real Kafka, the MongoDB-compatible server and Redis, with the four services
 * running as real processes: identity -> coaching -> feedback -> analytics, then a consumer restart with
 * a full topic replay, a poison message, a concurrent write and a projection rebuild.
 * The services run from the production build (dist/services/<name>/main.js), which the e2e target builds first.
 */
const namespace = uniqueName('e2e');
const INSTITUTION = 'inst-e2e';
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const ADMIN_EMAIL = 'admin@inst-e2e.edu';
const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION };

/** people of the slice: id, role, school; each signs in with PASSWORD */
const PEOPLE = {
  lead: ['lead-1', 'coaching-lead', SCHOOL],
  learner: ['lea-1', 'learner', SCHOOL],
  coach: ['coa-1', 'coach', SCHOOL],
  committee: ['com-1', 'committee-member', SCHOOL],
  schoolAdmin: ['sad-1', 'school-admin', SCHOOL],
  stranger: ['lea-9', 'learner', SCHOOL],
  nursingAdmin: ['sad-2', 'school-admin', 'nursing'],
} as const;
const actors = {} as Record<keyof typeof PEOPLE | 'admin', Actor>;
let admin: Actor, lead: Actor, learner: Actor, coach: Actor, committee: Actor, schoolAdmin: Actor;

const services: Record<string, RunningService> = {};
const startService = (name: string, serviceEnv: Record<string, string>, port?: number) => startServiceProcess(name, serviceEnv, port, 'build');
const http = (name: string) => httpClient(services[name].url);
const kafka = new Kafka({ clientId: 'e2e', brokers: testServers().kafkaBrokers, logLevel: logLevel.NOTHING });

async function analyticsLag(): Promise<number> {
  const kadmin = kafka.admin();
  await kadmin.connect();
  try {
    let lag = 0;
    for (const context of ['identity', 'coaching', 'feedback'] as const) {
      const topic = eventsTopic(namespace, context);
      const ends = await kadmin.fetchTopicOffsets(topic);
      const [committed] = await kadmin.fetchOffsets({ groupId: `${namespace}.analytics`, topics: [topic] });
      for (const end of ends) {
        const done = Number(committed.partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
        lag += Number(end.offset) - Math.max(0, done);
      }
    }
    return lag;
  } finally {
    await kadmin.disconnect();
  }
}

const inboxSize = async () => {
  const connection = await mongoose.createConnection(testServers().mongoUrl, { dbName: `${namespace.replace(/-/g, '_')}_analytics` }).asPromise();
  try {
    return await connection.collection('inbox').countDocuments();
  } finally {
    await connection.close();
  }
};

async function signIn(email: string): Promise<string> {
  const response = await http('identity').post('/auth/login', undefined, { email, password: PASSWORD });
  expect(response.status).toBe(200);
  return response.body.accessToken;
}

beforeAll(async () => {
  services['identity'] = await startService('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL, BOOTSTRAP_ADMIN_PASSWORD: PASSWORD, KEY_ACTIVATION_SECONDS: '6' });
  env['AUTH_JWKS_URL'] = `${services['identity'].url}/.well-known/jwks.json`;
  const started = await Promise.all(['coaching', 'feedback', 'analytics'].map((name) => startService(name, env)));
  for (const service of started) services[service.name] = service;

  actors.admin = admin = { token: await signIn(ADMIN_EMAIL) };
  for (const school of [SCHOOL, 'nursing']) expect((await http('identity').post('/schools', admin, { schoolId: school, name: school })).status).toBe(201);
  for (const [key, [userId, role, school]] of Object.entries(PEOPLE)) {
    const registered = await http('identity').post(`/schools/${school}/users`, admin, { userId, email: `${userId}@inst-e2e.edu`, displayName: userId, role, password: PASSWORD });
    expect(registered.status).toBe(201);
    actors[key as keyof typeof PEOPLE] = { token: await signIn(`${userId}@inst-e2e.edu`) };
  }
  ({ lead, learner, coach, committee, schoolAdmin } = actors);
}, 240_000);

afterAll(async () => {
  await Promise.all(Object.values(services).map((s) => s.stop()));
  await dropServiceDatabases(namespace, Object.keys(services));
});

describe('foundation slice', () => {
  const goalIds: string[] = [];
  let dialogueId: string;
  let activityBefore: unknown;

  it('identity bootstraps the institution admin, and knows schools and their people', async () => {
    const members = await waitFor(async () => {
      const response = await http('identity').get(`/schools/${SCHOOL}/users`, { ...admin, schoolId: SCHOOL });
      expect(response.body.members).toHaveLength(6);
      return response.body.members;
    });
    expect(members.find((m: { userId: string }) => m.userId === 'lea-1')).toMatchObject({ email: 'lea-1@inst-e2e.edu', roles: ['learner'] });
    const duplicate = await http('identity').post(`/schools/${SCHOOL}/users`, admin, { email: 'LEA-1@inst-e2e.edu', displayName: 'Copy', role: 'learner' });
    expect(duplicate).toMatchObject({ status: 409, body: { message: 'lea-1@inst-e2e.edu already belongs to another account' } });
  });

  it('coaching assigns the coach, checking roles from identity events it projected itself', async () => {
    const assigned = await waitFor(async () => {
      const response = await http('coaching').post('/relationships', lead, { learnerId: 'lea-1', coachId: 'coa-1' });
      expect(response.status).toBe(201);
      return response.body;
    });
    expect(assigned).toMatchObject({ learnerId: 'lea-1', coachId: 'coa-1', version: 1 });
    const refused = await http('coaching').post('/relationships', lead, { learnerId: 'coa-1', coachId: 'lea-1' });
    expect(refused).toMatchObject({ status: 422, body: { message: 'coa-1 is not a learner in this school' } });
    const second = await http('coaching').post('/relationships', lead, { learnerId: 'lea-1', coachId: 'coa-1' });
    expect(second).toMatchObject({ status: 409, body: { error: 'invalid-state' } });
    const mine = await waitFor(async () => {
      const response = await http('coaching').get('/relationships', coach);
      expect(response.body.relationships).toHaveLength(1);
      return response.body.relationships;
    });
    expect(mine[0]).toMatchObject({ learnerId: 'lea-1', coachId: 'coa-1', status: 'active', assignedBy: 'lead-1' });
  });

  it('feedback: the learner opens a dialogue with the coach, both write, the coach closes it', async () => {
    const opened = await waitFor(async () => {
      const response = await http('feedback').post('/dialogues', learner, { coachId: 'coa-1', topic: 'Handover on nights', competencies: ['ICS', 'EPA-8'] });
      expect(response.status).toBe(201);
      return response.body;
    });
    dialogueId = opened.dialogueId;
    expect((await http('feedback').post(`/dialogues/${dialogueId}/entries`, learner, { text: 'I rushed the handover', visibility: 'private' })).status).toBe(201);
    expect((await http('feedback').post(`/dialogues/${dialogueId}/entries`, coach, { text: 'Try SBAR next time', visibility: 'shared' })).status).toBe(201);

    const asCoach = await http('feedback').get(`/dialogues/${dialogueId}`, coach);
    expect(asCoach.body.entries.map((e: { text: string }) => e.text)).toEqual(['Try SBAR next time']);
    const asLearner = await http('feedback').get(`/dialogues/${dialogueId}`, learner);
    expect(asLearner.body.entries).toHaveLength(2);
    expect((await http('feedback').get(`/dialogues/${dialogueId}`, actors.stranger)).status).toBe(404);

    expect(await http('feedback').post(`/dialogues/${dialogueId}/close`, coach)).toMatchObject({ status: 200, body: { status: 'closed', version: 4 } });
    const late = await http('feedback').post(`/dialogues/${dialogueId}/entries`, learner, { text: 'one more', visibility: 'shared' });
    expect(late).toMatchObject({ status: 409, body: { message: 'the dialogue is closed; reopen it to add entries' } });
  });

  it('feedback: concurrent writes at the same version have exactly one winner', async () => {
    const { body } = await http('feedback').post('/dialogues', learner, { coachId: 'coa-1', topic: 'Race', competencies: [] });
    const attempts = await Promise.all(Array.from({ length: 5 }, (_, i) =>
      http('feedback').post(`/dialogues/${body.dialogueId}/entries`, learner, { text: `attempt ${i}`, visibility: 'shared' }, { 'if-match': '1' })));
    expect(attempts.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect((await http('feedback').get(`/dialogues/${body.dialogueId}`, learner)).body.entries).toHaveLength(1);
  });

  it('feedback: the learner sets goals, revises one with a rationale and achieves another', async () => {
    const target = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    for (const description of ['Lead a structured handover', 'Present a case in under 5 minutes']) {
      const response = await http('feedback').post('/goals', learner, { description, measureOfSuccess: 'observed by coach', competencies: ['ICS'], targetDate: target });
      expect(response.status).toBe(201);
      goalIds.push(response.body.goalId);
    }
    const revised = await http('feedback').post(`/goals/${goalIds[0]}/revisions`, learner, { description: 'Lead two handovers a week', targetDate: target, rationale: 'Night rotation moved' });
    expect(revised).toMatchObject({ status: 201, body: { version: 2 } });
    expect((await http('feedback').post(`/goals/${goalIds[1]}/status`, learner, { to: 'achieved' })).status).toBe(200);
    expect((await http('feedback').post(`/goals/${goalIds[1]}/status`, learner, { to: 'active' })).status).toBe(409);
    const past = await http('feedback').post('/goals', learner, { description: 'x', competencies: [], targetDate: '2020-01-01' });
    expect(past).toMatchObject({ status: 422, body: { error: 'rule-violated' } });

    const goals = await waitFor(async () => {
      const response = await http('feedback').get(`/learners/${'lea-1'}/goals`, coach);
      expect(response.body.goals.filter((g: { status: string }) => g.status === 'achieved')).toHaveLength(1);
      return response.body.goals;
    });
    expect(goals.find((g: { goalId: string }) => g.goalId === goalIds[0])).toMatchObject({ description: 'Lead two handovers a week', status: 'active' });
  });

  it('analytics projects the school activity from all services\' events', async () => {
    const expected = {
      schoolId: SCHOOL,
      dialogues: { opened: 2, closed: 1, open: 1 },
      goals: { active: 1, achieved: 1, abandoned: 0, deferred: 0, total: 2 },
      coaching: { learnersWithCoach: 1, coaches: 1, learnersPerCoach: [{ coachId: 'coa-1', learners: 1 }] },
    };
    activityBefore = await waitFor(async () => {
      const response = await http('analytics').get(`/schools/${SCHOOL}/activity`, lead);
      expect(response.body).toEqual(expected);
      return response.body;
    });
    // one learner: a committee member gets every figure of it suppressed, as the analytics tables do (k = 10)
    expect((await http('analytics').get(`/schools/${SCHOOL}/activity`, committee)).body).toEqual({
      schoolId: SCHOOL,
      minimumGroupSize: 10,
      dialogues: { opened: null, closed: null, open: null },
      goals: { active: null, achieved: null, abandoned: null, deferred: null, total: null },
      coaching: { learnersWithCoach: null, coaches: null },
    });
    expect((await http('analytics').get(`/schools/${SCHOOL}/activity`, learner)).status).toBe(403);
    expect((await http('analytics').get(`/schools/nursing/activity`, committee)).status).toBe(404);
    expect((await http('analytics').get(`/schools/${SCHOOL}/activity`, { ...committee, schoolId: 'nursing' })).status).toBe(403);
  });

  it('a restarted consumer replaying its topics from the start leaves the read model unchanged', async () => {
    await waitFor(async () => expect(await analyticsLag()).toBe(0));
    const inboxBefore = await inboxSize();
    await services['analytics'].stop();

    const kadmin = kafka.admin();
    await kadmin.connect();
    for (const context of ['identity', 'coaching', 'feedback'] as const) {
      await kadmin.resetOffsets({ groupId: `${namespace}.analytics`, topic: eventsTopic(namespace, context), earliest: true });
    }
    expect(await analyticsLag()).toBeGreaterThan(0);
    await kadmin.disconnect();

    services['analytics'] = await startService('analytics', env, services['analytics'].port);
    await waitFor(async () => expect(await analyticsLag()).toBe(0), { timeoutMs: 60_000 });
    expect(await inboxSize()).toBe(inboxBefore);
    expect((await http('analytics').get(`/schools/${SCHOOL}/activity`, lead)).body).toEqual(activityBefore);
  });

  it('a poison message goes to the dead-letter topic and the consumer keeps going', async () => {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: eventsTopic(namespace, 'feedback'),
      messages: [
        { key: 'x', value: 'not json at all' },
        { key: 'y', value: JSON.stringify({ type: 'feedback.dialogue-opened', eventId: randomUUID(), data: {} }) },
      ],
    });
    await producer.disconnect();
    const opened = await http('feedback').post('/dialogues', learner, { coachId: 'coa-1', topic: 'After the poison', competencies: [] });
    expect(opened.status).toBe(201);

    await waitFor(async () => {
      const response = await http('analytics').get(`/schools/${SCHOOL}/activity`, lead);
      expect(response.body.dialogues.opened).toBe(3);
    });

    const reasons: string[] = [];
    const consumer = kafka.consumer({ groupId: uniqueName('dlq-reader') });
    await consumer.connect();
    await consumer.subscribe({ topic: `${namespace}.analytics.dlq`, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => { reasons.push(String(message.headers?.['dlq-reason'])); } });
    await waitFor(() => expect(reasons).toHaveLength(2));
    await consumer.disconnect();
    // different keys, different partitions: the two may arrive in either order
    const sorted = [...reasons].sort();
    expect(sorted[0]).toMatch(/^invalid envelope: schemaVersion/);
    expect(sorted[1]).toBe('message value is not JSON');
  });

  /** Starts a rebuild job and waits for it to complete: its result. */
  async function rebuildJob(service: Parameters<typeof http>[0], projection: string) {
    const started = await http(service).post(`/admin/projections/${projection}/rebuild`, admin);
    expect(started.status).toBe(202);
    return waitFor(async () => {
      const response = await http(service).get(`/admin/projections/rebuilds/${started.body.jobId}`, admin);
      expect(response.body.state).toBe('completed');
      return response.body;
    });
  }

  it('rebuilds a projection from the inbox with a BullMQ job, to the same numbers', async () => {
    const before = (await http('analytics').get(`/schools/${SCHOOL}/activity`, lead)).body;
    const job = await rebuildJob('analytics', 'school-activity');
    expect(job.result.done).toBe(job.result.total);
    expect(job.result.total).toBeGreaterThan(0);
    expect((await http('analytics').get(`/schools/${SCHOOL}/activity`, lead)).body).toEqual(before);
    expect((await http('analytics').post('/admin/projections/school-activity/rebuild', schoolAdmin)).status).toBe(403);
  });

  it('rebuilds feedback\'s current coaches blue/green, its checkpoint never going back, and refuses to rebuild a reaction', async () => {
    const positionOf = async () => ((await http('feedback').get('/admin/projections', admin)).body as { name: string; position: number }[]).find((p) => p.name === 'current-coaches')!.position;
    const before = await positionOf();
    const job = await rebuildJob('feedback', 'current-coaches');
    expect(job.result).toMatchObject({ blueGreen: true, done: job.result.total });
    expect(await positionOf()).toBeGreaterThanOrEqual(before);
    const refused = await http('coaching').post('/admin/projections/identity-reactions/rebuild', admin);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('never rebuilt');
  });

  it('signs in with tokens every service verifies locally, through a key rotation', async () => {
    const wrong = await http('identity').post('/auth/login', undefined, { email: 'lea-1@inst-e2e.edu', password: 'not the password' });
    const unknown = await http('identity').post('/auth/login', undefined, { email: 'nobody@inst-e2e.edu', password: 'not the password' });
    expect(wrong).toEqual({ status: 401, body: { statusCode: 401, error: 'Unauthorized', message: 'invalid e-mail or password' } });
    expect(unknown).toEqual(wrong);
    const forged = learner.token.replace(/\.[^.]+$/, '.' + Buffer.from('x'.repeat(64)).toString('base64url'));
    for (const name of ['identity', 'coaching', 'feedback', 'analytics']) {
      expect(await http(name).get('/admin/projections', { token: forged })).toMatchObject({ status: 401, body: { message: 'token signature is not valid' } });
      expect((await http(name).get('/admin/projections')).status).toBe(401);
    }

    const before = learner.token;
    expect((await http('identity').post('/admin/signing-keys/rotate', learner)).status).toBe(403);
    const rotated = await http('identity').post('/admin/signing-keys/rotate', admin);
    expect(rotated.status).toBe(201);
    const keys = (await http('identity').get('/.well-known/jwks.json')).body.keys;
    expect(keys.map((k: { kid: string }) => k.kid)).toContain(rotated.body.kid);
    const kidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).kid;
    const login = () => http('identity').post('/auth/login', undefined, { email: 'lea-1@inst-e2e.edu', password: PASSWORD });
    // published at once, signing only after the activation delay (longer than verifiers' refetch cooldown)
    expect(kidOf((await login()).body.accessToken)).toBe(kidOf(before));
    const fresh = await waitFor(async () => {
      const response = await login();
      expect(kidOf(response.body.accessToken)).toBe(rotated.body.kid);
      return response;
    }, { timeoutMs: 30_000, intervalMs: 500 });
    for (const token of [before, fresh.body.accessToken]) {
      expect(await http('feedback').get(`/learners/lea-1/goals`, { token })).toMatchObject({ status: 200, body: { learnerId: 'lea-1' } });
    }
    const refreshed = await http('identity').post('/auth/refresh', undefined, { refreshToken: fresh.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect((await http('identity').post('/auth/refresh', undefined, { refreshToken: fresh.body.refreshToken })).status).toBe(401);
  });

  it('a revoked role stops counting everywhere, and a deactivated account can no longer sign in', async () => {
    const email = 'coa-2@inst-e2e.edu';
    expect((await http('identity').post(`/schools/${SCHOOL}/users`, admin, { userId: 'coa-2', email, displayName: 'coa-2', role: 'coach', password: PASSWORD })).status).toBe(201);
    expect((await http('identity').delete(`/users/coa-2/roles/${SCHOOL}/coach`, lead)).status).toBe(403);
    expect(await http('identity').delete(`/users/coa-2/roles/${SCHOOL}/coach`, schoolAdmin)).toMatchObject({ status: 200, body: { revoked: true } });
    expect((await http('identity').delete(`/users/coa-2/roles/${SCHOOL}/coach`, schoolAdmin)).status).toBe(409);
    await waitFor(async () => {
      const refused = await http('coaching').post('/relationships', lead, { learnerId: 'lea-9', coachId: 'coa-2' });
      expect(refused).toMatchObject({ status: 422, body: { message: 'coa-2 is not a coach in this school' } });
    });

    const refreshToken = (await http('identity').post('/auth/login', undefined, { email: 'lea-9@inst-e2e.edu', password: PASSWORD })).body.refreshToken;
    expect((await http('identity').post('/users/lea-9/deactivate', schoolAdmin, { reason: 'withdrew' })).status).toBe(403);
    expect((await http('identity').post('/users/lea-9/deactivate', admin, { reason: 'withdrew' })).status).toBe(200);
    expect(await http('identity').post('/auth/login', undefined, { email: 'lea-9@inst-e2e.edu', password: PASSWORD })).toMatchObject({ status: 401, body: { message: 'invalid e-mail or password' } });
    expect((await http('identity').post('/auth/refresh', undefined, { refreshToken })).status).toBe(401);
  });

  it('keeps a learner\'s enrollment: cohort, enrolled, graduated', async () => {
    const cohort = { cohortId: 'md-2030', program: 'MD', graduationYear: 2030 };
    expect((await http('identity').post(`/schools/${SCHOOL}/cohorts`, schoolAdmin, cohort)).status).toBe(201);
    expect((await http('identity').post(`/schools/${SCHOOL}/cohorts`, schoolAdmin, cohort)).status).toBe(409);
    expect((await http('identity').post(`/schools/${SCHOOL}/cohorts`, actors.nursingAdmin, cohort)).status).toBe(403);
    expect((await http('identity').post('/users/lea-1/enrollment', schoolAdmin, { schoolId: SCHOOL, cohortId: 'md-2031' })).status).toBe(404);
    expect((await http('identity').post('/users/coa-1/enrollment', schoolAdmin, { schoolId: SCHOOL, cohortId: 'md-2030' })).status).toBe(422);
    expect(await http('identity').post('/users/lea-1/enrollment', schoolAdmin, { schoolId: SCHOOL, cohortId: 'md-2030' })).toMatchObject({ status: 201, body: { status: 'enrolled' } });
    expect((await http('identity').post('/users/lea-1/graduation', schoolAdmin, { schoolId: SCHOOL })).status).toBe(201);
    expect((await http('identity').post('/users/lea-1/withdrawal', schoolAdmin, { schoolId: SCHOOL, reason: 'late' })).status).toBe(409);
  });

  it('onboards a CSV roster only when every row is valid, unless asked for the valid rows', async () => {
    const csv = ['email,displayName,role,cohortId', 'r1@inst-e2e.edu,Rae,learner,md-2030', 'bad-email,,dean,', 'lea-1@inst-e2e.edu,Dup,learner,', 'r2@inst-e2e.edu,Ray,coach,'].join('\n');
    const refused = await http('identity').post(`/schools/${SCHOOL}/roster`, schoolAdmin, { csv });
    expect(refused).toMatchObject({ status: 422, body: { message: '2 of 4 rows are invalid; nothing was imported' } });
    expect(refused.body.details).toEqual([
      { line: 3, reasons: ['email "bad-email" is not an e-mail address', 'displayName is empty', 'role "dean" must be learner or coach'] },
      { line: 4, reasons: ['email lea-1@inst-e2e.edu already has an account'] },
    ]);
    const count = async () => (await http('identity').get(`/schools/${SCHOOL}/users`, schoolAdmin)).body.members.length;
    const before = await waitFor(async () => count());
    expect((await http('identity').post(`/schools/${SCHOOL}/roster`, schoolAdmin, { csv: 'not,a,roster' })).status).toBe(400);
    expect((await http('identity').post(`/schools/${SCHOOL}/roster`, actors.nursingAdmin, { csv })).status).toBe(403);
    const partial = await http('identity').post(`/schools/${SCHOOL}/roster`, schoolAdmin, { csv, validRowsOnly: true });
    expect(partial).toMatchObject({ status: 200, body: { imported: 2, skipped: 2 } });
    await waitFor(async () => expect(await count()).toBe(before + 2));
  });

  it('limits failed sign-ins without saying whether the account exists', async () => {
    const attempt = () => http('identity').post('/auth/login', undefined, { email: 'com-1@inst-e2e.edu', password: 'guess guess guess' });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await attempt()).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect((await http('identity').post('/auth/login', undefined, { email: 'com-1@inst-e2e.edu', password: PASSWORD })).status).toBe(429);
  });

  it('answers bad input with a clear 4xx and a JSON body, never 500', async () => {
    const unknownField = await http('feedback').post('/goals', learner, { description: 'x', competencies: [], targetDate: '2030-01-01', colour: 'red' });
    expect(unknownField).toMatchObject({ status: 400, body: { details: ['property colour should not exist'] } });
    const malformed = await http('feedback').post('/goals', learner, '{"description": ');
    expect(malformed.status).toBe(400);
    expect((await http('feedback').get('/dialogues/not%20an%20id', learner)).status).toBe(400);
    expect((await http('feedback').get(`/dialogues/${randomUUID()}`, learner)).status).toBe(404);
    expect((await http('feedback').get(`/dialogues/${dialogueId}`)).status).toBe(401);
    expect((await http('identity').post(`/schools/${SCHOOL}/users`, admin, { email: 'not-an-email', displayName: 'X', role: 'learner' })).status).toBe(400);
    expect((await http('identity').post(`/schools/nowhere/users`, admin, { email: 'a@b.edu', displayName: 'X', role: 'learner' })).status).toBe(404);
    expect((await http('identity').post(`/schools/${SCHOOL}/users`, actors.nursingAdmin, { email: 'a@b.edu', displayName: 'X', role: 'learner' })).status).toBe(403);
  });
});
