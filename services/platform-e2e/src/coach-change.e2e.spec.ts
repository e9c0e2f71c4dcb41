import { CoachingEvents, eventsTopic } from '@cbme/contracts';
import { Actor, dropServiceDatabases, httpClient, publishedEvent, RunningService, startServiceProcess, testServers, uniqueName, waitFor } from '@cbme/testing';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';

/**
 * Feedback follows who coaches a learner now. Coaching cannot yet be asked over HTTP to transfer, pause or
 * end a relationship, so this test plays coaching's part for those steps: it publishes the events coaching
 * would publish (validated envelopes, next version of the learner's relationship stream) to coaching's topic.
 * Feedback must consume them like any other: a former coach loses access, the learner keeps everything,
 * a new coach sees only what the learner shares; a paused relationship keeps its coach.
 */
const namespace = uniqueName('coach-change');
const INSTITUTION = 'inst-cc';
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION, KEY_ACTIVATION_SECONDS: '0' };
const PEOPLE = { lead: ['lead-1', 'coaching-lead'], lea1: ['lea-1', 'learner'], lea2: ['lea-2', 'learner'], coa1: ['coa-1', 'coach'], coa2: ['coa-2', 'coach'] } as const;

const services: Record<string, RunningService> = {};
const http = (name: string) => httpClient(services[name].url);
const kafka = new Kafka({ clientId: 'e2e-coach-change', brokers: testServers().kafkaBrokers, logLevel: logLevel.NOTHING });
const as = {} as Record<keyof typeof PEOPLE, Actor>;
const relationshipOf: Record<string, string> = {};

async function signIn(email: string): Promise<string> {
  const response = await http('identity').post('/auth/login', undefined, { email, password: PASSWORD });
  expect(response.status).toBe(200);
  return response.body.accessToken;
}

/** Publishes what coaching would publish for the learner's relationship stream, at the given version. */
async function publishAsCoaching(type: keyof typeof CoachingEvents, learnerId: string, streamVersion: number, data: object) {
  const definition = CoachingEvents[type];
  const event = publishedEvent(definition.type, `coaching-learner-${SCHOOL}-${learnerId}`, streamVersion, data, {
    schemaVersion: definition.schemaVersion,
    tenant: { institutionId: INSTITUTION, schoolId: SCHOOL },
    actor: { userId: 'lead-1', role: 'coaching-lead' },
  });
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic: eventsTopic(namespace, 'coaching'), messages: [{ key: event.streamId, value: JSON.stringify(event) }] });
  } finally {
    await producer.disconnect();
  }
}

/** Feedback's own record of a learner's coach (its read model), to know an event was applied when nothing visible changes. */
async function currentCoachRecord(learnerId: string) {
  const connection = await mongoose.createConnection(testServers().mongoUrl, { dbName: `${namespace.replace(/-/g, '_')}_feedback` }).asPromise();
  try {
    return await connection.collection('current_coaches').findOne({ _id: `${SCHOOL}:${learnerId}` as never });
  } finally {
    await connection.close();
  }
}

const texts = (body: { entries: { text: string }[] }) => body.entries.map((e) => e.text);
const descriptions = (body: { goals: { description: string }[] }) => body.goals.map((g) => g.description).sort();

beforeAll(async () => {
  services['identity'] = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: 'admin@cc.edu', BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  env['AUTH_JWKS_URL'] = `${services['identity'].url}/.well-known/jwks.json`;
  for (const s of await Promise.all(['coaching', 'feedback'].map((name) => startServiceProcess(name, env)))) services[s.name] = s;

  const admin = { token: await signIn('admin@cc.edu') };
  expect((await http('identity').post('/schools', admin, { schoolId: SCHOOL, name: SCHOOL })).status).toBe(201);
  for (const [key, [userId, role]] of Object.entries(PEOPLE)) {
    const registered = await http('identity').post(`/schools/${SCHOOL}/users`, admin, { userId, email: `${userId}@cc.edu`, displayName: userId, role, password: PASSWORD });
    expect(registered.status).toBe(201);
    as[key as keyof typeof PEOPLE] = { token: await signIn(`${userId}@cc.edu`) };
  }
  for (const learnerId of ['lea-1', 'lea-2']) {
    relationshipOf[learnerId] = await waitFor(async () => {
      const assigned = await http('coaching').post('/relationships', as.lead, { learnerId, coachId: 'coa-1' });
      expect(assigned.status).toBe(201);
      return assigned.body.relationshipId;
    });
  }
}, 240_000);

