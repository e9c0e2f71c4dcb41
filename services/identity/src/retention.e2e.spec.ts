import { Actor, dropServiceDatabases, httpClient, RunningService, startServiceProcess, testServers, uniqueName, waitFor } from '@cbme/testing';
import { Queue, QueueEvents } from 'bullmq';

/**
 * Retention per school (issue 16; README, "Erasure"), identity as a real process against the test servers: an
 * institution admin sets a policy; learners who left are proposed for erasure once it is due (a sweep as of a later
 * date); a second sweep proposes nothing new; a dismissal keeps a learner until its date; erasing the learner turns
 * their proposal to erased.
 */
const namespace = uniqueName('retention');
const PASSWORD = 'correct horse battery staple';
const env = { CBME_NAMESPACE: namespace, INSTITUTION_ID: 'inst-retention', BOOTSTRAP_ADMIN_EMAIL: 'admin@inst-retention.edu', BOOTSTRAP_ADMIN_PASSWORD: PASSWORD };
const SCHOOL = 'medicine';
const year = new Date().getUTCFullYear();
/** after a 7-year retention of anyone who leaves today */
const later = `${year + 8}-01-01`;
const keepUntil = `${year + 9}-01-01`;

let identity: RunningService;
const http = () => httpClient(identity.url);
const signIn = async (email: string): Promise<Actor> => ({ token: (await http().post('/auth/login', undefined, { email, password: PASSWORD })).body.accessToken as string });
let admin: Actor;
let schoolAdmin: Actor;

beforeAll(async () => {
  identity = await startServiceProcess('identity', env);
  admin = await signIn(env.BOOTSTRAP_ADMIN_EMAIL);
  expect((await http().post('/schools', admin, { schoolId: SCHOOL, name: 'School of Medicine' })).status).toBe(201);
  expect((await http().post(`/schools/${SCHOOL}/cohorts`, admin, { cohortId: 'md-2030', program: 'MD', graduationYear: 2030 })).status).toBe(201);
  expect((await http().post(`/schools/${SCHOOL}/users`, admin, { userId: 'sa-1', email: 'sa-1@inst-retention.edu', displayName: 'Sam Admin', role: 'school-admin', password: PASSWORD })).status).toBe(201);
  schoolAdmin = await signIn('sa-1@inst-retention.edu');
  for (const [userId, displayName] of [['lea-1', 'Lea Novak'], ['max-1', 'Max Roe'], ['ida-1', 'Ida Stay']]) {
    expect((await http().post(`/schools/${SCHOOL}/users`, admin, { userId, email: `${userId}@inst-retention.edu`, displayName, role: 'learner' })).status).toBe(201);
    expect((await http().post(`/users/${userId}/enrollment`, admin, { schoolId: SCHOOL, cohortId: 'md-2030' })).status).toBe(201);
  }
  expect((await http().post('/users/lea-1/graduation', admin, { schoolId: SCHOOL })).status).toBe(201);
  expect((await http().post('/users/max-1/withdrawal', admin, { schoolId: SCHOOL, reason: 'moved abroad' })).status).toBe(201);
}, 180_000);

afterAll(async () => {
  await identity?.stop();
  await dropServiceDatabases(namespace, ['identity']);
});

const sweep = (asOf?: string) => http().post(`/schools/${SCHOOL}/retention/sweep`, admin, asOf ? { asOf } : {});
const retention = async () => {
  const response = await http().get(`/schools/${SCHOOL}/retention`, admin);
  expect(response.status).toBe(200);
  return response.body;
};

