import { Actor, dropServiceDatabases, httpClient, RunningService, startServiceProcess, uniqueName, waitFor } from '@cbme/testing';
import { randomUUID } from 'node:crypto';

/**
 * Every HTTP endpoint of every service, called by every role, from the school that owns the data
 * (medicine) and from another school (nursing), against the real stack. Each case names the statuses
 * it may answer; from the other school no answer may contain the medicine learner's data.
 */
const namespace = uniqueName('iso');
const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: 'inst-iso', KEY_ACTIVATION_SECONDS: '0', NOTIFY_CHANNEL: 'log' };
const PASSWORD = 'correct horse battery staple';
const ROLES = ['learner', 'coach', 'coaching-lead', 'committee-member', 'school-admin'] as const;
type Role = (typeof ROLES)[number] | 'institution-admin';

const services: Record<string, RunningService> = {};
const http = (name: string) => httpClient(services[name].url);
const callers: { role: Role; school: 'own' | 'other'; actor: Actor; name: string; email: string }[] = [];
let dialogueId: string;
/** action items of that dialogue, the learner's: one to mark done, one to drop */
const actionIds: Record<'done' | 'drop', string> = { done: '', drop: '' };
let goalId: string;
/** a feedback request the learner asked of their coach */
let requestId: string;
let meetingId: string;
let cancelledMeetingId: string;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

async function signIn(email: string) {
  const response = await http('identity').post('/auth/login', undefined, { email, password: PASSWORD });
  return response.body.accessToken as string;
}

beforeAll(async () => {
  services['identity'] = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: 'admin@iso.edu', BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  env['AUTH_JWKS_URL'] = `${services['identity'].url}/.well-known/jwks.json`;
  for (const s of await Promise.all(['coaching', 'feedback', 'analytics'].map((name) => startServiceProcess(name, env)))) services[s.name] = s;

  const admin = { token: await signIn('admin@iso.edu') };
  for (const school of ['medicine', 'nursing']) await http('identity').post('/schools', admin, { schoolId: school, name: school });
  for (const school of ['medicine', 'nursing']) {
    for (const role of ROLES) {
      const userId = `${school}-${role}`;
      await http('identity').post(`/schools/${school}/users`, admin, { userId, email: `${userId}@iso.edu`, displayName: userId, role, password: PASSWORD });
      callers.push({ role, school: school === 'medicine' ? 'own' : 'other', actor: { token: await signIn(`${userId}@iso.edu`) }, name: userId, email: `${userId}@iso.edu` });
    }
  }
  callers.push({ role: 'institution-admin', school: 'own', actor: { ...admin, schoolId: 'medicine' }, name: 'institution-admin', email: 'admin@iso.edu' });

  const as = (role: Role) => callers.find((c) => c.role === role && c.school === 'own')!.actor;
  await waitFor(async () => expect((await http('coaching').post('/relationships', as('coaching-lead'), { learnerId: 'medicine-learner', coachId: 'medicine-coach' })).status).toBe(201));
  dialogueId = (await waitFor(async () => {
    const opened = await http('feedback').post('/dialogues', as('learner'), { coachId: 'medicine-coach', topic: 'Secret topic', competencies: [] });
    expect(opened.status).toBe(201);
    return opened.body;
  })).dialogueId;
  await http('feedback').post(`/dialogues/${dialogueId}/entries`, as('learner'), { text: 'private reflection', visibility: 'private' });
  for (const to of ['done', 'drop'] as const) {
    actionIds[to] = (await http('feedback').post(`/dialogues/${dialogueId}/action-items`, as('coach'), { description: `Item to ${to}`, ownerId: 'medicine-learner' })).body.actionId;
  }
  goalId = (await http('feedback').post('/goals', as('learner'), { description: 'Secret goal', competencies: [], targetDate: '2099-01-01' })).body.goalId;
  expect((await http('feedback').post('/goals', as('learner'), { description: 'Private goal', competencies: [], targetDate: '2099-01-01', visibility: 'private' })).status).toBe(201);
  requestId = (await http('feedback').post('/feedback-requests', as('learner'), { asked: { kind: 'coach' }, competencies: ['ICS'], context: { encounter: 'Secret encounter' } })).body.requestId;
  await http('coaching').post('/communities', as('coaching-lead'), { communityId: 'house-iso', name: 'Secret house' });
  // the coach's own plan, to be reviewed with the lead (feedback learns the lead's role from identity's events)
  expect((await http('feedback').post('/coaches/me/plan/revisions', as('coach'), { focusAreas: [{ area: 'inclusive-language', title: 'Secret coach focus' }], nextReviewDue: inDays(30) })).status).toBe(201);
  await waitFor(async () => expect((await http('feedback').post('/coaches/me/plan/review-requests', as('coach'), { reviewerId: 'medicine-coaching-lead' })).status).toBe(201));
  [meetingId, cancelledMeetingId] = await Promise.all([1, 2].map(async (days) =>
    (await http('coaching').post('/meetings', as('coach'), { learnerId: 'medicine-learner', startsAt: inDays(days), durationMinutes: 30, location: 'Secret room' })).body.meetingId as string));
}, 240_000);

afterAll(async () => {
  await Promise.all(Object.values(services).map((s) => s.stop()));
  await dropServiceDatabases(namespace, Object.keys(services));
});

type Expect = (role: Role) => number[];
interface Endpoint {
  name: string;
  service: string;
  call: (actor: Actor) => Promise<{ status: number; body: unknown }>;
  own: Expect;
  /** what a caller from the other school may get (never the data itself) */
  other: number[];
  /** a route that needs no sign-in (an external assessor's link): without a token it answers as with one */
  public?: true;
}

const only = (allowed: Role[], yes: number[], no: number[] = [403]): Expect => (role) => (allowed.includes(role) ? yes : no);
const admins: Role[] = ['school-admin', 'institution-admin'];
/** a write on a resource: `allowed` get `yes`; `forbidden` see it but may not (403); everyone else is told it does not exist (404) */
const writeOn = (allowed: Role[], yes: number[], forbidden: Role[] = []): Expect => (role) => (allowed.includes(role) ? yes : forbidden.includes(role) ? [403] : [404]);

