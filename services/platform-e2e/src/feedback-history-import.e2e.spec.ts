import { EventEnvelope } from '@cbme/contracts';
import { Actor, dropServiceDatabases, httpClient, RunningService, startServiceProcess, testServers, uniqueName, waitFor } from '@cbme/testing';
import mongoose from 'mongoose';
import { createHash } from 'node:crypto';

/**
 * The history import of feedback's records over the real stack (identity, coaching, feedback as processes; Kafka,
 * the MongoDB-compatible server, Redis): lea-1's coaching history comes first through coaching's import (coa-1, then
 * coa-2 since 2024-06-01), so feedback judges each record by the coach of its date. A file with every kind of bad
 * line is refused with its line numbers and writes nothing; a valid file of every kind is applied with its original
 * dates and shows in the feedback API; sent again, nothing is duplicated; "as it was" and "as known" differ.
 */
const namespace = uniqueName('fbhist');
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: 'inst-fbhist' };
const PEOPLE = { admin: ['sa-1', 'school-admin'], lea: ['lea-1', 'learner'], coa1: ['coa-1', 'coach'], coa2: ['coa-2', 'coach'], lead: ['lead-1', 'coaching-lead'] } as const;
const as = {} as Record<keyof typeof PEOPLE, Actor>;
const services: Record<string, RunningService> = {};
const http = (name: string) => httpClient(services[name].url);
let connection: mongoose.Connection;
/** after the school's framework retired M2 (version 2), before the import */
let retiredAt: string;
let startedAt: string;

type StoredEvent = EventEnvelope<string, Record<string, unknown>> & { occurredAt: string };