describe('retention per school', () => {
  it('is set by an institution admin only, for a known school, within 1..50 years and with a reason', async () => {
    const policy = { yearsAfterLeaving: 7, reason: 'Student records act, section 4' };
    expect((await http().put(`/schools/${SCHOOL}/retention-policy`, schoolAdmin, policy)).status).toBe(403);
    expect((await http().get(`/schools/${SCHOOL}/retention`, schoolAdmin)).status).toBe(403);
    expect((await http().post(`/schools/${SCHOOL}/retention/sweep`, schoolAdmin, {})).status).toBe(403);
    expect((await http().put('/schools/nowhere/retention-policy', admin, policy)).status).toBe(404);
    expect((await http().get('/schools/nowhere/retention', admin)).status).toBe(404);
    for (const bad of [{ ...policy, yearsAfterLeaving: 0 }, { ...policy, yearsAfterLeaving: 51 }, { ...policy, reason: ' ' }]) {
      const refused = await http().put(`/schools/${SCHOOL}/retention-policy`, admin, bad);
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ statusCode: 422 });
    }
    expect((await http().put(`/schools/${SCHOOL}/retention-policy`, admin, { ...policy, yearsAfterLeaving: 'seven' })).status).toBe(400);
    expect((await sweep('01.01.2040')).status).toBe(400);

    const set = await http().put(`/schools/${SCHOOL}/retention-policy`, admin, policy);
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ schoolId: SCHOOL, yearsAfterLeaving: 7 });
    await waitFor(async () => expect((await retention()).policy).toMatchObject(policy));
  });

  it('proposes the erasure of those who left once due, once; a dismissal keeps one until its date; erasing turns a proposal to erased', async () => {
    // today nothing is due
    expect((await sweep()).body).toMatchObject({ proposed: [] });
    // as of a date after the retention: both who left, not the one still enrolled, each once, though two sweeps run
    // at once each time (sweeping again until both graduations are projected)
    const proposed: string[] = [];
    await waitFor(async () => {
      for (const response of await Promise.all([sweep(later), sweep(later)])) {
        expect(response.status).toBe(200);
        proposed.push(...response.body.proposed.map((p: { userId: string }) => p.userId));
      }
      expect([...proposed].sort()).toEqual(['lea-1', 'max-1']);
    }, { timeoutMs: 30_000, intervalMs: 500 });
    expect((await sweep(later)).body).toEqual({ asOf: later, proposed: [] });

    const pending = await waitFor(async () => {
      const body = await retention();
      expect(body.proposals.map((p: { userId: string; status: string }) => `${p.userId}:${p.status}`).sort()).toEqual(['lea-1:pending', 'max-1:pending']);
      return body;
    });
    const lea = pending.proposals.find((p: { userId: string }) => p.userId === 'lea-1');
    expect(lea).toMatchObject({ name: 'Lea Novak', policyYears: 7, dueOn: `${year + 7}${lea.leftAt.slice(4, 10)}` });

    const dismiss = (userId: string, body: object) => http().post(`/schools/${SCHOOL}/retention/proposals/${userId}/dismiss`, admin, body);
    expect((await http().post(`/schools/${SCHOOL}/retention/proposals/max-1/dismiss`, schoolAdmin, { reason: 'a pending claim' })).status).toBe(403);
    expect((await dismiss('ida-1', { reason: 'a pending claim' })).status).toBe(404);
    expect((await dismiss('max-1', { reason: 'a pending claim', keepUntil: '2000-01-01' })).status).toBe(422);
    expect((await dismiss('max-1', { reason: 'a pending claim', keepUntil: 'soon' })).status).toBe(400);
    expect((await dismiss('max-1', { reason: 'a pending claim', keepUntil })).status).toBe(200);
    expect((await dismiss('max-1', { reason: 'again' })).status).toBe(409);
    // kept until its date, proposed again on it
    await waitFor(async () => expect((await retention()).proposals.find((p: { userId: string }) => p.userId === 'max-1')).toMatchObject({ status: 'dismissed', dismissal: { reason: 'a pending claim', keepUntil } }));
    expect((await sweep(later)).body.proposed).toEqual([]);
    // the proposal is part of the learner's audit export, its reason sealed as stored
    const exported = await http().get('/learners/max-1/audit-export', { ...admin, schoolId: SCHOOL });
    expect(exported.status).toBe(200);
    const proposal = exported.body.streams.find((s: { streamId: string }) => s.streamId === `identity-retention-${SCHOOL}:max-1`);
    expect(proposal.events.map((e: { event: { type: string } }) => e.event.type)).toEqual(['identity.erasure-proposed', 'identity.erasure-proposal-dismissed']);
    expect(JSON.stringify(proposal)).not.toContain('a pending claim');
    expect((await sweep(keepUntil)).body.proposed).toEqual([{ schoolId: SCHOOL, userId: 'max-1', dueOn: expect.any(String) }]);

    // confirming is the erasure itself
    expect((await http().post('/users/lea-1/erase', admin, { confirm: 'lea-1' })).status).toBe(200);
    await waitFor(async () => expect((await retention()).proposals.find((p: { userId: string }) => p.userId === 'lea-1')).toMatchObject({ status: 'erased', name: null }));
    expect((await dismiss('lea-1', { reason: 'too late' })).status).toBe(409);
    expect((await sweep(keepUntil)).body.proposed).toEqual([]);
  });

  it('sweeps every day as a BullMQ job scheduler, registered once however often identity starts, its job proposing what is due today', async () => {
    const connection = { connection: { url: testServers().redisUrl }, prefix: `${namespace}:identity` };
    const queue = new Queue('retention-sweep', connection);
    const events = new QueueEvents('retention-sweep', connection);
    try {
      await identity.stop();
      identity = await startServiceProcess('identity', env, identity.port);
      expect(await queue.getJobSchedulers()).toEqual([expect.objectContaining({ key: 'retention-sweep', pattern: '15 2 * * *', tz: 'UTC' })]);
      // a run of the job, now: as of today nothing is due (those who left did so today), and what was proposed stays
      const job = await queue.add('sweep', {});
      expect(await job.waitUntilFinished(events, 60_000)).toEqual({ asOf: new Date().toISOString().slice(0, 10), proposed: [] });
      expect((await retention()).proposals).toHaveLength(2);
    } finally {
      await events.close();
      await queue.close();
    }
  }, 120_000);
});