const ENDPOINTS: Endpoint[] = [
  { name: 'POST /schools', service: 'identity', call: (a) => http('identity').post('/schools', a, { schoolId: `s-${randomUUID().slice(0, 8)}`, name: 'New' }), own: only(['institution-admin'], [201]), other: [403] },
  { name: 'POST /schools/medicine/users', service: 'identity', call: (a) => http('identity').post('/schools/medicine/users', a, { email: `${randomUUID()}@iso.edu`, displayName: 'N', role: 'learner' }), own: only(admins, [201]), other: [403] },
  { name: 'POST /users/:id/roles', service: 'identity', call: (a) => http('identity').post('/users/medicine-coach/roles', a, { schoolId: 'medicine', role: 'committee-member' }), own: only(admins, [201, 409]), other: [403] },
  { name: 'DELETE /users/:id/roles/:school/:role', service: 'identity', call: (a) => http('identity').delete('/users/medicine-coach/roles/medicine/committee-member', a), own: only(admins, [200, 409]), other: [403] },
  { name: 'POST /users/:id/deactivate', service: 'identity', call: (a) => http('identity').post('/users/nobody/deactivate', a, { reason: 'r' }), own: only(['institution-admin'], [404]), other: [403] },
  { name: 'POST /schools/medicine/cohorts', service: 'identity', call: (a) => http('identity').post('/schools/medicine/cohorts', a, { cohortId: `c-${randomUUID().slice(0, 8)}`, program: 'MD', graduationYear: 2030 }), own: only(admins, [201]), other: [403] },
  { name: 'POST /users/:id/enrollment', service: 'identity', call: (a) => http('identity').post('/users/medicine-learner/enrollment', a, { schoolId: 'medicine', cohortId: 'missing' }), own: only(admins, [404]), other: [403] },
  { name: 'POST /schools/medicine/roster', service: 'identity', call: (a) => http('identity').post('/schools/medicine/roster', a, { csv: 'email,displayName,role\nbad,,x' }), own: only(admins, [422]), other: [403] },
  { name: 'GET /schools/medicine/users', service: 'identity', call: (a) => http('identity').get('/schools/medicine/users', a), own: only([...admins, 'coaching-lead'], [200]), other: [404] },
  { name: 'GET /schools', service: 'identity', call: (a) => http('identity').get('/schools', a), own: only(['institution-admin'], [200]), other: [403] },
  { name: 'GET /schools/medicine/cohorts', service: 'identity', call: (a) => http('identity').get('/schools/medicine/cohorts', a), own: only([...admins, 'coaching-lead'], [200]), other: [404] },
  { name: 'POST /admin/signing-keys/rotate', service: 'identity', call: (a) => http('identity').post('/admin/signing-keys/rotate', a), own: only(['institution-admin'], [201]), other: [403] },
  ...['identity', 'coaching', 'feedback', 'analytics'].map((service) => ({
    name: `GET /admin/projections (${service})`, service, call: (a: Actor) => http(service).get('/admin/projections', a), own: only(['institution-admin'], [200]), other: [403],
  })),
  ...['identity', 'coaching', 'feedback', 'analytics'].map((service) => ({
    name: `GET /admin/dead-letters (${service})`, service, call: (a: Actor) => http(service).get('/admin/dead-letters', a), own: only(['institution-admin'], [200]), other: [403],
  })),
  // a dead letter nobody parked: the institution admin's 404, everyone else's 403, decided before anything is read
  ...['identity', 'coaching', 'feedback', 'analytics'].flatMap((service) => [
    { name: `GET /admin/dead-letters/list (${service})`, call: (a: Actor) => http(service).get('/admin/dead-letters/list?kind=projection&name=nowhere', a) },
    { name: `GET /admin/dead-letters/:id (${service})`, call: (a: Actor) => http(service).get('/admin/dead-letters/nowhere:none', a) },
    { name: `POST /admin/dead-letters/:id/replay (${service})`, call: (a: Actor) => http(service).post('/admin/dead-letters/nowhere:none/replay', a) },
    { name: `POST /admin/dead-letters/:id/discard (${service})`, call: (a: Actor) => http(service).post('/admin/dead-letters/nowhere:none/discard', a, { reason: 'none' }) },
  ].map((c) => ({ ...c, service, own: only(['institution-admin'], [404]), other: [403] }))),
  { name: 'POST /relationships', service: 'coaching', call: (a) => http('coaching').post('/relationships', a, { learnerId: 'medicine-learner', coachId: 'medicine-coach' }), own: only(['coaching-lead', ...admins], [409]), other: [403, 422] },
  { name: 'GET /relationships?learnerId', service: 'coaching', call: (a) => http('coaching').get('/relationships?learnerId=medicine-learner', a), own: only(['learner', 'coach', 'coaching-lead', ...admins], [200]), other: [200, 403] },
  { name: 'GET /coachees', service: 'coaching', call: (a) => http('coaching').get('/coachees', a), own: only(['coach'], [200]), other: [200, 403] },
  { name: 'GET /roster', service: 'coaching', call: (a) => http('coaching').get('/roster', a), own: only(['coaching-lead', ...admins], [200]), other: [200, 403] },
  { name: 'GET /program', service: 'coaching', call: (a) => http('coaching').get('/program', a), own: () => [200], other: [200] },
  { name: 'PUT /program', service: 'coaching', call: (a) => http('coaching').put('/program', a, { meetingCadenceDays: 56, defaultCoachCapacity: 12 }), own: only(['coaching-lead', ...admins], [200]), other: [200, 403] },
  { name: 'PUT /coaches/:id/capacity', service: 'coaching', call: (a) => http('coaching').put('/coaches/medicine-coach/capacity', a, { capacity: 10 }), own: only(['coaching-lead', ...admins], [200]), other: [403, 422] },
  { name: 'GET /learners/:id/coaching', service: 'coaching', call: (a) => http('coaching').get('/learners/medicine-learner/coaching', a), own: only(['learner', 'coach', 'coaching-lead', ...admins], [200], [404]), other: [404] },
  { name: 'GET /learners/:id/coaching/meetings', service: 'coaching', call: (a) => http('coaching').get('/learners/medicine-learner/coaching/meetings', a), own: only(['learner', 'coach', 'coaching-lead', ...admins], [200], [404]), other: [404] },
  { name: 'POST /learners/:id/coaching/pause', service: 'coaching', call: (a) => http('coaching').post('/learners/medicine-learner/coaching/pause', a, { reason: 'leave' }), own: only(['coaching-lead', ...admins], [200, 409]), other: [403, 404] },
  { name: 'POST /learners/:id/coaching/resume', service: 'coaching', call: (a) => http('coaching').post('/learners/medicine-learner/coaching/resume', a), own: only(['coaching-lead', ...admins], [200, 409]), other: [403, 404] },
  { name: 'POST /learners/:id/coaching/transfer', service: 'coaching', call: (a) => http('coaching').post('/learners/medicine-learner/coaching/transfer', a, { toCoachId: 'medicine-coach', reason: 'r' }), own: only(['coaching-lead', ...admins], [409]), other: [403, 404] },
  { name: 'POST /learners/:id/coaching/end', service: 'coaching', call: (a) => http('coaching').post('/learners/medicine-nobody/coaching/end', a, { reason: 'other' }), own: only(['coaching-lead', ...admins], [404]), other: [403, 404] },
  { name: 'POST /communities/:id/sessions', service: 'coaching', call: (a) => http('coaching').post('/communities/house-iso/sessions', a, { kind: 'coach-meeting', title: 'Case review', startsAt: inDays(5), durationMinutes: 60 }), own: only(['coaching-lead', ...admins], [201]), other: [403, 404] },
  { name: 'POST /communities/:id/sessions/:sid/cancel', service: 'coaching', call: (a) => http('coaching').post('/communities/house-iso/sessions/nope/cancel', a, { reason: 'r' }), own: only(['coaching-lead', ...admins], [404]), other: [403, 404] },
  // a coach who is not a member is told the community does not exist
  { name: 'GET /communities/:id/sessions', service: 'coaching', call: (a) => http('coaching').get('/communities/house-iso/sessions', a), own: (role) => (['coaching-lead', ...admins].includes(role) ? [200] : role === 'coach' ? [404] : [403]), other: [403, 404] },
  { name: 'GET /communities/participation', service: 'coaching', call: (a) => http('coaching').get('/communities/participation', a), own: only(['coaching-lead', ...admins], [200]), other: [200, 403] },
  { name: 'GET /coaches/me/sessions', service: 'coaching', call: (a) => http('coaching').get('/coaches/me/sessions', a), own: only(['coach'], [200]), other: [200, 403] },
  { name: 'POST /meetings', service: 'coaching', call: (a) => http('coaching').post('/meetings', a, { learnerId: 'medicine-learner', startsAt: inDays(3), durationMinutes: 30 }), own: only(['learner', 'coach'], [201]), other: [403, 404] },
  { name: 'GET /meetings/:id', service: 'coaching', call: (a) => http('coaching').get(`/meetings/${meetingId}`, a), own: only(['learner', 'coach'], [200], [404]), other: [404] },
  { name: 'GET /meetings/:id/summary', service: 'coaching', call: (a) => http('coaching').get(`/meetings/${meetingId}/summary`, a), own: only(['learner', 'coach'], [200], [404]), other: [404] },
  { name: 'POST /meetings/:id/reschedule', service: 'coaching', call: (a) => http('coaching').post(`/meetings/${meetingId}/reschedule`, a, { startsAt: inDays(4).slice(0, 13) + ':00:00.000Z' }), own: only(['learner', 'coach'], [200]), other: [403, 404] },
  { name: 'POST /meetings/:id/held', service: 'coaching', call: (a) => http('coaching').post(`/meetings/${meetingId}/held`, a, { agenda: [], notes: [] }), own: only(['coach'], [422]), other: [403, 404] },
  { name: 'POST /meetings/:id/agenda', service: 'coaching', call: (a) => http('coaching').post(`/meetings/${meetingId}/agenda`, a, { item: 'Discuss the gap on ICS' }), own: only(['learner', 'coach'], [200]), other: [403, 404] },
  { name: 'POST /meetings/:id/missed', service: 'coaching', call: (a) => http('coaching').post(`/meetings/${meetingId}/missed`, a, {}), own: only(['coach'], [422]), other: [403, 404] },
  { name: 'POST /communities', service: 'coaching', call: (a) => http('coaching').post('/communities', a, { name: 'House' }), own: only(['coaching-lead', ...admins], [201]), other: [201, 403] },
  { name: 'GET /communities', service: 'coaching', call: (a) => http('coaching').get('/communities', a), own: only(['coach', 'coaching-lead', ...admins], [200]), other: [200, 403] },
  { name: 'POST /communities/:id/coaches', service: 'coaching', call: (a) => http('coaching').post('/communities/house-iso/coaches', a, { coachId: 'medicine-coach' }), own: only(['coaching-lead', ...admins], [201, 409]), other: [403, 404] },
  { name: 'DELETE /communities/:id/coaches/:coachId', service: 'coaching', call: (a) => http('coaching').delete('/communities/house-iso/coaches/medicine-nobody', a), own: only(['coaching-lead', ...admins], [404]), other: [403, 404] },
  { name: 'POST /meetings/:id/cancel', service: 'coaching', call: (a) => http('coaching').post(`/meetings/${cancelledMeetingId}/cancel`, a, { reason: 'r' }), own: only(['learner', 'coach'], [200, 409]), other: [403, 404] },
  { name: 'POST /dialogues', service: 'feedback', call: (a) => http('feedback').post('/dialogues', a, { coachId: 'medicine-coach', topic: 't', competencies: [] }), own: only(['learner'], [201]), other: [403, 422] },
  { name: 'GET /dialogues/:id', service: 'feedback', call: (a) => http('feedback').get(`/dialogues/${dialogueId}`, a), own: only(['learner', 'coach'], [200], [404]), other: [404] },
  { name: 'POST /dialogues/:id/entries', service: 'feedback', call: (a) => http('feedback').post(`/dialogues/${dialogueId}/entries`, a, { text: 'x', visibility: 'shared' }), own: writeOn(['learner', 'coach'], [201]), other: [404] },
  { name: 'GET /learners/:id/goals', service: 'feedback', call: (a) => http('feedback').get('/learners/medicine-learner/goals', a), own: only(['learner', 'coach'], [200], [404]), other: [404] },
  { name: 'GET /learners/:id/dialogues', service: 'feedback', call: (a) => http('feedback').get('/learners/medicine-learner/dialogues', a), own: only(['learner', 'coach'], [200], [404]), other: [404] },
  { name: 'POST /goals', service: 'feedback', call: (a) => http('feedback').post('/goals', a, { description: 'g', competencies: [], targetDate: '2099-01-01' }), own: only(['learner'], [201]), other: [201, 403] },
  { name: 'POST /goals/:id/revisions', service: 'feedback', call: (a) => http('feedback').post(`/goals/${goalId}/revisions`, a, { description: 'd', targetDate: '2099-02-01', rationale: 'r' }), own: writeOn(['learner'], [201], ['coach']), other: [404] },
  { name: 'POST /goals/:id/sharing', service: 'feedback', call: (a) => http('feedback').post(`/goals/${goalId}/sharing`, a, { visibility: 'shared' }), own: writeOn(['learner'], [200], ['coach']), other: [404] },
  { name: 'POST /goals/:id/status', service: 'feedback', call: (a) => http('feedback').post(`/goals/${goalId}/status`, a, { to: 'deferred' }), own: writeOn(['learner'], [200, 409], ['coach']), other: [404] },
  { name: 'GET /frameworks', service: 'feedback', call: (a) => http('feedback').get('/frameworks', a), own: () => [200], other: [200] },
  { name: 'GET /frameworks/:id', service: 'feedback', call: (a) => http('feedback').get('/frameworks/acgme-core', a), own: () => [200], other: [200] },
  { name: 'PUT /frameworks/:id', service: 'feedback', call: (a) => http('feedback').put('/frameworks/iso-fw', a, { name: 'Ours', competencies: [{ code: 'ISO1', name: 'One' }] }), own: only(admins, [200]), other: [200, 403] },
  { name: 'POST /frameworks/:id/import', service: 'feedback', call: (a) => http('feedback').post('/frameworks/iso-fw/import', a, { format: 'csv', name: 'Ours', content: 'code,name\nbad code,\n' }), own: only(admins, [422]), other: [403, 422] },
  { name: 'POST /frameworks/:id/versions', service: 'feedback', call: (a) => http('feedback').post('/frameworks/iso-fw/versions', a, { name: 'Ours', competencies: [{ code: 'ISO2', name: 'Two' }], crosswalk: [{ from: 'NOPE', to: ['ISO2'] }] }), own: only(admins, [422]), other: [403, 422] },
  { name: 'GET /frameworks/:id/unmapped', service: 'feedback', call: (a) => http('feedback').get('/frameworks/iso-fw/unmapped', a), own: only(admins, [200, 404]), other: [200, 403, 404] },
  { name: 'GET /learners/:id/goals?frameworkVersion', service: 'feedback', call: (a) => http('feedback').get('/learners/medicine-learner/goals?framework=acgme-core&frameworkVersion=1', a), own: only(['learner', 'coach'], [200], [404]), other: [404] },
  { name: 'GET /learners/:id/timeline?frameworkVersion', service: 'feedback', call: (a) => http('feedback').get('/learners/medicine-learner/timeline?framework=acgme-core&frameworkVersion=1', a), own: only(['learner', 'coach', 'coaching-lead', ...admins], [200], [404]), other: [404] },
  { name: 'POST /dialogues/:id/action-items', service: 'feedback', call: (a) => http('feedback').post(`/dialogues/${dialogueId}/action-items`, a, { description: 'x', ownerId: 'medicine-learner' }), own: writeOn(['learner', 'coach'], [201]), other: [404] },
  // the learner owns both items: their coach sees them but may not settle them; done and dropped again change nothing
  { name: 'POST /dialogues/:id/action-items/:actionId/done', service: 'feedback', call: (a) => http('feedback').post(`/dialogues/${dialogueId}/action-items/${actionIds.done}/done`, a, { outcome: 'x' }), own: writeOn(['learner'], [200], ['coach']), other: [404] },
  { name: 'POST /dialogues/:id/action-items/:actionId/drop', service: 'feedback', call: (a) => http('feedback').post(`/dialogues/${dialogueId}/action-items/${actionIds.drop}/drop`, a, { reason: 'x' }), own: writeOn(['learner'], [200], ['coach']), other: [404] },
  { name: 'POST /dialogues/:id/reopen', service: 'feedback', call: (a) => http('feedback').post(`/dialogues/${dialogueId}/reopen`, a), own: writeOn(['learner', 'coach'], [409]), other: [404] },
  { name: 'POST /dialogues/:id/references', service: 'feedback', call: (a) => http('feedback').post(`/dialogues/${dialogueId}/references`, a, { resultId: 'missing.2' }), own: writeOn(['learner', 'coach'], [404]), other: [404] },
  { name: 'GET /goals/:id', service: 'feedback', call: (a) => http('feedback').get(`/goals/${goalId}`, a), own: only(['learner', 'coach'], [200], [404]), other: [404] },
  { name: 'POST /goals/:id/progress-notes', service: 'feedback', call: (a) => http('feedback').post(`/goals/${goalId}/progress-notes`, a, { note: 'n' }), own: writeOn(['learner', 'coach'], [201]), other: [404] },
  { name: 'POST /goals/:id/links', service: 'feedback', call: (a) => http('feedback').post(`/goals/${goalId}/links`, a, { kind: 'dialogue', targetId: dialogueId }), own: writeOn(['learner'], [201], ['coach']), other: [404] },
  { name: 'POST /plan/revisions', service: 'feedback', call: (a) => http('feedback').post('/plan/revisions', a, { focusAreas: [{ title: 'Focus', competencies: [] }], goalIds: [], nextReviewDue: inDays(30) }), own: only(['learner'], [201]), other: [201, 403] },
  { name: 'POST /learners/:id/plan/reviews', service: 'feedback', call: (a) => http('feedback').post('/learners/medicine-learner/plan/reviews', a, { whatChanged: 'w', nextSteps: [], nextReviewDue: inDays(40) }), own: writeOn(['learner', 'coach'], [201]), other: [404] },
  { name: 'GET /learners/:id/plan', service: 'feedback', call: (a) => http('feedback').get('/learners/medicine-learner/plan', a), own: only(['learner', 'coach'], [200], [404]), other: [404] },
  // a coach's own plan: the coach, the reviewers they asked and the school's coaching leads see it; to anyone else it does not exist
  { name: 'POST /coaches/me/plan/revisions', service: 'feedback', call: (a) => http('feedback').post('/coaches/me/plan/revisions', a, { focusAreas: [{ area: 'coaching-skills', title: 'Secret coach focus' }], nextReviewDue: inDays(30), rationale: 'r' }), own: only(['coach'], [201]), other: [201, 403] },
  { name: 'POST /coaches/me/plan/review-requests', service: 'feedback', call: (a) => http('feedback').post('/coaches/me/plan/review-requests', a, { reviewerId: 'medicine-coaching-lead' }), own: only(['coach'], [201]), other: [403, 422] },
  { name: 'POST /coaches/:id/plan/reviews', service: 'feedback', call: (a) => http('feedback').post('/coaches/medicine-coach/plan/reviews', a, { whatChanged: 'w', nextSteps: [], nextReviewDue: inDays(40) }), own: (role) => (role === 'coaching-lead' ? [201] : role === 'coach' ? [403] : [404]), other: [404] },
  { name: 'GET /coaches/:id/plan', service: 'feedback', call: (a) => http('feedback').get('/coaches/medicine-coach/plan', a), own: only(['coach', 'coaching-lead'], [200], [404]), other: [404] },
  { name: 'GET /coach-plans', service: 'feedback', call: (a) => http('feedback').get('/coach-plans', a), own: only(['coach', 'coaching-lead'], [200]), other: [200, 403] },
  { name: 'POST /assessment-results/imports', service: 'feedback', call: (a) => http('feedback').post('/assessment-results/imports', a, { csv: 'learnerId,competency,kind,instrument,score,maxScore,assessedOn\nnobody,ICS,wba-rating,Mini-CEX,4,5,2026-01-01\n' }), own: only(admins, [422]), other: [403, 422] },
  { name: 'GET /learners/:id/assessment-results', service: 'feedback', call: (a) => http('feedback').get('/learners/medicine-learner/assessment-results', a), own: only(['learner', 'coach', 'coaching-lead', ...admins], [200], [404]), other: [404] },
  { name: 'POST /self-assessments', service: 'feedback', call: (a) => http('feedback').post('/self-assessments', a, { ratings: [{ competency: 'ICS', level: 3 }] }), own: only(['learner'], [201]), other: [201, 403] },
  { name: 'GET /learners/:id/self-vs-others', service: 'feedback', call: (a) => http('feedback').get('/learners/medicine-learner/self-vs-others', a), own: only(['learner', 'coach'], [200], [404]), other: [404] },
  { name: 'GET /learners/:id/self-assessments', service: 'feedback', call: (a) => http('feedback').get('/learners/medicine-learner/self-assessments', a), own: only(['learner', 'coach'], [200], [404]), other: [404] },
  ...['timeline', 'timeline/export?format=csv', `progress?asOf=${inDays(1)}`, `progress/diff?from=2020-01-01T00:00:00.000Z&to=${inDays(1)}`].map((path) => ({
    name: `GET /learners/:id/${path.split('?')[0]}`, service: 'feedback', call: (a: Actor) => http('feedback').get(`/learners/medicine-learner/${path}`, a),
    own: only(['learner', 'coach', 'coaching-lead', ...admins], [200], [404]), other: [404],
  })),
  { name: 'POST /feedback-requests', service: 'feedback', call: (a) => http('feedback').post('/feedback-requests', a, { asked: { kind: 'coach' }, competencies: ['ICS'] }), own: only(['learner'], [201]), other: [403, 422] },
  { name: 'GET /feedback-requests/:id', service: 'feedback', call: (a) => http('feedback').get(`/feedback-requests/${requestId}`, a), own: only(['learner', 'coach'], [200], [404]), other: [404] },
  // the person asked (the coach) reaches the rules; the learner sees it but may not answer for the coach; everyone else: not found
  { name: 'POST /feedback-requests/:id/answer', service: 'feedback', call: (a) => http('feedback').post(`/feedback-requests/${requestId}/answer`, a, { text: '', ratings: [] }), own: (role) => (role === 'coach' ? [422] : role === 'learner' ? [403] : [404]), other: [404] },
  { name: 'POST /feedback-requests/:id/decline', service: 'feedback', call: (a) => http('feedback').post(`/feedback-requests/${requestId}/decline`, a, { reason: 'x'.repeat(1001) }), own: (role) => (role === 'coach' ? [422] : role === 'learner' ? [403] : [404]), other: [404] },
  { name: 'GET /feedback-requests/asked-of-me', service: 'feedback', call: (a) => http('feedback').get('/feedback-requests/asked-of-me', a), own: () => [200], other: [200] },
  { name: 'GET /learners/:id/feedback-requests', service: 'feedback', call: (a) => http('feedback').get('/learners/medicine-learner/feedback-requests', a), own: only(['learner', 'coach'], [200], [404]), other: [404] },
  { name: 'POST /learners/:id/feedback-prompts', service: 'feedback', call: (a) => http('feedback').post('/learners/medicine-learner/feedback-prompts', a, { competencies: ['ICS'] }), own: only(['coach'], [201], [404]), other: [404] },
  { name: 'GET /feedback-links/request', service: 'feedback', call: () => http('feedback').get('/feedback-links/request?token=not-a-link-token'), own: () => [404], other: [404], public: true },
  { name: 'POST /feedback-links/decline', service: 'feedback', call: () => http('feedback').post('/feedback-links/decline', undefined, { token: 'not-a-link-token' }), own: () => [404], other: [404], public: true },
  { name: 'GET /schools/medicine/activity', service: 'analytics', call: (a) => http('analytics').get('/schools/medicine/activity', a), own: only(['coaching-lead', 'committee-member', ...admins], [200]), other: [404] },
  { name: 'GET /schools/medicine/analytics', service: 'analytics', call: (a) => http('analytics').get('/schools/medicine/analytics?granularity=week', a), own: only(['coaching-lead', 'committee-member', ...admins], [200]), other: [404] },
  { name: 'GET /schools/medicine/analytics?frameworkVersion', service: 'analytics', call: (a) => http('analytics').get('/schools/medicine/analytics?granularity=week&framework=iso-fw&frameworkVersion=1', a), own: only(['coaching-lead', 'committee-member', ...admins], [200, 404], [403]), other: [404] },
  { name: 'GET /schools/medicine/analytics-settings', service: 'analytics', call: (a) => http('analytics').get('/schools/medicine/analytics-settings', a), own: only(['coaching-lead', 'committee-member', ...admins], [200]), other: [404] },
  { name: 'PUT /schools/medicine/analytics-settings', service: 'analytics', call: (a) => http('analytics').put('/schools/medicine/analytics-settings', a, { minimumGroupSize: 10 }), own: only(admins, [200]), other: [404] },
];