const jsonl = (records: object[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
const upload = (service: string, body: string) => http(service).post('/history-imports', as.admin, body, { 'content-type': 'application/x-ndjson' });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function storedEvents(): Promise<StoredEvent[]> {
  const commits = await connection.collection<{ streamId: string; from: number; events: StoredEvent[] }>('events').find({}).toArray();
  return commits.sort((a, b) => a.streamId.localeCompare(b.streamId) || a.from - b.from).flatMap((c) => c.events);
}

async function signIn(email: string): Promise<string> {
  const response = await http('identity').post('/auth/login', undefined, { email, password: PASSWORD });
  expect(response.status).toBe(200);
  return response.body.accessToken;
}

const finished = (service: string, importId: string) => waitFor(async () => {
  const status = await http(service).get(`/history-imports/${importId}`, as.admin);
  expect(status.body.state).toBe('completed');
  return status.body;
}, { timeoutMs: 60_000 });

let n = 0;
const rec = (kind: string, occurredAt: string, fields: object) => ({ kind, sourceId: `fb-${++n}`, occurredAt: occurredAt.length === 10 ? `${occurredAt}T09:00:00.000Z` : occurredAt, ...fields });

beforeAll(async () => {
  services['identity'] = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: 'admin@fbhist.edu', BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  env['AUTH_JWKS_URL'] = `${services['identity'].url}/.well-known/jwks.json`;
  for (const s of await Promise.all(['coaching', 'feedback'].map((name) => startServiceProcess(name, env)))) services[s.name] = s;
  connection = await mongoose.createConnection(testServers().mongoUrl, { dbName: `${namespace.replace(/-/g, '_')}_feedback` }).asPromise();
  const institution = { token: await signIn('admin@fbhist.edu') };
  expect((await http('identity').post('/schools', institution, { schoolId: SCHOOL, name: 'Medicine' })).status).toBe(201);
  for (const [key, [userId, role]] of Object.entries(PEOPLE)) {
    expect((await http('identity').post(`/schools/${SCHOOL}/users`, institution, { userId, email: `${userId}@fbhist.edu`, displayName: userId, role, password: PASSWORD })).status).toBe(201);
    as[key as keyof typeof PEOPLE] = { token: await signIn(`${userId}@fbhist.edu`) };
  }
  // lea-1's coaching history, through coaching's import once coaching knows the people
  const coaching = jsonl([
    { kind: 'relationship-assigned', sourceId: 'rel-1', occurredAt: '2023-01-10T09:00:00.000Z', relationshipId: 'rel-1', learnerId: 'lea-1', coachId: 'coa-1' },
    { kind: 'relationship-transferred', sourceId: 'rel-2', occurredAt: '2024-06-01T09:00:00.000Z', learnerId: 'lea-1', newRelationshipId: 'rel-2', toCoachId: 'coa-2', reason: 'coach moved campus' },
  ]);
  const queued = await waitFor(async () => {
    const response = await upload('coaching', coaching);
    expect(response.status).toBe(202);
    return response.body;
  }, { timeoutMs: 60_000 });
  await finished('coaching', queued.importId);
  // the school's own framework: M2 retired by its version 2
  expect((await http('feedback').put('/frameworks/med-comm', as.admin, { name: 'Communication', competencies: [{ code: 'M1', name: 'Handover' }, { code: 'M2', name: 'Consent' }] })).status).toBe(200);
  expect((await http('feedback').put('/frameworks/med-comm', as.admin, { name: 'Communication', competencies: [{ code: 'M1', name: 'Handover' }] })).status).toBe(200);
  retiredAt = new Date().toISOString();
  // feedback learns the relationships (with their dates) from coaching's events
  await waitFor(async () => {
    const items = (await http('feedback').get('/learners/lea-1/timeline?pageSize=200', as.lea)).body.items as { type: string }[];
    expect(items.map((i) => i.type)).toEqual(['coaching.coach-assigned', 'coaching.learner-transferred']);
  }, { timeoutMs: 60_000 });
  startedAt = new Date().toISOString();
}, 240_000);

afterAll(async () => {
  await connection?.close();
  await Promise.all(Object.values(services).map((s) => s.stop()));
  await dropServiceDatabases(namespace, ['identity', 'coaching', 'feedback']);
});

const opened = rec('dialogue-opened', '2023-02-01', { dialogueId: 'd-1', learnerId: 'lea-1', coachId: 'coa-1', topic: 'Breaking bad news', competencies: ['ICS'] });
const goalSet = rec('goal-set', '2023-03-01', { goalId: 'g-1', learnerId: 'lea-1', description: 'Lead a family meeting', competencies: ['ICS', 'M2'], targetDate: '2023-12-01' });

/** every kind once; the coach's entries are coa-1's, who coached lea-1 then (coa-2 does now); M2 was not yet retired in 2023 */
const VALID = [
  opened,
  rec('dialogue-entry-added', '2023-02-01T10:00:00.000Z', { dialogueId: 'd-1', entryId: 'e-1', authorId: 'coa-1', text: 'You kept the family informed.', visibility: 'shared' }),
  rec('dialogue-entry-added', '2023-02-02', { dialogueId: 'd-1', entryId: 'e-2', authorId: 'lea-1', text: 'I rushed the silence.', visibility: 'private', entryKind: 'reflection' }),
  rec('action-item-agreed', '2023-02-03', { dialogueId: 'd-1', actionId: 'a-1', description: 'Use SPIKES', ownerId: 'lea-1', dueDate: '2023-03-01', agreedBy: 'coa-1' }),
  rec('action-item-agreed', '2023-02-03T10:00:00.000Z', { dialogueId: 'd-1', actionId: 'a-2', description: 'Shadow a night', ownerId: 'lea-1', agreedBy: 'lea-1' }),
  rec('action-item-completed', '2023-02-20', { dialogueId: 'd-1', actionId: 'a-1', outcome: 'Used it twice', completedBy: 'lea-1' }),
  rec('action-item-dropped', '2023-02-21', { dialogueId: 'd-1', actionId: 'a-2', reason: 'rotation changed', droppedBy: 'lea-1' }),
  rec('dialogue-closed', '2023-02-22', { dialogueId: 'd-1', closedBy: 'coa-1' }),
  rec('dialogue-reopened', '2023-02-23', { dialogueId: 'd-1', reopenedBy: 'lea-1' }),
  goalSet,
  rec('goal-revised', '2023-04-01', { goalId: 'g-1', description: 'Lead two family meetings', targetDate: '2024-03-01', rationale: 'rotation extended' }),
  rec('goal-progress-noted', '2023-05-01', { goalId: 'g-1', noteId: 'n-1', note: 'first one led', authorId: 'coa-1' }),
  rec('goal-shared', '2023-05-02', { goalId: 'g-1', visibility: 'private' }),
  rec('goal-status-changed', '2024-02-01', { goalId: 'g-1', to: 'achieved', note: 'met in review' }),
  rec('assessment-result-recorded', '2023-02-10', { resultId: 'res-1', learnerId: 'lea-1', competencies: ['EPA-1'], assessmentKind: 'wba-rating', instrument: 'Mini-CEX', score: 4, maxScore: 5 }),
  rec('self-assessment-recorded', '2023-02-11', { assessmentId: 's-1', learnerId: 'lea-1', ratings: [{ competency: 'ICS', level: 3 }] }),
  rec('plan-revised', '2023-03-02', {
    planId: 'p-1', learnerId: 'lea-1', focusAreas: [{ focusId: 'f-1', title: 'Families', competencies: ['ICS'] }], goalIds: ['g-1'],
    motivatedBy: [{ kind: 'dialogue', targetId: 'd-1' }, { kind: 'assessment-result', targetId: 'res-1' }], nextReviewDue: '2023-09-01T09:00:00Z',
  }),
  rec('plan-reviewed', '2023-09-01', { learnerId: 'lea-1', reviewId: 'r-1', reviewedBy: 'coa-1', whatChanged: 'goal revised', nextSteps: ['handovers'], nextReviewDue: '2024-03-01T09:00:00Z' }),
];

describe('history import of feedback records', () => {
  it('refuses a file with every kind of bad line: each line number with all its reasons, and writes nothing', async () => {
    const body = [
      JSON.stringify(opened),
      '{"kind":"goal-set", "sourceId": ',
      JSON.stringify({ kind: 'goal-set', sourceId: 'bad-1', occurredAt: 'last spring', goalId: 'g 9', learnerId: 'lea-1', competencies: 'ICS' }),
      JSON.stringify(rec('goal-set', '2023-03-01', { goalId: 'g-9', learnerId: 'lea-9', description: 'x', competencies: [], targetDate: '2024-01-01' })),
      JSON.stringify(rec('dialogue-entry-added', '2023-01-15', { dialogueId: 'd-1', entryId: 'e-0', authorId: 'lea-1', text: 'before it opened', visibility: 'shared' })),
      JSON.stringify(goalSet),
      JSON.stringify(rec('goal-status-changed', '2023-02-15', { goalId: 'g-1', to: 'achieved' })),
      JSON.stringify(rec('goal-set', '2023-03-01', { goalId: 'g-2', learnerId: 'lea-1', description: 'x', competencies: ['NOPE'], targetDate: '2024-01-01' })),
      JSON.stringify(rec('self-assessment-recorded', retiredAt, { assessmentId: 's-9', learnerId: 'lea-1', ratings: [{ competency: 'M2', level: 2 }] })),
      JSON.stringify(rec('dialogue-opened', '2023-03-01', { dialogueId: 'd-2', learnerId: 'lea-1', coachId: 'coa-2', topic: 'Handover', competencies: [] })),
      JSON.stringify(rec('dialogue-entry-added', '2023-03-02', { dialogueId: 'd-1', entryId: 'e-9', authorId: 'coa-1', text: 'x', visibility: 'shared', entryKind: 'reflection' })),
      JSON.stringify({ ...opened, topic: 'Another topic' }),
      JSON.stringify({ ...goalSet, kind: 'meeting-held' }),
    ].join('\n');
    const refused = await upload('feedback', body);
    expect(refused).toMatchObject({ status: 422, body: { error: 'invalid-history', message: '11 of 13 lines are invalid; nothing was imported' } });
    const byLine = new Map<number, string[]>(refused.body.details.map((d: { line: number; reasons: string[] }) => [d.line, d.reasons]));
    expect([...byLine.keys()]).toEqual([2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13]);
    expect(byLine.get(2)).toEqual([expect.stringContaining('malformed JSON')]);
    expect(byLine.get(3)).toEqual(expect.arrayContaining([
      'occurredAt must be an ISO 8601 date and time', 'goalId must be 1 to 128 letters, digits or . _ : -', expect.stringContaining('description'), expect.stringContaining('targetDate'),
    ]));
    expect(byLine.get(4)).toEqual(['unknown learner lea-9 (no learner with that id in this school)']);
    expect(byLine.get(5)).toEqual([expect.stringContaining('dates out of order: 2023-01-15T09:00:00.000Z is before 2023-02-01T09:00:00.000Z')]);
    expect(byLine.get(7)).toEqual([expect.stringContaining('dates out of order: 2023-02-15T09:00:00.000Z is before 2023-03-01T09:00:00.000Z')]);
    expect(byLine.get(8)).toEqual(['unknown competency: NOPE is not in any framework of this school']);
    expect(byLine.get(9)).toEqual(['unknown competency: M2 was retired in version 2 of med-comm']);
    expect(byLine.get(10)).toEqual(['coa-2 is not the current coach of lea-1']);
    expect(byLine.get(11)).toEqual(['a reflection is the learner\'s own']);
    expect(byLine.get(12)).toEqual([`duplicate sourceId ${opened.sourceId} with different content (line 1)`]);
    expect(byLine.get(13)).toEqual([expect.stringContaining('unknown kind "meeting-held"')]);

    expect((await storedEvents()).filter((e) => e.occurredAt < '2025-01-01')).toEqual([]);
    expect(await connection.collection('history_import_batches').countDocuments()).toBe(0);
    expect((await http('feedback').get('/learners/lea-1/goals', as.lea)).body.goals).toEqual([]);
    expect((await http('feedback').get('/learners/lea-1/dialogues', as.lea)).body.dialogues).toEqual([]);
  });

  let importId: string;
  const file = jsonl(VALID);

  it('imports a valid file of every kind: exact counts, the original dates, recordedAt now, the admin as actor, shown by the feedback API', async () => {
    const queued = await upload('feedback', file);
    expect(queued).toMatchObject({ status: 202, body: { lines: 18, valid: 18, alreadyImported: 0, invalid: 0, fileSha256: sha256(file) } });
    importId = queued.body.importId;
    expect(await finished('feedback', importId)).toMatchObject({ progress: { processed: 18, total: 18, applied: 18, alreadyImported: 0, failed: 0 }, errors: [] });

    const imported = (await storedEvents()).filter((e) => e.correlationId === importId);
    const domain = imported.filter((e) => !e.type.startsWith('feedback.history-'));
    expect(domain.map((e) => e.type).sort()).toEqual([
      'feedback.assessment-imported', 'feedback.assessment-result-recorded', 'feedback.dialogue-action-agreed', 'feedback.dialogue-action-agreed', 'feedback.dialogue-action-completed',
      'feedback.dialogue-action-dropped', 'feedback.dialogue-closed', 'feedback.dialogue-entry-added', 'feedback.dialogue-entry-added', 'feedback.dialogue-opened',
      'feedback.dialogue-reopened', 'feedback.goal-progress-noted', 'feedback.goal-revised', 'feedback.goal-set', 'feedback.goal-sharing-changed', 'feedback.goal-status-changed',
      'feedback.plan-reviewed', 'feedback.plan-revised', 'feedback.self-assessment-recorded',
    ]);
    for (const e of domain) {
      expect(e.actor).toEqual({ userId: 'sa-1', role: 'school-admin' });
      expect(e.recordedAt >= startedAt).toBe(true);
    }
    expect(new Set(domain.map((e) => e.occurredAt))).toEqual(new Set(VALID.map((r) => r.occurredAt)));
    // the people of the previous system, not the importing admin, wrote and reviewed
    expect(domain.filter((e) => e.type === 'feedback.dialogue-entry-added').map((e) => e.data['authorId'])).toEqual(['coa-1', 'lea-1']);
    expect(domain.find((e) => e.type === 'feedback.plan-reviewed')?.data).toMatchObject({ coachId: 'coa-1', planVersion: 1 });
    const log = imported.filter((e) => e.streamId === `feedback-history-import-${SCHOOL}-${importId}`);
    // one batch: the import's stream names every sourceId and the stream it became
    expect(log.map((e) => e.type)).toEqual(['feedback.history-import-started', 'feedback.history-record-imported', 'feedback.history-import-completed']);
    expect((log[1].data['records'] as { sourceId: string }[]).map((r) => r.sourceId).sort()).toEqual(VALID.map((r) => r.sourceId).sort());

    const goals = await waitFor(async () => {
      const listed = (await http('feedback').get('/learners/lea-1/goals', as.lea)).body;
      expect(listed.goals).toHaveLength(1);
      return listed.goals;
    });
    expect(goals[0]).toMatchObject({ goalId: 'g-1', status: 'achieved', description: 'Lead two family meetings', visibility: 'private', competencies: ['ICS', 'M2'] });
    expect((await http('feedback').get('/learners/lea-1/plan', as.coa2)).body).toMatchObject({
      planId: 'p-1', goalIds: ['g-1'], versions: [{ version: 1, at: '2023-03-02T09:00:00.000Z', by: 'sa-1' }], reviews: [{ reviewId: 'r-1', coachId: 'coa-1', at: '2023-09-01T09:00:00.000Z' }],
    });
    const items = (await http('feedback').get('/learners/lea-1/timeline?category=dialogue&pageSize=200', as.lea)).body.items as { type: string; at: string; recordedAt: string }[];
    expect(items.map((i) => i.type)).toEqual([
      'feedback.dialogue-opened', 'feedback.dialogue-entry-added', 'feedback.dialogue-entry-added', 'feedback.dialogue-action-agreed', 'feedback.dialogue-action-agreed',
      'feedback.dialogue-action-completed', 'feedback.dialogue-action-dropped', 'feedback.dialogue-closed', 'feedback.dialogue-reopened',
    ]);
    expect(items[0]).toMatchObject({ at: '2023-02-01T09:00:00.000Z' });
    expect(items.every((i) => i.recordedAt >= startedAt && i.at < '2024-01-01')).toBe(true);
    // an imported dialogue is opened by its short id, by its learner and by the coach the learner has now
    const dialogue = (await http('feedback').get('/dialogues/d-1', as.lea)).body;
    expect(dialogue).toMatchObject({ dialogueId: 'd-1', coachId: 'coa-1', status: 'open', openedAt: '2023-02-01T09:00:00.000Z' });
    expect(dialogue.entries.map((e: { authorId: string; kind: string }) => [e.authorId, e.kind])).toEqual([['coa-1', 'comment'], ['lea-1', 'reflection']]);
    expect(dialogue.actionItems.map((a: { actionId: string; status: string }) => [a.actionId, a.status])).toEqual([['a-1', 'done'], ['a-2', 'dropped']]);
    expect((await http('feedback').get('/dialogues/d-1', as.coa2)).body.entries).toHaveLength(1);
    expect((await http('feedback').get(`/history-imports/${importId}`, as.lead)).status).toBe(403);
    expect((await http('feedback').post('/history-imports', as.admin, JSON.stringify(opened))).status).toBe(415);
  });

  it('the same file again completes without duplicating anything', async () => {
    const before = await storedEvents();
    const again = await upload('feedback', file);
    expect(again).toMatchObject({ status: 202, body: { lines: 18, valid: 0, alreadyImported: 18, invalid: 0 } });
    expect(await finished('feedback', again.body.importId)).toMatchObject({ progress: { processed: 18, applied: 0, alreadyImported: 18, failed: 0 } });
    // the import's own stream grows, and reads made before are recorded as disclosures (buffered, flushed up to a
    // second later): neither is a record of the file
    const ofTheFile = (e: { streamId: string }) => !e.streamId.startsWith('feedback-history-import-') && !e.streamId.startsWith('disclosures-');
    const after = (await storedEvents()).filter(ofTheFile);
    expect(after).toEqual(before.filter(ofTheFile));
  });

  it('as it was and as the platform knew it differ exactly for the backdated goal', async () => {
    const progress = async (at: string, basis: 'occurred' | 'recorded') => (await http('feedback').get(`/learners/lea-1/progress?asOf=${at}&basis=${basis}`, as.lea)).body;
    // in January 2024 the goal was revised and active; the platform learned of it only at the import
    expect((await progress('2024-01-01T00:00:00.000Z', 'occurred')).goals).toEqual([expect.objectContaining({ goalId: 'g-1', status: 'active', revisions: 1 })]);
    expect((await progress('2024-01-01T00:00:00.000Z', 'recorded')).goals).toEqual([]);
    expect((await progress(startedAt, 'recorded')).goals).toEqual([]);
    const now = new Date().toISOString();
    expect((await progress(now, 'recorded')).goals).toEqual([expect.objectContaining({ goalId: 'g-1', status: 'achieved' })]);
    const { basis: _k, ...known } = await progress(now, 'recorded');
    const { basis: _w, ...was } = await progress(now, 'occurred');
    expect(known).toEqual(was);
  });
});
