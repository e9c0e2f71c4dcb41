import { Actor, dropServiceDatabases, httpClient, RunningService, startServiceProcess, testServers, uniqueName, waitFor } from '@cbme/testing';
import mongoose from 'mongoose';
import { createHash } from 'node:crypto';

/**
 * The history import of coaching's records over the real stack (identity and coaching as processes, Kafka, the
 * MongoDB-compatible server, Redis): a file with every kind of bad line is refused with its line numbers and writes
 * nothing; a valid file is applied by a BullMQ job with its original dates; the same file again, or a longer one,
 * never duplicates; an upload over the limit is a 413.
 */
const namespace = uniqueName('history');
const INSTITUTION = 'inst-history';
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const MAX_BYTES = 64 * 1024;
/** small batches, so the service can be killed between two of them and in the middle of one */
const BATCH = '10';
const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION };
const PEOPLE = {
  admin: ['sa-1', 'school-admin'], lead: ['lead-1', 'coaching-lead'],
  lea1: ['lea-1', 'learner'], lea2: ['lea-2', 'learner'], lea3: ['lea-3', 'learner'], lea4: ['lea-4', 'learner'],
  coa1: ['coa-1', 'coach'], coa2: ['coa-2', 'coach'],
} as const;
const as = {} as Record<keyof typeof PEOPLE | 'institution' | 'otherAdmin', Actor>;
const services: Record<string, RunningService> = {};
const http = (name: string) => httpClient(services[name].url);
let connection: mongoose.Connection;
let startedAt: string;

interface StoredEvent {
  type: string;
  streamId: string;
  streamVersion: number;
  occurredAt: string;
  recordedAt: string;
  correlationId: string;
  actor: { userId: string; role: string };
  data: Record<string, unknown>;
}

