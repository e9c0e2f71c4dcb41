import { Actor, dropServiceDatabases, httpClient, RunningService, startServiceProcess, testServers, uniqueName, waitFor } from '@cbme/testing';
import mongoose from 'mongoose';

/**
 * The history import of a CSV file (the flat kinds) over the real stack: identity and coaching as processes, Kafka,
 * the MongoDB-compatible server, Redis. Bad rows come back with the CSV's line numbers and nothing is written; a
 * valid file is applied with exact counts and its dates; the same record sent as JSON Lines is recognised.
 */
const namespace = uniqueName('historycsv');
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: 'inst-csv' };
const services: Record<string, RunningService> = {};
const http = (name: string) => httpClient(services[name].url);
const as: Record<string, Actor> = {};
let connection: mongoose.Connection;

const csv = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;
const post = (body: string, query = '', type = 'text/csv') => http('coaching').post(`/history-imports${query}`, as['sa-1'], body, { 'content-type': type });
const events = async (streamPrefix: string) => {
  const commits = await connection.collection<{ streamId: string; from: number; events: { type: string; occurredAt: string; correlationId: string; data: Record<string, unknown> }[] }>('events')
    .find({}).toArray();
  return commits.filter((c) => c.streamId.startsWith(streamPrefix)).sort((a, b) => a.streamId.localeCompare(b.streamId) || a.from - b.from).flatMap((c) => c.events);
};
const finished = (importId: string) => waitFor(async () => {
  const status = await http('coaching').get(`/history-imports/${importId}`, as['sa-1']);
  expect(status.body.state).toBe('completed');
  return status.body;
}, { timeoutMs: 60_000 });

beforeAll(async () => {
  services['identity'] = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: 'admin@inst-csv.edu', BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  env['AUTH_JWKS_URL'] = `${services['identity'].url}/.well-known/jwks.json`;
  services['coaching'] = await startServiceProcess('coaching', env);
  connection = await mongoose.createConnection(testServers().mongoUrl, { dbName: `${namespace.replace(/-/g, '_')}_coaching` }).asPromise();
  const login = async (email: string) => ({ token: (await http('identity').post('/auth/login', undefined, { email, password: PASSWORD })).body.accessToken as string });
  const institution = await login('admin@inst-csv.edu');
  expect((await http('identity').post('/schools', institution, { schoolId: SCHOOL, name: 'Medicine' })).status).toBe(201);
  for (const [userId, role] of [['sa-1', 'school-admin'], ['lead-1', 'coaching-lead'], ['lea-1', 'learner'], ['coa-1', 'coach']]) {
    expect((await http('identity').post(`/schools/${SCHOOL}/users`, institution, { userId, email: `${userId}@inst-csv.edu`, displayName: userId, role, password: PASSWORD })).status).toBe(201);
    as[userId] = await login(`${userId}@inst-csv.edu`);
  }
  // coaching learns people and roles from identity's events through Kafka
  await waitFor(async () => expect((await http('coaching').get('/roster', as['lead-1'])).body.unassigned).toHaveLength(1), { timeoutMs: 60_000 });
}, 240_000);

afterAll(async () => {
  await connection?.close();
  await Promise.all(Object.values(services).map((s) => s.stop()));
  await dropServiceDatabases(namespace, ['identity', 'coaching']);
});

const HEADER = 'kind,sourceId,occurredAt,relationshipId,learnerId,coachId,meetingId,startsAt,durationMinutes,location,reason,agenda,notes';

