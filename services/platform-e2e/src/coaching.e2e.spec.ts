import { Actor, dropServiceDatabases, httpClient, RunningService, RunningSmtpServer, startServiceProcess, startSmtpServer, testServers, uniqueName, waitFor } from '@cbme/testing';
import { Queue } from 'bullmq';
import mongoose from 'mongoose';

interface StoredEvent {
  eventId: string;
  type: string;
  correlationId: string;
  causationId: string | null;
  actor: { role: string };
  data: Record<string, unknown>;
}

/** A stream's events as a service stored them: one document per commit, in stream order (see the event store in README). */
async function storedStream(connection: mongoose.Connection, collection: string, streamId: string): Promise<StoredEvent[]> {
  const commits = await connection.collection<{ from: number; events: StoredEvent[] }>(collection).find({ streamId }).toArray();
  return commits.sort((a, b) => a.from - b.from).flatMap((c) => c.events);
}

/**
 * Coaching relationships and meetings over the real stack: identity, coaching and feedback as processes, a real
 * SMTP server for reminders. Assign (with capacity) -> meet (reminders scheduled, moved, cancelled, sent once)
 * -> transfer -> pause/resume -> end, and identity's facts (withdrawal, a coach's deactivation) reaching coaching
 * through Kafka, with the read models checked after each step.
 */
const namespace = uniqueName('coach');
const INSTITUTION = 'inst-coach';
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const LEAD_SECONDS = 6;
const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION };

const PEOPLE = {
  lead: ['lead-1', 'coaching-lead'],
  ada: ['ada', 'learner'],
  ben: ['ben', 'learner'],
  cyd: ['cyd', 'learner'],
  coachOne: ['coa-1', 'coach'],
  coachTwo: ['coa-2', 'coach'],
} as const;
const actors = {} as Record<keyof typeof PEOPLE | 'admin', Actor>;
const services: Record<string, RunningService> = {};
const http = (name: string) => httpClient(services[name].url);
let smtp: RunningSmtpServer;
let reminders: Queue;
const dbName = (service: string) => `${namespace.replace(/-/g, '_')}_${service}`;
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString().replace(/\.\d+Z$/, '.000Z');
const delayedJobIds = async () => (await reminders.getDelayed()).map((j) => j.id).sort();

async function signIn(email: string): Promise<string> {
  const response = await http('identity').post('/auth/login', undefined, { email, password: PASSWORD });
  expect(response.status).toBe(200);
  return response.body.accessToken;
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  services['identity'] = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: 'admin@inst-coach.edu', BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  env['AUTH_JWKS_URL'] = `${services['identity'].url}/.well-known/jwks.json`;
  const [coaching, feedback] = await Promise.all([
    startServiceProcess('coaching', { ...env, SMTP_URL: smtp.url, REMINDER_LEAD_SECONDS: String(LEAD_SECONDS), NOTIFY_FROM: 'coaching@inst-coach.edu' }),
    startServiceProcess('feedback', env),
  ]);
  Object.assign(services, { coaching, feedback });
  reminders = new Queue('meeting-reminders', { connection: { url: testServers().redisUrl }, prefix: `${namespace}:coaching` });

  actors.admin = { token: await signIn('admin@inst-coach.edu') };
  expect((await http('identity').post('/schools', actors.admin, { schoolId: SCHOOL, name: 'Medicine' })).status).toBe(201);
  expect((await http('identity').post(`/schools/${SCHOOL}/cohorts`, actors.admin, { cohortId: 'md-2030', program: 'MD', graduationYear: 2030 })).status).toBe(201);
  for (const [key, [userId, role]] of Object.entries(PEOPLE)) {
    const registered = await http('identity').post(`/schools/${SCHOOL}/users`, actors.admin, { userId, email: `${userId}@inst-coach.edu`, displayName: userId.toUpperCase(), role, password: PASSWORD });
    expect(registered.status).toBe(201);
    actors[key as keyof typeof PEOPLE] = { token: await signIn(`${userId}@inst-coach.edu`) };
  }
}, 240_000);

afterAll(async () => {
  await reminders?.close();
  await Promise.all(Object.values(services).map((s) => s.stop()));
  await smtp?.stop();
  await dropServiceDatabases(namespace, ['identity', 'coaching', 'feedback']);
});