const jsonl = (records: object[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
const upload = (body: string, query = '', actor: Actor = as.admin) => http('coaching').post(`/history-imports${query}`, actor, body, { 'content-type': 'application/x-ndjson' });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Every event coaching stored, in stream order per stream (one document per commit). */
async function storedEvents(streamPrefix = 'coaching-'): Promise<StoredEvent[]> {
  const commits = await connection.collection<{ streamId: string; from: number; events: StoredEvent[] }>('events').find({}).toArray();
  return commits.filter((c) => c.streamId.startsWith(streamPrefix)).sort((a, b) => a.streamId.localeCompare(b.streamId) || a.from - b.from).flatMap((c) => c.events);
}

async function signIn(email: string): Promise<string> {
  const response = await http('identity').post('/auth/login', undefined, { email, password: PASSWORD });
  expect(response.status).toBe(200);
  return response.body.accessToken;
}

async function finished(importId: string) {
  return waitFor(async () => {
    const status = await http('coaching').get(`/history-imports/${importId}`, as.admin);
    expect(status.status).toBe(200);
    expect(status.body.state).toBe('completed');
    return status.body;
  }, { timeoutMs: 60_000 });
}

beforeAll(async () => {
  services['identity'] = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: 'admin@inst-history.edu', BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  env['AUTH_JWKS_URL'] = `${services['identity'].url}/.well-known/jwks.json`;
  services['coaching'] = await startServiceProcess('coaching', { ...env, HISTORY_IMPORT_MAX_BYTES: String(MAX_BYTES), HISTORY_IMPORT_BATCH: BATCH });
  connection = await mongoose.createConnection(testServers().mongoUrl, { dbName: `${namespace.replace(/-/g, '_')}_coaching` }).asPromise();

  as.institution = { token: await signIn('admin@inst-history.edu') };
  expect((await http('identity').post('/schools', as.institution, { schoolId: SCHOOL, name: 'Medicine' })).status).toBe(201);
  for (const [key, [userId, role]] of Object.entries(PEOPLE)) {
    const registered = await http('identity').post(`/schools/${SCHOOL}/users`, as.institution, { userId, email: `${userId}@inst-history.edu`, displayName: userId.toUpperCase(), role, password: PASSWORD });
    expect(registered.status).toBe(201);
    as[key as keyof typeof PEOPLE] = { token: await signIn(`${userId}@inst-history.edu`) };
  }
  expect((await http('identity').post('/schools', as.institution, { schoolId: 'surgery', name: 'Surgery' })).status).toBe(201);
  expect((await http('identity').post('/schools/surgery/users', as.institution, { userId: 'sa-2', email: 'sa-2@inst-history.edu', displayName: 'SA-2', role: 'school-admin', password: PASSWORD })).status).toBe(201);
  as.otherAdmin = { token: await signIn('sa-2@inst-history.edu') };
  // coaching learns people and roles from identity's events through Kafka
  await waitFor(async () => expect((await http('coaching').get('/roster', as.lead)).body.unassigned).toHaveLength(4), { timeoutMs: 60_000 });
  for (const coachId of ['coa-1', 'coa-2']) await waitFor(async () => expect((await http('coaching').put(`/coaches/${coachId}/capacity`, as.lead, { capacity: 1 })).status).toBe(200));
  startedAt = new Date().toISOString();
}, 240_000);

afterAll(async () => {
  await connection?.close();
  await Promise.all(Object.values(services).map((s) => s.stop()));
  await dropServiceDatabases(namespace, ['identity', 'coaching']);
});

const assign = { kind: 'relationship-assigned', sourceId: 'old-rel-1', occurredAt: '2023-09-01T09:00:00.000Z', relationshipId: 'rel-1', learnerId: 'lea-1', coachId: 'coa-1' };

/** lea-2's four years with coa-1 then coa-2, and lea-3's start with coa-2 (over coa-2's capacity of 1 today: history is not judged by it) */
const HISTORY = [
  { kind: 'relationship-assigned', sourceId: 'r-2a', occurredAt: '2023-01-10T09:00:00.000Z', relationshipId: 'rel-2a', learnerId: 'lea-2', coachId: 'coa-1' },
  { kind: 'meeting-scheduled', sourceId: 'm-2-booked', occurredAt: '2023-01-12T09:00:00.000Z', meetingId: 'm-2', learnerId: 'lea-2', startsAt: '2023-01-20T10:00:00.000Z', durationMinutes: 45, location: 'Room 2.14' },
  { kind: 'meeting-held', sourceId: 'm-2-held', occurredAt: '2023-01-20T11:00:00.000Z', meetingId: 'm-2', agenda: ['first rotation'], notes: [{ text: 'Talked through the first family meeting.', visibility: 'shared-with-learner' }] },
  { kind: 'meeting-scheduled', sourceId: 'm-3-booked', occurredAt: '2023-02-01T09:00:00.000Z', meetingId: 'm-3', learnerId: 'lea-2', startsAt: '2023-02-15T10:00:00.000Z', durationMinutes: 30 },
  { kind: 'meeting-missed', sourceId: 'm-3-missed', occurredAt: '2023-02-15T11:00:00.000Z', meetingId: 'm-3', reason: 'on call' },
  { kind: 'meeting-scheduled', sourceId: 'm-4-booked', occurredAt: '2023-03-01T09:00:00.000Z', meetingId: 'm-4', learnerId: 'lea-2', startsAt: '2023-03-10T10:00:00.000Z', durationMinutes: 30 },
  { kind: 'meeting-cancelled', sourceId: 'm-4-cancelled', occurredAt: '2023-03-05T09:00:00.000Z', meetingId: 'm-4', reason: 'exam week' },
  { kind: 'relationship-paused', sourceId: 'r-2a-pause', occurredAt: '2023-06-01T09:00:00.000Z', learnerId: 'lea-2', reason: 'parental leave' },
  { kind: 'relationship-resumed', sourceId: 'r-2a-resume', occurredAt: '2023-09-01T09:00:00.000Z', learnerId: 'lea-2', reason: 'back from leave' },
  { kind: 'relationship-transferred', sourceId: 'r-2b', occurredAt: '2024-01-15T09:00:00.000Z', learnerId: 'lea-2', newRelationshipId: 'rel-2b', toCoachId: 'coa-2', reason: 'coach moved campus' },
  { kind: 'relationship-ended', sourceId: 'r-2b-end', occurredAt: '2025-06-30T09:00:00.000Z', learnerId: 'lea-2', reason: 'graduated', note: 'graduated in June' },
  { kind: 'relationship-assigned', sourceId: 'r-3', occurredAt: '2024-02-01T09:00:00.000Z', relationshipId: 'rel-3', learnerId: 'lea-3', coachId: 'coa-2' },
];

describe('history import of coaching records', () => {
  it('refuses a file with every kind of bad line: each line number with all its reasons, and writes nothing', async () => {
    const before = await storedEvents();
    const body = [
      JSON.stringify(assign),
      '{"kind":"relationship-assigned", "sourceId": ',
      JSON.stringify({ kind: 'relationship-paused', sourceId: 'p-1', occurredAt: 'last tuesday' }),
      JSON.stringify({ ...assign, sourceId: 'old-rel-9', relationshipId: 'rel-9', learnerId: 'lea-9', coachId: 'coa-9' }),
      JSON.stringify({ kind: 'relationship-paused', sourceId: 'p-2', occurredAt: '2023-08-01T09:00:00.000Z', learnerId: 'lea-1', reason: 'leave' }),
      JSON.stringify({ kind: 'meeting-scheduled', sourceId: 'm-1-booked', occurredAt: '2023-09-05T09:00:00.000Z', meetingId: 'm-1', learnerId: 'lea-1', startsAt: '2023-09-20T10:00:00.000Z', durationMinutes: 30 }),
      JSON.stringify({ kind: 'relationship-ended', sourceId: 'e-1', occurredAt: '2023-09-10T09:00:00.000Z', learnerId: 'lea-1', reason: 'withdrawn' }),
      JSON.stringify({ kind: 'meeting-held', sourceId: 'm-1-held', occurredAt: '2023-09-20T11:00:00.000Z', meetingId: 'm-1', agenda: [], notes: [] }),
      JSON.stringify({ ...assign, coachId: 'coa-2' }),
      JSON.stringify({ kind: 'goal-set', sourceId: 'g-1', occurredAt: '2023-09-01T09:00:00.000Z' }),
    ].join('\n');
    const refused = await upload(body);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: 'invalid-history', message: '7 of 10 lines are invalid; nothing was imported' });
    const byLine = new Map<number, string[]>(refused.body.details.map((d: { line: number; reasons: string[] }) => [d.line, d.reasons]));
    expect([...byLine.keys()]).toEqual([2, 3, 4, 5, 8, 9, 10]);
    expect(byLine.get(2)).toEqual([expect.stringContaining('malformed JSON')]);
    expect(byLine.get(3)).toEqual(expect.arrayContaining([
      'occurredAt must be an ISO 8601 date and time', expect.stringContaining('learnerId must be'), expect.stringContaining('reason must be'),
    ]));
    expect(byLine.get(4)).toEqual(['unknown learner lea-9 (no learner with that id in this school)', 'unknown coach coa-9 (no coach with that id in this school)']);
    expect(byLine.get(5)).toEqual([expect.stringContaining('dates out of order: 2023-08-01T09:00:00.000Z is before 2023-09-01T09:00:00.000Z')]);
    expect(byLine.get(8)).toEqual([expect.stringContaining('for a relationship that had ended')]);
    expect(byLine.get(9)).toEqual(['duplicate sourceId old-rel-1 with different content (line 1)']);
    expect(byLine.get(10)).toEqual([expect.stringContaining('unknown kind "goal-set"')]);

    expect(await storedEvents()).toEqual(before);
    expect(await connection.collection('history_import_sources').countDocuments()).toBe(0);
    expect((await http('coaching').get('/learners/lea-1/coaching', as.admin)).body).toMatchObject({ history: [], meetings: [] });
  });

  it('only a school admin imports', async () => {
    expect((await upload(JSON.stringify(assign), '', as.lead)).status).toBe(403);
    expect((await http('coaching').post('/history-imports', as.admin, JSON.stringify(assign))).status).toBe(415);
  });

  it('refuses an upload over the size limit with a JSON 413', async () => {
    const line = JSON.stringify({ ...assign, sourceId: 'x'.repeat(150) });
    const refused = await upload(`${line}\n`.repeat(Math.ceil(MAX_BYTES / line.length) + 1));
    expect(refused).toMatchObject({ status: 413, body: { statusCode: 413, error: 'payload-too-large' } });
    // counted while streaming when no length is declared (a chunked upload)
    const chunks = [`${line}\n`.repeat(Math.ceil(MAX_BYTES / line.length) + 1)];
    const chunked = await fetch(`${services['coaching'].url}/history-imports`, {
      method: 'POST', headers: { authorization: `Bearer ${as.admin.token}`, 'content-type': 'application/x-ndjson' },
      body: new ReadableStream({ pull: (c) => { const next = chunks.shift(); if (next) c.enqueue(new TextEncoder().encode(next)); else c.close(); } }), duplex: 'half',
    } as RequestInit);
    expect({ status: chunked.status, body: await chunked.json() }).toMatchObject({ status: 413, body: { error: 'payload-too-large' } });
    expect(await connection.collection('history_import_sources').countDocuments()).toBe(0);
  });

  let importId: string;
  const file = jsonl(HISTORY);

  it('imports a valid file as a job: exact counts, the original dates, recordedAt now, the admin as actor', async () => {
    const queued = await upload(file);
    expect(queued).toMatchObject({ status: 202, body: { lines: 12, valid: 12, alreadyImported: 0, invalid: 0, fileSha256: sha256(file) } });
    importId = queued.body.importId;
    const done = await finished(importId);
    expect(done).toMatchObject({ fileSha256: sha256(file), progress: { processed: 12, total: 12, applied: 12, alreadyImported: 0, failed: 0 }, errors: [] });

    const imported = (await storedEvents()).filter((e) => e.correlationId === importId);
    const domain = imported.filter((e) => !e.type.startsWith('coaching.history-'));
    expect(domain.map((e) => e.type).sort()).toEqual([
      'coaching.coach-assigned', 'coaching.coach-assigned', 'coaching.learner-transferred', 'coaching.meeting-cancelled', 'coaching.meeting-held', 'coaching.meeting-missed',
      'coaching.meeting-scheduled', 'coaching.meeting-scheduled', 'coaching.meeting-scheduled', 'coaching.relationship-ended', 'coaching.relationship-paused', 'coaching.relationship-resumed',
    ]);
    for (const e of domain) {
      expect(e.actor).toEqual({ userId: 'sa-1', role: 'school-admin' });
      expect(e.occurredAt < '2026-01-01').toBe(true);
      expect(e.recordedAt >= startedAt).toBe(true);
    }
    // the import's own stream names the file and, for each sourceId, the event it became
    const log = imported.filter((e) => e.streamId === `coaching-history-import-${SCHOOL}-${importId}`);
    // one event per batch (of BATCH records) naming its records, in file order
    const batches = Math.ceil(HISTORY.length / Number(BATCH));
    expect(log.map((e) => e.type)).toEqual(['coaching.history-import-started', ...Array(batches).fill('coaching.history-record-imported'), 'coaching.history-import-completed']);
    for (const batch of log.slice(1, -1)) expect(batch).toMatchObject({ schemaVersion: 2, data: { importId, fileSha256: sha256(file) } });
    const named = log.slice(1, -1).flatMap((e) => e.data['records'] as { sourceId: string }[]);
    expect(named.map((r) => r.sourceId)).toEqual(HISTORY.map((r) => r.sourceId));
    expect(named[0]).toEqual({ sourceId: 'r-2a', contentHash: expect.stringMatching(/^[0-9a-f]{64}$/), streamId: `coaching-learner-${SCHOOL}-lea-2`, streamVersion: 1 });

    const coaching = await waitFor(async () => {
      const view = (await http('coaching').get('/learners/lea-2/coaching', as.admin)).body;
      expect(view.history).toHaveLength(2);
      expect(view.meetings).toHaveLength(3);
      return view;
    });
    expect(coaching.history).toEqual([
      expect.objectContaining({ relationshipId: 'rel-2a', coachId: 'coa-1', status: 'ended', startedAt: '2023-01-10T09:00:00.000Z', endedAt: '2024-01-15T09:00:00.000Z', endReason: 'transferred', assignedBy: 'sa-1' }),
      expect.objectContaining({ relationshipId: 'rel-2b', coachId: 'coa-2', status: 'ended', startedAt: '2024-01-15T09:00:00.000Z', endedAt: '2025-06-30T09:00:00.000Z', endReason: 'graduated' }),
    ]);
    for (const r of coaching.history) expect(r.recordedAt >= startedAt).toBe(true);
    expect(coaching.meetings.map((m: { meetingId: string; status: string; heldAt?: string }) => [m.meetingId, m.status, m.heldAt])).toEqual([
      ['m-2', 'held', '2023-01-20T11:00:00.000Z'], ['m-3', 'missed', undefined], ['m-4', 'cancelled', undefined],
    ]);
    for (const m of coaching.meetings) expect(m.recordedAt >= startedAt).toBe(true);

    // another school's admin does not see the import; a lead may not follow it
    expect((await http('coaching').get(`/history-imports/${importId}`, as.otherAdmin)).status).toBe(404);
    expect((await http('coaching').get(`/history-imports/${importId}`, as.lead)).status).toBe(403);
  });

  it('the same file again completes without duplicating anything', async () => {
    const before = await storedEvents(`coaching-learner-${SCHOOL}`);
    const again = await upload(file);
    expect(again).toMatchObject({ status: 202, body: { lines: 12, valid: 0, alreadyImported: 12, invalid: 0 } });
    expect(again.body.importId).not.toBe(importId);
    expect(await finished(again.body.importId)).toMatchObject({ progress: { processed: 12, applied: 0, alreadyImported: 12, failed: 0 } });
    expect(await storedEvents(`coaching-learner-${SCHOOL}`)).toEqual(before);
  });

  it('the rest of a file imported in part is completed, the part already imported is not repeated', async () => {
    const lea4 = [
      { kind: 'relationship-assigned', sourceId: 'r-4', occurredAt: '2022-09-01T09:00:00.000Z', relationshipId: 'rel-4', learnerId: 'lea-4', coachId: 'coa-1' },
      { kind: 'relationship-paused', sourceId: 'r-4-pause', occurredAt: '2022-12-01T09:00:00.000Z', learnerId: 'lea-4', reason: 'leave' },
      { kind: 'relationship-resumed', sourceId: 'r-4-resume', occurredAt: '2023-02-01T09:00:00.000Z', learnerId: 'lea-4' },
      { kind: 'relationship-ended', sourceId: 'r-4-end', occurredAt: '2023-06-30T09:00:00.000Z', learnerId: 'lea-4', reason: 'withdrawn' },
    ];
    const first = await upload(jsonl(lea4.slice(0, 2)));
    expect(await finished(first.body.importId)).toMatchObject({ progress: { applied: 2, alreadyImported: 0 } });
    const rest = await upload(jsonl(lea4));
    expect(rest).toMatchObject({ status: 202, body: { valid: 2, alreadyImported: 2 } });
    expect(await finished(rest.body.importId)).toMatchObject({ progress: { processed: 4, applied: 2, alreadyImported: 2, failed: 0 } });
    const stream = await storedEvents(`coaching-learner-${SCHOOL}-lea-4`);
    expect(stream.map((e) => [e.streamVersion, e.type, e.occurredAt])).toEqual([
      [1, 'coaching.coach-assigned', '2022-09-01T09:00:00.000Z'], [2, 'coaching.relationship-paused', '2022-12-01T09:00:00.000Z'],
      [3, 'coaching.relationship-resumed', '2023-02-01T09:00:00.000Z'], [4, 'coaching.relationship-ended', '2023-06-30T09:00:00.000Z'],
    ]);
  });

  it('with validOnly, imports the valid records and lists the bad lines in the status', async () => {
    const body = jsonl([assign, { ...assign, sourceId: 'old-rel-9', relationshipId: 'rel-9', learnerId: 'lea-9' }]);
    const queued = await upload(body, '?validOnly=true');
    expect(queued).toMatchObject({ status: 202, body: { lines: 2, valid: 1, invalid: 1 } });
    const done = await finished(queued.body.importId);
    expect(done).toMatchObject({ progress: { applied: 1, failed: 0 }, errors: [{ line: 2, sourceId: 'old-rel-9', reasons: ['unknown learner lea-9 (no learner with that id in this school)'] }] });
    expect((await storedEvents(`coaching-learner-${SCHOOL}-lea-1`)).map((e) => e.type)).toEqual(['coaching.coach-assigned']);
  });

  it('an import interrupted by killing the service completes after a restart: exact counts, no duplicates', async () => {
    const day = (n: number) => new Date(Date.parse('2023-07-01T09:00:00.000Z') + n * 86_400_000).toISOString();
    const records = [
      { kind: 'relationship-assigned', sourceId: 'k-0', occurredAt: day(0), relationshipId: 'rel-k', learnerId: 'lea-4', coachId: 'coa-2' },
      ...Array.from({ length: 150 }, (_, i) => (i % 2 === 0
        ? { kind: 'relationship-paused', sourceId: `k-${i + 1}`, occurredAt: day(i + 1), learnerId: 'lea-4', reason: 'leave' }
        : { kind: 'relationship-resumed', sourceId: `k-${i + 1}`, occurredAt: day(i + 1), learnerId: 'lea-4' })),
    ];
    const before = (await storedEvents(`coaching-learner-${SCHOOL}-lea-4`)).length;
    const queued = await upload(jsonl(records));
    expect(queued).toMatchObject({ status: 202, body: { valid: 151 } });
    const id = queued.body.importId;
    await waitFor(async () => expect((await http('coaching').get(`/history-imports/${id}`, as.admin)).body.progress.processed).toBeGreaterThanOrEqual(10), { timeoutMs: 90_000, intervalMs: 50 });

    const killed = services['coaching'];
    process.kill(killed.pid, 'SIGKILL');
    await killed.stop();
    services['coaching'] = await startServiceProcess('coaching', { ...env, HISTORY_IMPORT_MAX_BYTES: String(MAX_BYTES), HISTORY_IMPORT_BATCH: BATCH });
    // BullMQ hands the stalled job to the new worker once the dead one's lock expires
    const done = await waitFor(async () => {
      const status = await http('coaching').get(`/history-imports/${id}`, as.admin);
      // the whole body on failure: a failed job's reason says why
      expect(status.body).toMatchObject({ state: 'completed' });
      return status.body;
    }, { timeoutMs: 120_000, intervalMs: 500 });
    expect(done.progress).toMatchObject({ processed: 151, failed: 0 });
    expect(done.progress.applied + done.progress.alreadyImported).toBe(151);
    expect(done.progress.alreadyImported).toBeGreaterThanOrEqual(10);

    const stream = await storedEvents(`coaching-learner-${SCHOOL}-lea-4`);
    expect(stream).toHaveLength(before + 151);
    expect(stream.slice(before).map((e) => e.occurredAt)).toEqual(records.map((r) => r.occurredAt));
    const log = (await storedEvents(`coaching-history-import-${SCHOOL}-${id}`)).filter((e) => e.type === 'coaching.history-record-imported');
    expect(log.flatMap((e) => (e.data['records'] as { sourceId: string }[]).map((r) => r.sourceId)).sort()).toEqual(records.map((r) => r.sourceId).sort());
    // the ledger names every record once in an applied batch: written with its batch, or found in its stream after the crash
    const batches = await connection.collection('history_import_batches').find({ importId: id }).toArray();
    const appliedSources = batches.filter((b) => b['applied']).flatMap((b) => (b['entries'] as { sourceId: string }[]).map((e) => e.sourceId));
    expect([...appliedSources].sort()).toEqual(records.map((r) => r.sourceId).sort());
  }, 240_000);
});