describe('history import of a CSV file', () => {
  it('refuses a file with bad rows: each with the CSV line it starts on and all its reasons; nothing written', async () => {
    const before = await events('coaching-');
    const body = csv(
      HEADER,
      'relationship-assigned,c-r1,2023-01-10T09:00:00Z,rel-c1,lea-1,coa-1,,,,,,,',
      'relationship-paused,c-p1,2023-03-01T09:00:00Z,,lea-1,,,,,,"parental', 'leave",,', // one row on lines 3 and 4
      'relationship-assigned,c-r9,2023-01-10T09:00:00Z,rel-c9,lea-9,coa-1,,,,,,,',
      'meeting-scheduled,c-m1,2023-01-12T09:00:00Z,,lea-1,,m-c1,2023-01-20T10:00:00Z,forty,,,,',
      'meeting-held,c-h1,2023-01-20T11:00:00Z,,,,m-c1,,,,,first rotation,talked it through',
      'meeting-missed,c-x,2023-01-20T11:00:00Z',
      'relationship-resumed,c-r1-resume,2023-02-01T09:00:00Z,,lea-1,,,,,,,,',
    );
    const refused = await post(body);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: 'invalid-history', message: '5 of 7 lines are invalid; nothing was imported' });
    const byLine = new Map<number, { sourceId?: string; reasons: string[] }>(refused.body.details.map((d: { line: number; sourceId?: string; reasons: string[] }) => [d.line, d]));
    expect([...byLine.keys()]).toEqual([5, 6, 7, 8, 9]);
    expect(byLine.get(5)).toEqual({ line: 5, sourceId: 'c-r9', reasons: ['unknown learner lea-9 (no learner with that id in this school)'] });
    expect(byLine.get(6)?.reasons).toEqual(expect.arrayContaining(['durationMinutes must be an integer number']));
    expect(byLine.get(7)?.reasons).toEqual(['notes holds objects, which a CSV cell cannot: send meeting-held records with notes as JSON Lines']);
    expect(byLine.get(8)).toEqual({ line: 8, sourceId: 'c-x', reasons: ['the row has 3 cells; the header has 13'] });
    // the paused relationship on lines 3-4 was judged: resuming before that date is out of order
    expect(byLine.get(9)?.reasons).toEqual([expect.stringContaining('dates out of order: 2023-02-01T09:00:00.000Z is before 2023-03-01T09:00:00.000Z')]);

    expect(await events('coaching-')).toEqual(before);
    expect(await connection.collection('history_import_batches').countDocuments()).toBe(0);
  });

  it('refuses a file that is not CSV from some line on, even for the valid records only', async () => {
    const refused = await post(csv('kind,sourceId,occurredAt,meetingId', 'meeting-missed,"a"b,2023-01-01T09:00:00Z,m-1'), '?validOnly=true');
    expect(refused).toMatchObject({ status: 422, body: { details: [{ line: 2, reasons: [expect.stringContaining('not CSV from this line on')] }] } });
    expect(await connection.collection('history_import_batches').countDocuments()).toBe(0);
  });

  it('says which media types it takes, and that ?kind= is for CSV', async () => {
    expect(await post('{}', '', 'application/json')).toMatchObject({ status: 415, body: { message: expect.stringContaining('or as CSV (text/csv)') } });
    expect(await post('{}', '?kind=meeting-missed', 'application/x-ndjson')).toMatchObject({ status: 400, body: { message: expect.stringContaining('only a CSV file takes the kind') } });
    expect((await post('sourceId\nx\n', '?kind=goal-set')).status).toBe(400);
  });

  it('imports a valid CSV as a job: exact counts, the dates of its rows, read back; ?kind= for a file of one kind', async () => {
    const body = csv(
      HEADER,
      'relationship-assigned,v-r1,2023-01-10T09:00:00Z,rel-v1,lea-1,coa-1,,,,,,,',
      'meeting-scheduled,v-m1,2023-01-12T09:00:00Z,,lea-1,,m-v1,2023-01-20T10:00:00Z,45,"Room 2.14, east wing",,,',
      'meeting-held,v-m1-held,2023-01-20T11:00:00Z,,,,m-v1,,,,,first rotation; exam plan,',
      'meeting-scheduled,v-m2,2023-02-01T09:00:00Z,,lea-1,,m-v2,2023-02-15T10:00:00Z,30,,,,',
      '',
      'meeting-missed,v-m2-missed,2023-02-15T11:00:00Z,,,,m-v2,,,,on call,,',
      'relationship-paused,v-p1,2023-06-01T09:00:00Z,,lea-1,,,,,,"parental', 'leave",,',
    );
    const queued = await post(body);
    expect(queued).toMatchObject({ status: 202, body: { lines: 6, valid: 6, alreadyImported: 0, invalid: 0 } });
    const done = await finished(queued.body.importId);
    expect(done).toMatchObject({ progress: { processed: 6, total: 6, applied: 6, alreadyImported: 0, failed: 0 }, errors: [] });

    const imported = (await events(`coaching-`)).filter((e) => e.correlationId === queued.body.importId && !e.type.startsWith('coaching.history-'));
    expect(imported.map((e) => [e.type, e.occurredAt]).sort()).toEqual([
      ['coaching.coach-assigned', '2023-01-10T09:00:00.000Z'], ['coaching.meeting-held', '2023-01-20T11:00:00.000Z'], ['coaching.meeting-missed', '2023-02-15T11:00:00.000Z'],
      ['coaching.meeting-scheduled', '2023-01-12T09:00:00.000Z'], ['coaching.meeting-scheduled', '2023-02-01T09:00:00.000Z'], ['coaching.relationship-paused', '2023-06-01T09:00:00.000Z'],
    ]);
    expect(imported.find((e) => e.type === 'coaching.meeting-held')?.data).toMatchObject({ agenda: ['first rotation', 'exam plan'] });
    expect(imported.find((e) => e.type === 'coaching.meeting-scheduled')?.data).toMatchObject({ durationMinutes: 45, location: 'Room 2.14, east wing' });
    expect(imported.find((e) => e.type === 'coaching.relationship-paused')?.data).toMatchObject({ reason: 'parental\nleave' });

    // a file of one kind, without a kind column
    const resumed = await post(csv('sourceId,occurredAt,learnerId,reason', 'v-r1-resume,2023-09-01T09:00:00Z,lea-1,back from leave'), '?kind=relationship-resumed');
    expect(resumed).toMatchObject({ status: 202, body: { lines: 1, valid: 1 } });
    expect(await finished(resumed.body.importId)).toMatchObject({ progress: { applied: 1, failed: 0 } });
    const view = await waitFor(async () => {
      const coaching = (await http('coaching').get('/learners/lea-1/coaching', as['sa-1'])).body;
      expect(coaching.meetings).toHaveLength(2);
      expect(coaching.history).toEqual([expect.objectContaining({ relationshipId: 'rel-v1', status: 'active', startedAt: '2023-01-10T09:00:00.000Z' })]);
      return coaching;
    });
    expect(view.meetings.map((m: { meetingId: string; status: string }) => [m.meetingId, m.status])).toEqual([['m-v1', 'held'], ['m-v2', 'missed']]);

    // the same record as JSON Lines is the same content: already imported, nothing applied again
    const jsonl = JSON.stringify({ kind: 'meeting-missed', sourceId: 'v-m2-missed', occurredAt: '2023-02-15T11:00:00Z', meetingId: 'm-v2', reason: 'on call' });
    expect(await post(jsonl, '', 'application/x-ndjson')).toMatchObject({ status: 202, body: { lines: 1, valid: 0, alreadyImported: 1, invalid: 0 } });
  });
});