/** what the learner keeps from their own coach */
const PRIVATE_TO_LEARNER = ['private reflection', 'Private goal'];
const SECRETS = ['Secret topic', 'Secret goal', 'private reflection', 'Private goal', 'Secret room', 'Secret house', 'Secret coach focus', 'Secret encounter'];
/** answers that would name the medicine learner if they crossed schools */
const NAMES_LEARNERS = /^GET \/(relationships|coachees|roster|learners|meetings|communities)/;

describe('tenant isolation matrix', () => {
  it('answers every endpoint x role x school as entitled, and leaks nothing across schools', async () => {
    const failures: string[] = [];
    let cases = 0;
    for (const endpoint of ENDPOINTS) {
      for (const caller of callers) {
        cases++;
        const response = await endpoint.call(caller.actor);
        const allowed = caller.school === 'own' ? endpoint.own(caller.role) : endpoint.other;
        if (!allowed.includes(response.status)) failures.push(`${endpoint.name} as ${caller.role} (${caller.school} school): ${response.status}, expected ${allowed.join('|')} ${JSON.stringify(response.body).slice(0, 160)}`);
        const text = JSON.stringify(response.body);
        const leaked = SECRETS.filter((s) => text.includes(s));
        if (endpoint.service === 'analytics' && text.includes('medicine-learner')) failures.push(`${endpoint.name} named a learner to ${caller.role}`);
        if (caller.school === 'other' && (leaked.length > 0 || (NAMES_LEARNERS.test(endpoint.name) && text.includes('medicine-learner')))) failures.push(`${endpoint.name} leaked to ${caller.role} of another school`);
        if (!['coach', 'coaching-lead'].includes(caller.role) && text.includes('Secret coach focus')) failures.push(`${endpoint.name} showed a coach's plan to ${caller.role}`);
        for (const secret of PRIVATE_TO_LEARNER) {
          if (caller.role === 'coach' && caller.school === 'own' && text.includes(secret)) failures.push(`${endpoint.name} showed "${secret}" to the coach`);
        }
      }
    }
    for (const endpoint of ENDPOINTS) {
      cases++;
      const response = await endpoint.call({ token: 'not-a-token' });
      if (endpoint.public ? !endpoint.own('learner').includes(response.status) : response.status !== 401) failures.push(`${endpoint.name} without a valid token: ${response.status}`);
    }
    process.stdout.write(`tenant isolation matrix: ${ENDPOINTS.length} endpoints x ${callers.length} callers + ${ENDPOINTS.length} without token = ${cases} cases\n`);
    expect(failures).toEqual([]);
  }, 600_000); // 840 sequential calls: about 45 s alone, several minutes beside a running demo platform on FerretDB
});