describe('coaching relationships and meetings', () => {
  const roster = async () => (await http('coaching').get('/roster', actors.lead)).body;
  let meetingId: string;

  it('a lead sets the program and capacities; assignment beyond capacity needs a reason', async () => {
    expect((await http('coaching').put('/program', actors.lead, { meetingCadenceDays: 28, defaultCoachCapacity: 1 })).status).toBe(200);
    expect((await http('coaching').put('/program', actors.coachOne, { meetingCadenceDays: 28, defaultCoachCapacity: 1 })).status).toBe(403);
    // coaching learns the people from identity's events through Kafka
    await waitFor(async () => expect((await http('coaching').put('/coaches/coa-2/capacity', actors.lead, { capacity: 3 })).status).toBe(200));
    expect(await http('coaching').put('/coaches/ada/capacity', actors.lead, { capacity: 3 })).toMatchObject({ status: 422, body: { message: 'ada is not a coach in this school' } });

    await waitFor(async () => expect((await http('coaching').post('/relationships', actors.lead, { learnerId: 'ada', coachId: 'coa-1' })).status).toBe(201));
    await waitFor(async () => expect((await roster()).coachLoad.find((c: { coachId: string }) => c.coachId === 'coa-1')).toMatchObject({ load: 1, capacity: 1 }));
    expect(await http('coaching').post('/relationships', actors.lead, { learnerId: 'ben', coachId: 'coa-1' })).toMatchObject({
      status: 422, body: { message: 'coach coa-1 is at capacity (1 of 1); a coaching lead may override with a reason' },
    });
    expect((await http('coaching').post('/relationships', actors.lead, { learnerId: 'ben', coachId: 'coa-1', capacityOverride: 'continuity from year 1' })).status).toBe(201);
    expect(await http('coaching').post('/relationships', actors.lead, { learnerId: 'ada', coachId: 'coa-2' })).toMatchObject({ status: 409, body: { message: 'ada already has coach coa-1; transfer instead' } });

    const view = await waitFor(async () => {
      const r = await roster();
      expect(r.coachLoad.find((c: { coachId: string }) => c.coachId === 'coa-1')).toMatchObject({ load: 2, capacity: 1, overCapacity: true });
      return r;
    });
    expect(view.program).toEqual({ meetingCadenceDays: 28, defaultCoachCapacity: 1 });
    expect(view.coachLoad.find((c: { coachId: string }) => c.coachId === 'coa-2')).toMatchObject({ load: 0, capacity: 3 });
    expect(view.unassigned).toEqual([{ learnerId: 'cyd', learnerName: 'CYD', needsReassignment: false }]);
    expect(view.behindCadence).toEqual([]);
  });

  it('refuses bad meeting input: the past, someone else\'s learner, unknown fields', async () => {
    expect(await http('coaching').post('/meetings', actors.coachOne, { learnerId: 'ada', startsAt: inSeconds(-3600), durationMinutes: 30 })).toMatchObject({
      status: 422, body: { message: expect.stringContaining('a meeting cannot be scheduled in the past') },
    });
    expect((await http('coaching').post('/meetings', actors.coachTwo, { learnerId: 'ada', startsAt: inSeconds(3600), durationMinutes: 30 })).status).toBe(404);
    expect((await http('coaching').post('/meetings', actors.coachOne, { learnerId: 'ada', startsAt: inSeconds(3600), durationMinutes: 30, room: 'B' })).status).toBe(400);
    expect((await http('coaching').post('/meetings', actors.lead, { learnerId: 'ada', startsAt: inSeconds(3600), durationMinutes: 30 })).status).toBe(403);
  });

  it('schedules reminders as delayed jobs, moves them with the meeting and drops them when it is cancelled', async () => {
    const scheduled = await http('coaching').post('/meetings', actors.coachOne, { learnerId: 'ada', startsAt: inSeconds(30), durationMinutes: 30, location: 'Room 4' });
    expect(scheduled.status).toBe(201);
    meetingId = scheduled.body.meetingId;
    const firstJob = `reminder-${meetingId}-${Date.parse(scheduled.body.startsAt)}`;
    await waitFor(async () => expect(await delayedJobIds()).toContain(firstJob));

    const startsAt = inSeconds(14);
    expect((await http('coaching').post(`/meetings/${meetingId}/reschedule`, actors.ada, { startsAt, reason: 'exam clash' })).status).toBe(200);
    const movedJob = `reminder-${meetingId}-${Date.parse(startsAt)}`;
    await waitFor(async () => {
      const ids = await delayedJobIds();
      expect(ids).toContain(movedJob);
      expect(ids).not.toContain(firstJob);
    });

    const other = await http('coaching').post('/meetings', actors.ada, { learnerId: 'ada', startsAt: inSeconds(7200), durationMinutes: 30 });
    expect(other.status).toBe(201);
    const otherJob = `reminder-${other.body.meetingId}-${Date.parse(other.body.startsAt)}`;
    await waitFor(async () => expect(await delayedJobIds()).toContain(otherJob));
    expect((await http('coaching').post(`/meetings/${other.body.meetingId}/cancel`, actors.coachOne, { reason: 'double-booked' })).status).toBe(200);
    await waitFor(async () => expect(await delayedJobIds()).not.toContain(otherJob));
    expect((await http('coaching').post(`/meetings/${other.body.meetingId}/cancel`, actors.coachOne, { reason: 'again' })).status).toBe(409);
  });

  it('sends each person one reminder by e-mail, with what happened since they last met', async () => {
    // Ada opens a feedback dialogue: coaching learns of it from feedback's events
    await waitFor(async () => expect((await http('feedback').post('/dialogues', actors.ada, { coachId: 'coa-1', topic: 'Night handover', competencies: ['ICS'] })).status).toBe(201));
    await waitFor(async () => expect((await http('coaching').get(`/meetings/${meetingId}/summary`, actors.coachOne)).body.counts).toMatchObject({ 'dialogue-opened': 1 }));

    const mails = await waitFor(() => {
      expect(smtp.received).toHaveLength(2);
      return smtp.received;
    }, { timeoutMs: 30_000 });
    expect(mails.map((m) => m.to[0]).sort()).toEqual(['ada@inst-coach.edu', 'coa-1@inst-coach.edu']);
    for (const mail of mails) {
      expect(mail.subject).toMatch(/^Coaching meeting on \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
      expect(mail.text).toContain('since coaching began: 1 dialogue opened.');
      expect(mail.text).toContain('Room 4');
    }
    await waitFor(async () => expect((await http('coaching').get(`/meetings/${meetingId}`, actors.ada)).body.remindersSent).toBe(2));
    // the job ran once and its sending is recorded: nothing more arrives
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(smtp.received).toHaveLength(2);
  });

  it('records the meeting as held, with notes private to the coach or shared with the learner', async () => {
    const notes = [{ text: 'seems exhausted after nights', visibility: 'coach-only' }, { text: 'try the SBAR card', visibility: 'shared-with-learner' }];
    // the learner sees the meeting, so she is told she may not record it, not that it does not exist
    expect(await http('coaching').post(`/meetings/${meetingId}/held`, actors.ada, { agenda: ['handover'], notes })).toMatchObject({ status: 403 });
    const held = await waitFor(async () => {
      const response = await http('coaching').post(`/meetings/${meetingId}/held`, actors.coachOne, { agenda: ['handover'], notes });
      expect(response.status).not.toBe(422); // not before it starts
      return response;
    }, { timeoutMs: 20_000, intervalMs: 500 });
    expect(held.status).toBe(200);
    expect((await http('coaching').get(`/meetings/${meetingId}`, actors.coachOne)).body).toMatchObject({ status: 'held', notes: [{ text: notes[0].text }, { text: notes[1].text }] });
    const forLearner = (await http('coaching').get(`/meetings/${meetingId}`, actors.ada)).body;
    expect(forLearner.notes).toEqual([{ visibility: 'shared-with-learner', wordCount: 4, text: 'try the SBAR card' }]);
    expect((await http('coaching').get(`/meetings/${meetingId}`, actors.coachTwo)).status).toBe(404);

    const coachees = await waitFor(async () => {
      const body = (await http('coaching').get('/coachees', actors.coachOne)).body;
      expect(body.coachees.find((c: { learnerId: string }) => c.learnerId === 'ada').lastMeetingAt).toBeTruthy();
      return body.coachees;
    });
    expect(coachees.map((c: { learnerId: string }) => c.learnerId).sort()).toEqual(['ada', 'ben']);
    expect(coachees.find((c: { learnerId: string }) => c.learnerId === 'ada')).toMatchObject({ displayName: 'ADA', status: 'active', behindCadence: false, nextMeeting: null });
  });

  it('transfers, pauses, resumes and ends, keeping the whole history; illegal transitions are refused', async () => {
    const transferred = await http('coaching').post('/learners/ada/coaching/transfer', actors.lead, { toCoachId: 'coa-2', reason: 'moved to the rural campus' });
    expect(transferred).toMatchObject({ status: 200, body: { coachId: 'coa-2' } });
    expect(await http('coaching').post('/learners/ada/coaching/transfer', actors.lead, { toCoachId: 'coa-2', reason: 'again' })).toMatchObject({ status: 409 });
    await waitFor(async () => expect((await http('coaching').get('/coachees', actors.coachOne)).body.coachees.map((c: { learnerId: string }) => c.learnerId)).toEqual(['ben']));

    expect((await http('coaching').post('/learners/ada/coaching/pause', actors.lead, { reason: 'leave of absence' })).status).toBe(200);
    expect((await http('coaching').post('/learners/ada/coaching/pause', actors.lead, { reason: 'twice' })).status).toBe(409);
    expect((await http('coaching').post('/learners/ada/coaching/resume', actors.lead)).status).toBe(200);
    expect((await http('coaching').post('/learners/ada/coaching/end', actors.ada, { reason: 'other' })).status).toBe(403);
    expect((await http('coaching').post('/learners/ada/coaching/end', actors.lead, { reason: 'sometime' })).status).toBe(400);
    expect((await http('coaching').post('/learners/ada/coaching/end', actors.lead, { reason: 'other', note: 'chose another track' })).status).toBe(200);
    expect(await http('coaching').post('/learners/ada/coaching/end', actors.lead, { reason: 'other' })).toMatchObject({
      status: 409, body: { message: "ada's coaching relationship has ended; assign a coach to begin a new one" },
    });
    expect((await http('coaching').post('/learners/cyd/coaching/end', actors.lead, { reason: 'other' })).status).toBe(404);

    const history = await waitFor(async () => {
      const body = (await http('coaching').get('/learners/ada/coaching', actors.ada)).body;
      expect(body.currentCoach).toBeNull();
      return body;
    });
    expect(history.history).toMatchObject([
      { coachId: 'coa-1', status: 'ended', endReason: 'transferred', note: 'moved to the rural campus' },
      { coachId: 'coa-2', status: 'ended', endReason: 'other', note: 'chose another track' },
    ]);
    expect(history.meetings.map((m: { status: string }) => m.status)).toEqual(['held', 'cancelled']);
    expect((await http('coaching').get('/learners/ada/coaching', actors.ben)).status).toBe(404);
    expect((await http('coaching').get('/learners/ada/coaching', actors.lead)).status).toBe(200);
  });

  it('groups coaches into learning communities and tracks who joined and left', async () => {
    expect(await http('coaching').post('/communities', actors.lead, { communityId: 'house-osler', name: 'Osler House' })).toMatchObject({ status: 201, body: { communityId: 'house-osler' } });
    expect((await http('coaching').post('/communities', actors.lead, { communityId: 'house-osler', name: 'Again' })).status).toBe(409);
    expect((await http('coaching').post('/communities', actors.coachOne, { name: 'Mine' })).status).toBe(403);
    for (const coachId of ['coa-1', 'coa-2']) expect((await http('coaching').post('/communities/house-osler/coaches', actors.lead, { coachId })).status).toBe(201);
    expect((await http('coaching').post('/communities/house-osler/coaches', actors.lead, { coachId: 'coa-2' })).status).toBe(409);
    expect(await http('coaching').post('/communities/house-osler/coaches', actors.lead, { coachId: 'ben' })).toMatchObject({ status: 422, body: { message: 'ben is not a coach in this school' } });
    expect((await http('coaching').post('/communities/house-nowhere/coaches', actors.lead, { coachId: 'coa-1' })).status).toBe(404);

    const forLead = await waitFor(async () => {
      const [house] = (await http('coaching').get('/communities', actors.lead)).body.communities;
      expect(house.memberships).toHaveLength(2);
      return house;
    });
    // learners belong through their coaches: coa-1 coaches ben now (ada moved on)
    expect(forLead).toMatchObject({ name: 'Osler House', learners: 1, memberships: [{ coachId: 'coa-1', learners: 1 }, { coachId: 'coa-2', learners: 0 }] });
    const forCoach = (await http('coaching').get('/communities', actors.coachTwo)).body.communities;
    expect(forCoach).toHaveLength(1);
    expect(JSON.stringify(forCoach)).not.toContain('learners');
    expect((await http('coaching').get('/communities', actors.ben)).status).toBe(403);

    expect((await http('coaching').delete('/communities/house-osler/coaches/coa-2', actors.lead)).status).toBe(200);
    expect((await http('coaching').delete('/communities/house-osler/coaches/coa-2', actors.lead)).status).toBe(404);
    await waitFor(async () => expect((await http('coaching').get('/communities', actors.coachTwo)).body.communities).toEqual([]));
    const [house] = (await http('coaching').get('/communities', actors.lead)).body.communities;
    expect(house.memberships.find((m: { coachId: string }) => m.coachId === 'coa-2')).toMatchObject({ joinedAt: expect.any(String), leftAt: expect.any(String) });
  });

  it('ends the relationship of a learner who withdraws (identity -> Kafka -> coaching)', async () => {
    expect((await http('coaching').post('/relationships', actors.lead, { learnerId: 'cyd', coachId: 'coa-2' })).status).toBe(201);
    expect((await http('identity').post('/users/cyd/enrollment', actors.admin, { schoolId: SCHOOL, cohortId: 'md-2030' })).status).toBe(201);
    expect((await http('identity').post('/users/cyd/withdrawal', actors.admin, { schoolId: SCHOOL, reason: 'personal reasons' })).status).toBe(201);
    const history = await waitFor(async () => {
      const body = (await http('coaching').get('/learners/cyd/coaching', actors.lead)).body;
      expect(body.history[0]).toMatchObject({ status: 'ended', endReason: 'withdrawn' });
      return body.history;
    });
    expect(history).toHaveLength(1);
  });

  it('a deactivated coach\'s learners are flagged for reassignment and meetings cancelled, every step caused by the last', async () => {
    const meeting = await http('coaching').post('/meetings', actors.coachOne, { learnerId: 'ben', startsAt: inSeconds(86_400), durationMinutes: 30 });
    expect(meeting.status).toBe(201);
    await waitFor(async () => expect((await http('coaching').get('/learners/ben/coaching', actors.lead)).body.meetings).toHaveLength(1));
    const deactivation = await http('identity').post('/users/coa-1/deactivate', actors.admin, { reason: 'left the faculty' });
    expect(deactivation.status).toBe(200);

    const view = await waitFor(async () => {
      const r = await roster();
      expect(r.unassigned).toContainEqual({ learnerId: 'ben', learnerName: 'BEN', needsReassignment: true });
      return r;
    });
    expect(view.unassigned.map((u: { learnerId: string }) => u.learnerId)).toEqual(['ada', 'ben', 'cyd']);
    await waitFor(async () => expect((await http('coaching').get('/learners/ben/coaching', actors.lead)).body.meetings[0].status).toBe('cancelled'));

    // the process, as stored: started (caused by identity's event) -> steps (caused by the start) -> completed
    const connection = await mongoose.createConnection(testServers().mongoUrl, { dbName: dbName('coaching') }).asPromise();
    try {
      const departure = await waitFor(async () => {
        const events = await storedStream(connection, 'events', 'coaching-departure-coa-1');
        expect(events.map((e) => e.type)).toEqual(['coaching.coach-departure-started', 'coaching.coach-departure-completed']);
        return events;
      });
      const [deactivated] = (await storedStream(connection, 'inbox', 'identity-user-coa-1')).filter((e) => e.type === 'identity.user-deactivated');
      expect(departure[0]).toMatchObject({ causationId: deactivated.eventId, correlationId: deactivated.correlationId, actor: { role: 'system' } });
      expect(departure[0].data).toMatchObject({ learnersToReassign: [{ schoolId: SCHOOL, id: 'ben' }], meetingsToCancel: [{ schoolId: SCHOOL, id: meeting.body.meetingId }] });
      expect(departure[1]).toMatchObject({ causationId: departure[0].eventId, data: { learnersFlagged: 1, meetingsCancelled: 1 } });
      const ben = await storedStream(connection, 'events', `coaching-learner-${SCHOOL}-ben`);
      expect(ben.slice(-2).map((e) => [e.type, e.causationId, e.correlationId])).toEqual([
        ['coaching.relationship-ended', departure[0].eventId, deactivated.correlationId],
        ['coaching.reassignment-flagged', departure[0].eventId, deactivated.correlationId],
      ]);
    } finally {
      await connection.close();
    }
  });
});