afterAll(async () => {
  await Promise.all(Object.values(services).map((s) => s.stop()));
  await dropServiceDatabases(namespace, Object.keys(services));
});

describe('feedback follows the current coach', () => {
  let dialogueId: string;

  it('the learner shares some of their record with their coach and keeps the rest private', async () => {
    dialogueId = (await waitFor(async () => {
      const opened = await http('feedback').post('/dialogues', as.lea1, { coachId: 'coa-1', topic: 'Breaking bad news', competencies: ['ICS'] });
      expect(opened.status).toBe(201);
      return opened.body;
    })).dialogueId;
    expect((await http('feedback').post(`/dialogues/${dialogueId}/entries`, as.lea1, { text: 'my private worry', visibility: 'private' })).status).toBe(201);
    expect((await http('feedback').post(`/dialogues/${dialogueId}/entries`, as.lea1, { text: 'for my coach', visibility: 'shared' })).status).toBe(201);
    expect((await http('feedback').post(`/dialogues/${dialogueId}/entries`, as.coa1, { text: 'try SPIKES', visibility: 'shared' })).status).toBe(201);

    const target = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    const setGoal = (description: string, visibility?: string) =>
      http('feedback').post('/goals', as.lea1, { description, competencies: ['ICS'], targetDate: target, ...(visibility ? { visibility } : {}) });
    expect((await setGoal('Shared goal')).status).toBe(201);
    expect((await setGoal('Private goal', 'private')).status).toBe(201);
    const later = await setGoal('Goal made private later');
    expect(later.status).toBe(201);
    await waitFor(async () => expect(descriptions((await http('feedback').get('/learners/lea-1/goals', as.coa1)).body)).toEqual(['Goal made private later', 'Shared goal']));

    expect((await http('feedback').post(`/goals/${later.body.goalId}/sharing`, as.coa1, { visibility: 'shared' })).status).toBe(403);
    expect((await http('feedback').post(`/goals/${later.body.goalId}/sharing`, as.lea1, { visibility: 'secret' })).status).toBe(400);
    expect(await http('feedback').post(`/goals/${later.body.goalId}/sharing`, as.lea1, { visibility: 'private' })).toMatchObject({ status: 200, body: { visibility: 'private', version: 2 } });
    expect(await http('feedback').post(`/goals/${later.body.goalId}/sharing`, as.lea1, { visibility: 'private' })).toMatchObject({ status: 200, body: { version: 2 } });

    await waitFor(async () => expect(descriptions((await http('feedback').get('/learners/lea-1/goals', as.coa1)).body)).toEqual(['Shared goal']));
    expect(descriptions((await http('feedback').get('/learners/lea-1/goals', as.lea1)).body)).toEqual(['Goal made private later', 'Private goal', 'Shared goal']);
    expect(texts((await http('feedback').get(`/dialogues/${dialogueId}`, as.coa1)).body)).toEqual(['for my coach', 'try SPIKES']);
    expect((await http('feedback').get('/learners/lea-1/goals', as.coa2)).status).toBe(404);
    expect((await http('feedback').get(`/dialogues/${dialogueId}`, as.coa2)).status).toBe(404);
  });

  it('after a transfer, the former coach finds nothing, the new coach sees what is shared, the learner everything', async () => {
    await publishAsCoaching('LearnerTransferred', 'lea-1', 2, {
      relationshipId: relationshipOf['lea-1'], newRelationshipId: randomUUID(), learnerId: 'lea-1', fromCoachId: 'coa-1', toCoachId: 'coa-2', reason: 'rotation moved',
    });
    await waitFor(async () => expect((await http('feedback').get('/learners/lea-1/goals', as.coa1)).status).toBe(404));

    expect((await http('feedback').get(`/dialogues/${dialogueId}`, as.coa1)).status).toBe(404);
    // the former coach may not see the dialogue any more: writing in it or closing it, they learn no more than reading
    const unknown = await http('feedback').post(`/dialogues/${randomUUID()}/entries`, as.coa1, { text: 'still here?', visibility: 'shared' });
    expect(await http('feedback').post(`/dialogues/${dialogueId}/entries`, as.coa1, { text: 'still here?', visibility: 'shared' })).toEqual(unknown);
    expect(unknown).toMatchObject({ status: 404, body: { message: 'no feedback dialogue with that id in this school' } });
    expect(await http('feedback').post(`/dialogues/${dialogueId}/close`, as.coa1)).toEqual(unknown);

    const newCoachView = await http('feedback').get(`/dialogues/${dialogueId}`, as.coa2);
    expect(newCoachView.status).toBe(200);
    expect(texts(newCoachView.body)).toEqual(['for my coach', 'try SPIKES']);
    const newCoachGoals = await http('feedback').get('/learners/lea-1/goals', as.coa2);
    expect(descriptions(newCoachGoals.body)).toEqual(['Shared goal']);
    expect(JSON.stringify([newCoachView.body, newCoachGoals.body])).not.toMatch(/my private worry|Private goal|made private/);

    expect(texts((await http('feedback').get(`/dialogues/${dialogueId}`, as.lea1)).body)).toEqual(['my private worry', 'for my coach', 'try SPIKES']);
    expect(descriptions((await http('feedback').get('/learners/lea-1/goals', as.lea1)).body)).toHaveLength(3);
    expect((await http('feedback').post(`/dialogues/${dialogueId}/entries`, as.lea1, { text: 'a note for later', visibility: 'private' })).status).toBe(201);

    expect((await http('feedback').post('/dialogues', as.lea1, { coachId: 'coa-1', topic: 'Old habits', competencies: [] })).status).toBe(422);
    expect((await http('feedback').post('/dialogues', as.lea1, { coachId: 'coa-2', topic: 'Fresh start', competencies: [] })).status).toBe(201);
  });

  it('a paused relationship keeps its coach; once it ended, the coach finds nothing and the learner keeps everything', async () => {
    const opened = await http('feedback').post('/dialogues', as.lea2, { coachId: 'coa-1', topic: 'Night shifts', competencies: [] });
    expect(opened.status).toBe(201);
    const lea2Dialogue = opened.body.dialogueId;
    expect((await http('feedback').post(`/dialogues/${lea2Dialogue}/entries`, as.lea2, { text: 'shared with my coach', visibility: 'shared' })).status).toBe(201);
    expect((await http('feedback').post('/goals', as.lea2, { description: 'Sleep before nights', competencies: [], targetDate: '2099-01-01' })).status).toBe(201);
    await waitFor(async () => expect(descriptions((await http('feedback').get('/learners/lea-2/goals', as.coa1)).body)).toEqual(['Sleep before nights']));

    const ids = { relationshipId: relationshipOf['lea-2'], learnerId: 'lea-2', coachId: 'coa-1' };
    await publishAsCoaching('RelationshipPaused', 'lea-2', 2, { ...ids, reason: 'parental leave' });
    await waitFor(async () => expect(await currentCoachRecord('lea-2')).toMatchObject({ coachId: 'coa-1', status: 'paused', version: 2 }));
    expect((await http('feedback').get('/learners/lea-2/goals', as.coa1)).status).toBe(200);
    expect(texts((await http('feedback').get(`/dialogues/${lea2Dialogue}`, as.coa1)).body)).toEqual(['shared with my coach']);
    expect((await http('feedback').post(`/dialogues/${lea2Dialogue}/entries`, as.coa1, { text: 'back soon', visibility: 'shared' })).status).toBe(201);

    await publishAsCoaching('RelationshipEnded', 'lea-2', 3, { ...ids, reason: 'graduated' });
    await waitFor(async () => expect((await http('feedback').get('/learners/lea-2/goals', as.coa1)).status).toBe(404));
    expect(await currentCoachRecord('lea-2')).toMatchObject({ coachId: null, status: 'ended', version: 3 });
    expect((await http('feedback').get(`/dialogues/${lea2Dialogue}`, as.coa1)).status).toBe(404);
    expect((await http('feedback').post(`/dialogues/${lea2Dialogue}/close`, as.coa1)).status).toBe(404);

    expect(texts((await http('feedback').get(`/dialogues/${lea2Dialogue}`, as.lea2)).body)).toEqual(['shared with my coach', 'back soon']);
    expect(descriptions((await http('feedback').get('/learners/lea-2/goals', as.lea2)).body)).toEqual(['Sleep before nights']);
    expect((await http('feedback').post('/dialogues', as.lea2, { coachId: 'coa-1', topic: 'One more?', competencies: [] })).status).toBe(422);
    expect(await http('feedback').post(`/dialogues/${lea2Dialogue}/close`, as.lea2)).toMatchObject({ status: 200, body: { status: 'closed' } });
  });
});