describe('a school id that names a member of every object', () => {
  const PATHS = [['identity', '/schools/medicine/users'], ['coaching', '/coachees'], ['feedback', '/frameworks'], ['analytics', '/schools/medicine/activity']];

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('x-school-id %s gets 403 with the JSON error from every service, whatever role the token holds', async (schoolId) => {
    const answers: string[] = [];
    for (const [service, path] of PATHS) {
      for (const caller of callers.filter((c) => c.role !== 'institution-admin')) {
        const { status, body } = await http(service).get(path, { ...caller.actor, schoolId });
        answers.push(`${service} ${caller.role}: ${status} ${JSON.stringify(body)}`);
      }
    }
    const refused = (service: string, role: string) => `${service} ${role}: 403 ${JSON.stringify({ statusCode: 403, error: 'Forbidden', message: `you hold no role in school ${schoolId}` })}`;
    expect(answers).toEqual(PATHS.flatMap(([service]) => callers.filter((c) => c.role !== 'institution-admin').map((c) => refused(service, c.role))));
  });
});

/**
 * Write verbs against existing resources of other people, in each of their states: someone who may not see a
 * resource gets exactly the answer (status and body) a random id gets. The owner is a learner whose dialogues and
 * goals were made with a former coach before a transfer; outsiders are everyone else in both schools (that former
 * coach, another coach, another learner, leads, admins), and for a private goal the current coach too.
 */
describe('outsiders learn nothing from writing to what they may not see', () => {
  const people = {
    owner: ['medicine-owner', 'learner'], former: ['medicine-former', 'coach'], coachNow: ['medicine-coach-now', 'coach'],
    onLeave: ['medicine-on-leave', 'learner'], ended: ['medicine-ended', 'learner'],
  } as const;
  const ids = {} as Record<string, string>;
  const actors: { name: string; email: string; actor: Actor }[] = [];
  const by = (name: string): Actor => {
    const found = actors.find((a) => a.name === name) ?? callers.find((c) => c.name === name);
    if (!found) throw new Error(`no caller named ${name}`);
    return found.actor;
  };
  const lead = () => by('medicine-coaching-lead');
  const expectStatus = async (call: Promise<{ status: number; body: unknown }>, status: number) => {
    const response = await call;
    expect({ status: response.status, body: response.body }).toMatchObject({ status });
    return response.body as Record<string, string>;
  };

  beforeAll(async () => {
    const admin = { token: await signIn('admin@iso.edu') };
    for (const [userId, role] of Object.values(people)) {
      await expectStatus(http('identity').post('/schools/medicine/users', admin, { userId, email: `${userId}@iso.edu`, displayName: userId, role, password: PASSWORD }), 201);
      actors.push({ name: userId, email: `${userId}@iso.edu`, actor: { token: await signIn(`${userId}@iso.edu`) } });
    }
    for (const [learnerId, coachId] of [['medicine-owner', 'medicine-former'], ['medicine-on-leave', 'medicine-coach-now'], ['medicine-ended', 'medicine-coach-now']]) {
      await waitFor(async () => expect((await http('coaching').post('/relationships', lead(), { learnerId, coachId })).status).toBe(201));
    }
    await expectStatus(http('coaching').post('/learners/medicine-on-leave/coaching/pause', lead(), { reason: 'leave' }), 200);
    await expectStatus(http('coaching').post('/learners/medicine-ended/coaching/end', lead(), { reason: 'other' }), 200);

    const owner = by('medicine-owner');
    ids['open dialogue'] = (await waitFor(async () => {
      const opened = await http('feedback').post('/dialogues', owner, { coachId: 'medicine-former', topic: 'Secret topic', competencies: [] });
      expect(opened.status).toBe(201);
      return opened.body;
    })).dialogueId;
    ids['closed dialogue'] = (await expectStatus(http('feedback').post('/dialogues', owner, { coachId: 'medicine-former', topic: 'Secret topic', competencies: [] }), 201)).dialogueId;
    await expectStatus(http('feedback').post(`/dialogues/${ids['closed dialogue']}/close`, owner), 200);
    const setGoal = async (extra: object = {}) => (await expectStatus(http('feedback').post('/goals', owner, { description: 'Secret goal', competencies: [], targetDate: '2099-01-01', ...extra }), 201)).goalId;
    ids['draft goal'] = await setGoal({ status: 'draft' });
    ids['active goal'] = await setGoal();
    ids['private goal'] = await setGoal({ visibility: 'private' });
    for (const status of ['deferred', 'achieved', 'abandoned']) {
      ids[`${status} goal`] = await setGoal();
      await expectStatus(http('feedback').post(`/goals/${ids[`${status} goal`]}/status`, owner, { to: status }), 200);
    }
    await expectStatus(http('feedback').post('/plan/revisions', owner, { focusAreas: [{ title: 'Focus', competencies: [] }], goalIds: [], nextReviewDue: inDays(30) }), 201);
    const csv = 'learnerId,competency,kind,instrument,score,maxScore,assessedOn\nmedicine-owner,ICS,wba-rating,Mini-CEX,4,5,2026-01-01\n';
    ids['result'] = `${(await waitFor(() => expectStatus(http('feedback').post('/assessment-results/imports', by('medicine-school-admin'), { csv }), 201))).importId}.2`;

    await expectStatus(http('coaching').post('/learners/medicine-owner/coaching/transfer', lead(), { toCoachId: 'medicine-coach-now', reason: 'moved' }), 200);
    await waitFor(async () => expect((await http('feedback').get(`/dialogues/${ids['open dialogue']}`, by('medicine-coach-now'))).status).toBe(200));

    const coachNow = by('medicine-coach-now');
    const schedule = async (startsAt: string) => (await expectStatus(http('coaching').post('/meetings', coachNow, { learnerId: 'medicine-owner', startsAt, durationMinutes: 30, location: 'Secret room' }), 201)).meetingId;
    ids['scheduled meeting'] = await schedule(inDays(1));
    ids['cancelled meeting'] = await schedule(inDays(1));
    await expectStatus(http('coaching').post(`/meetings/${ids['cancelled meeting']}/cancel`, coachNow, { reason: 'ill' }), 200);
    const soon = new Date(Date.now() + 3000).toISOString();
    ids['held meeting'] = await schedule(soon);
    ids['missed meeting'] = await schedule(soon);
    await waitFor(async () => expect((await http('coaching').post(`/meetings/${ids['held meeting']}/held`, coachNow, { agenda: [], notes: [] })).status).toBe(200), { timeoutMs: 20_000 });
    await expectStatus(http('coaching').post(`/meetings/${ids['missed meeting']}/missed`, coachNow, {}), 200);

    await expectStatus(http('coaching').post('/communities', lead(), { communityId: 'house-states', name: 'Secret house' }), 201);
    await waitFor(async () => expect((await http('coaching').post('/communities/house-states/coaches', lead(), { coachId: 'medicine-coach-now' })).status).toBe(201));
  }, 240_000);

  type Call = (actor: Actor, id: string) => Promise<{ status: number; body: unknown }>;
  interface Verb {
    name: string;
    call: Call;
    /** the resource in each of its states, with who may see it there (everyone else is compared) */
    states: { state: string; id: string; insiders: string[] }[];
    unknownId: () => string;
    /** compare only these callers (for resources named in the body of a request on one's own) */
    only?: string[];
  }
  const uuid = () => randomUUID();
  const NO_ACTION = randomUUID();
  const learnerish = () => `medicine-${randomUUID().slice(0, 8)}`;
  const LEADS = ['medicine-coaching-lead', 'medicine-school-admin', 'institution-admin'];
  const OWNER_AND_COACH = ['medicine-owner', 'medicine-coach-now'];
  const dialogues = () => ['open dialogue', 'closed dialogue'].map((state) => ({ state, id: ids[state], insiders: OWNER_AND_COACH }));
  const goals = () => ['draft goal', 'active goal', 'deferred goal', 'achieved goal', 'abandoned goal', 'private goal']
    .map((state) => ({ state, id: ids[state], insiders: state === 'private goal' ? ['medicine-owner'] : OWNER_AND_COACH }));
  const meetings = () => ['scheduled meeting', 'cancelled meeting', 'held meeting', 'missed meeting'].map((state) => ({ state, id: ids[state], insiders: OWNER_AND_COACH }));
  /** the owner (coached by medicine-coach-now), a learner on leave (same coach) and one whose relationship ended */
  const learners = (insiders: (learnerId: string, coachId: string | null) => string[]) => [
    { state: 'learner with an active relationship', id: 'medicine-owner', insiders: insiders('medicine-owner', 'medicine-coach-now') },
    { state: 'learner on leave', id: 'medicine-on-leave', insiders: insiders('medicine-on-leave', 'medicine-coach-now') },
    { state: 'learner whose relationship ended', id: 'medicine-ended', insiders: insiders('medicine-ended', null) },
  ];
  const learnerAndCoach = (learnerId: string, coachId: string | null) => [learnerId, ...(coachId ? [coachId] : [])];
  const ifMatch = { 'if-match': '1' };
  const f = () => http('feedback');
  const c = () => http('coaching');

  const verbs = (): Verb[] => [
    { name: 'POST /dialogues/:id/entries', call: (a, id) => f().post(`/dialogues/${id}/entries`, a, { text: 'x', visibility: 'shared' }), states: dialogues(), unknownId: uuid },
    { name: 'POST /dialogues/:id/entries (If-Match)', call: (a, id) => f().post(`/dialogues/${id}/entries`, a, { text: 'x', visibility: 'shared' }, ifMatch), states: dialogues(), unknownId: uuid },
    { name: 'POST /dialogues/:id/action-items', call: (a, id) => f().post(`/dialogues/${id}/action-items`, a, { description: 'x', ownerId: 'medicine-owner' }), states: dialogues(), unknownId: uuid },
    { name: 'POST /dialogues/:id/close', call: (a, id) => f().post(`/dialogues/${id}/close`, a), states: dialogues(), unknownId: uuid },
    // who may see the dialogue is decided before its items are looked at: an outsider learns nothing of them
    { name: 'POST /dialogues/:id/action-items/:actionId/done', call: (a, id) => f().post(`/dialogues/${id}/action-items/${NO_ACTION}/done`, a, { outcome: 'x' }), states: dialogues(), unknownId: uuid },
    { name: 'POST /dialogues/:id/action-items/:actionId/drop', call: (a, id) => f().post(`/dialogues/${id}/action-items/${NO_ACTION}/drop`, a, { reason: 'x' }), states: dialogues(), unknownId: uuid },
    { name: 'POST /dialogues/:id/reopen', call: (a, id) => f().post(`/dialogues/${id}/reopen`, a), states: dialogues(), unknownId: uuid },
    { name: 'POST /dialogues/:id/references', call: (a, id) => f().post(`/dialogues/${id}/references`, a, { resultId: ids['result'] }), states: dialogues(), unknownId: uuid },
    { name: 'POST /goals/:id/revisions', call: (a, id) => f().post(`/goals/${id}/revisions`, a, { description: 'd', targetDate: '2099-02-01', rationale: 'r' }), states: goals(), unknownId: uuid },
    { name: 'POST /goals/:id/revisions (If-Match)', call: (a, id) => f().post(`/goals/${id}/revisions`, a, { description: 'd', targetDate: '2099-02-01', rationale: 'r' }, ifMatch), states: goals(), unknownId: uuid },
    { name: 'POST /goals/:id/status', call: (a, id) => f().post(`/goals/${id}/status`, a, { to: 'achieved' }), states: goals(), unknownId: uuid },
    { name: 'POST /goals/:id/sharing', call: (a, id) => f().post(`/goals/${id}/sharing`, a, { visibility: 'shared' }), states: goals(), unknownId: uuid },
    { name: 'POST /goals/:id/progress-notes', call: (a, id) => f().post(`/goals/${id}/progress-notes`, a, { note: 'n' }), states: goals(), unknownId: uuid },
    { name: 'POST /goals/:id/links', call: (a, id) => f().post(`/goals/${id}/links`, a, { kind: 'dialogue', targetId: ids['open dialogue'] }), states: goals(), unknownId: uuid },
    {
      name: 'POST /learners/:id/plan/reviews', call: (a, id) => f().post(`/learners/${id}/plan/reviews`, a, { whatChanged: 'w', nextSteps: [], nextReviewDue: inDays(40) }),
      states: learners(learnerAndCoach),
      unknownId: learnerish,
    },
    // another learner's dialogue or result, named in a request on one's own goal, plan or dialogue
    { name: 'POST /goals/:own/links (their dialogue)', call: (a, id) => f().post(`/goals/${goalId}/links`, a, { kind: 'dialogue', targetId: id }), states: [{ state: 'open', id: ids['open dialogue'], insiders: [] }], unknownId: uuid, only: ['medicine-learner'] },
    { name: 'POST /goals/:own/links (their result)', call: (a, id) => f().post(`/goals/${goalId}/links`, a, { kind: 'assessment-result', targetId: id }), states: [{ state: 'imported', id: ids['result'], insiders: [] }], unknownId: () => `${uuid()}.2`, only: ['medicine-learner'] },
    { name: 'POST /dialogues/:own/references (their result)', call: (a, id) => f().post(`/dialogues/${dialogueId}/references`, a, { resultId: id }), states: [{ state: 'imported', id: ids['result'], insiders: [] }], unknownId: () => `${uuid()}.2`, only: ['medicine-learner', 'medicine-coach'] },
    {
      name: 'POST /plan/revisions (their goal)', call: (a, id) => f().post('/plan/revisions', a, { focusAreas: [{ title: 'Focus', competencies: [] }], goalIds: [id], nextReviewDue: inDays(30), rationale: 'r' }),
      states: goals(), unknownId: uuid, only: ['medicine-learner'],
    },

    { name: 'POST /meetings/:id/reschedule', call: (a, id) => c().post(`/meetings/${id}/reschedule`, a, { startsAt: inDays(5) }), states: meetings(), unknownId: uuid },
    { name: 'POST /meetings/:id/cancel', call: (a, id) => c().post(`/meetings/${id}/cancel`, a, { reason: 'r' }), states: meetings(), unknownId: uuid },
    { name: 'POST /meetings/:id/held', call: (a, id) => c().post(`/meetings/${id}/held`, a, { agenda: [], notes: [] }), states: meetings(), unknownId: uuid },
    { name: 'POST /meetings/:id/missed', call: (a, id) => c().post(`/meetings/${id}/missed`, a, {}), states: meetings(), unknownId: uuid },
    { name: 'POST /meetings/:id/agenda', call: (a, id) => c().post(`/meetings/${id}/agenda`, a, { item: 'x' }), states: meetings(), unknownId: uuid },
    {
      name: 'POST /meetings (for them)', call: (a, id) => c().post('/meetings', a, { learnerId: id, startsAt: inDays(6), durationMinutes: 30 }),
      states: learners(learnerAndCoach), unknownId: learnerish,
    },
    // a read, among the writes: a learner's coaching record and meetings, for the learner, their coach now and the leads (a former coach is an outsider)
    ...['', '/meetings'].map((rest): Verb => ({
      name: `GET /learners/:id/coaching${rest}`, call: (a, id) => c().get(`/learners/${id}/coaching${rest}`, a),
      states: learners((learnerId, coachId) => [...learnerAndCoach(learnerId, coachId), ...LEADS]), unknownId: learnerish,
    })),
    ...(['transfer', 'pause', 'resume', 'end'] as const).map((verb): Verb => ({
      name: `POST /learners/:id/coaching/${verb}`,
      call: (a, id) => c().post(`/learners/${id}/coaching/${verb}`, a, verb === 'transfer' ? { toCoachId: 'medicine-coach', reason: 'r' } : verb === 'end' ? { reason: 'other' } : { reason: 'r' }),
      states: learners(() => LEADS), unknownId: learnerish,
    })),
    { name: 'POST /communities/:id/coaches', call: (a, id) => c().post(`/communities/${id}/coaches`, a, { coachId: 'medicine-former' }), states: [{ state: 'with a member', id: 'house-states', insiders: LEADS }], unknownId: () => `house-${uuid().slice(0, 8)}` },
    { name: 'DELETE /communities/:id/coaches/:coachId', call: (a, id) => c().delete(`/communities/${id}/coaches/medicine-coach-now`, a), states: [{ state: 'with a member', id: 'house-states', insiders: LEADS }], unknownId: () => `house-${uuid().slice(0, 8)}` },
    { name: 'PUT /coaches/:id/capacity', call: (a, id) => c().put(`/coaches/${id}/capacity`, a, { capacity: 9 }), states: [{ state: 'coaching learners', id: 'medicine-coach-now', insiders: LEADS }], unknownId: learnerish },
  ];

  /** a few requests at a time: the services are separate processes, the machine is shared */
  async function inPool<T>(jobs: (() => Promise<T>)[], width = 4): Promise<T[]> {
    const results: T[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const index = next++;
        results[index] = await jobs[index]();
      }
    }));
    return results;
  }

  it('answers every write verb x state of another person\'s resource x outsider exactly as for a random id', async () => {
    // the first matrix may have taken longer than a token lives
    for (const someone of [...callers, ...actors]) someone.actor.token = await signIn(someone.email);
    const everyone = [...callers.map((c) => c.name), ...actors.map((a) => a.name)];
    const jobs = verbs().flatMap((verb) => verb.states.flatMap(({ state, id, insiders }) =>
      everyone.filter((name) => (verb.only ? verb.only.includes(name) : !insiders.includes(name))).map((name) => async () => {
        const unknownId = verb.unknownId();
        const [real, unknown] = await Promise.all([verb.call(by(name), id), verb.call(by(name), unknownId)]);
        const same = real.status === unknown.status && JSON.stringify(real.body) === JSON.stringify(unknown.body).split(unknownId).join(id);
        const leaked = SECRETS.some((secret) => JSON.stringify(real.body).includes(secret));
        return same && !leaked ? null : `${verb.name} on a ${state} as ${name}: ${real.status} ${JSON.stringify(real.body).slice(0, 140)}; a random id: ${unknown.status} ${JSON.stringify(unknown.body).slice(0, 140)}`;
      })));
    const failures = (await inPool(jobs)).filter((f): f is string => f !== null);
    process.stdout.write(`outsider write matrix: ${jobs.length} cases (${verbs().length} verbs), each against a random id\n`);
    expect(failures).toEqual([]);
  }, 600_000);
});
