import { Actor, dropServiceDatabases, httpClient, RunningService, startServiceProcess, uniqueName, waitFor } from '@cbme/testing';

/**
 * A learner's semester over the real stack (identity, coaching, feedback as processes; real Kafka, the
 * MongoDB-compatible server, Redis): competency frameworks, a feedback request to a named assessor, the
 * learner's reflection, action items, close and reopen, a goal and its revision, assessment results from CSV,
 * a development plan with its BullMQ review reminder and a review with the coach. Then the timeline and the
 * as-of view are checked against what happened at each moment, and bad input leaves nothing behind.
 */
const namespace = uniqueName('history');
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const env: Record<string, string> = { CBME_NAMESPACE: namespace, DISCLOSURE_FLUSH_MS: '200', INSTITUTION_ID: 'inst-hist', KEY_ACTIVATION_SECONDS: '0', NOTIFY_CHANNEL: 'log' };
const PEOPLE = {
  lead: ['lead-1', 'coaching-lead'], lea: ['lea-1', 'learner'], leb: ['lea-2', 'learner'], coach: ['coa-1', 'coach'], preceptor: ['pre-1', 'coach'],
  admin: ['sad-1', 'school-admin'], committee: ['com-1', 'committee-member'], otherCoach: ['coa-2', 'coach'],
} as const;

const services: Record<string, RunningService> = {};
const http = (name: string) => httpClient(services[name].url);
const feedback = () => http('feedback');
const as = {} as Record<keyof typeof PEOPLE, Actor>;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** an instant strictly between two steps (events carry the server's clock, on this machine) */
async function mark(): Promise<string> {
  await sleep(20);
  const at = new Date().toISOString();
  await sleep(20);
  return at;
}

async function signIn(email: string): Promise<string> {
  const response = await http('identity').post('/auth/login', undefined, { email, password: PASSWORD });
  expect(response.status).toBe(200);
  return response.body.accessToken;
}

/** the staff's reads of lea-1's record in feedback's disclosure log, as `<reader>:<record>`, once they include `expected` */
const disclosedReads = (expected: string[]) => waitFor(async () => {
  const log = await feedback().get<{ entries: { reader: { userId: string }; record: string }[] }>('/learners/lea-1/disclosures', as.lea);
  const reads = log.body.entries.map((e) => `${e.reader.userId}:${e.record}`);
  expect(reads).toEqual(expect.arrayContaining(expected));
  return reads;
}, { timeoutMs: 30_000 });

beforeAll(async () => {
  services['identity'] = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: 'admin@hist.edu', BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  env['AUTH_JWKS_URL'] = `${services['identity'].url}/.well-known/jwks.json`;
  for (const s of await Promise.all(['coaching', 'feedback'].map((name) => startServiceProcess(name, env)))) services[s.name] = s;
  const admin = { token: await signIn('admin@hist.edu') };
  expect((await http('identity').post('/schools', admin, { schoolId: SCHOOL, name: SCHOOL })).status).toBe(201);
  for (const [key, [userId, role]] of Object.entries(PEOPLE)) {
    expect((await http('identity').post(`/schools/${SCHOOL}/users`, admin, { userId, email: `${userId}@hist.edu`, displayName: userId, role, password: PASSWORD })).status).toBe(201);
    as[key as keyof typeof PEOPLE] = { token: await signIn(`${userId}@hist.edu`) };
  }
  await waitFor(async () => expect((await http('coaching').post('/relationships', as.lead, { learnerId: 'lea-1', coachId: 'coa-1' })).status).toBe(201));
}, 240_000);

afterAll(async () => {
  await Promise.all(Object.values(services).map((s) => s.stop()));
  await dropServiceDatabases(namespace, Object.keys(services));
});

const marks: Record<string, string> = {};
let dialogueId: string;
/** the due date of the action item agreed in the first dialogue */
let sbarDue: string;
let goalId: string;
let resultId: string;

describe('competency frameworks', () => {
  it('ship ACGME, PCRS and the Core EPAs to every school; a school admin imports its own, versioned, bad files refused by line', async () => {
    const listed = await feedback().get('/frameworks', as.lea);
    expect(listed.body.frameworks.map((f: { frameworkId: string }) => f.frameworkId)).toEqual(['acgme-core', 'aamc-pcrs', 'aamc-core-epas']);
    expect((await feedback().get('/frameworks/aamc-core-epas', as.coach)).body.competencies).toHaveLength(13);

    const bad = await feedback().post('/frameworks/med-comm/import', as.admin, { format: 'csv', name: 'Communication', content: 'code,name\nMC1,Breaking news\nbad code,\nICS,Clash\n' });
    expect(bad).toMatchObject({ status: 422, body: { error: 'invalid-framework-file', details: [{ line: 3, reasons: [expect.stringContaining('bad code'), 'name is missing'] }] } });
    expect((await feedback().get('/frameworks/med-comm', as.admin)).status).toBe(404);
    const clash = await feedback().post('/frameworks/med-comm/import', as.admin, { format: 'csv', name: 'Communication', content: 'code,name\nMC1,Breaking news\nICS,Clash\n' });
    expect(clash).toMatchObject({ status: 422, body: { message: expect.stringContaining('ICS (in acgme-core)') } });
    expect((await feedback().post('/frameworks/med-comm/import', as.coach, { format: 'json', content: '[]' })).status).toBe(403);

    const json = JSON.stringify({ name: 'Communication', competencies: [{ code: 'MC1', name: 'Breaking bad news' }, { code: 'MC2', name: 'Family meetings' }] }, null, 2);
    expect(await feedback().post('/frameworks/med-comm/import', as.admin, { format: 'json', content: json })).toMatchObject({ status: 200, body: { version: 1 } });
    const v2 = await feedback().put('/frameworks/med-comm', as.admin, { name: 'Communication', competencies: [{ code: 'MC1', name: 'Breaking bad news' }] });
    expect(v2).toMatchObject({ status: 200, body: { version: 2, retired: [{ code: 'MC2', name: 'Family meetings' }] } });
    const history = (await feedback().get('/frameworks/med-comm', as.lea)).body;
    expect(history).toMatchObject({ version: 2, retired: [{ code: 'MC2', retiredInVersion: 2 }], versions: [{ version: 1, source: 'imported' }, { version: 2, source: 'defined' }] });
  });
});

describe('a learner\'s semester', () => {
  it('refuses bad input with a clear 4xx and writes nothing', async () => {
    marks['start'] = await mark();
    const unknown = await feedback().post('/dialogues', as.lea, { topic: 'Nights', competencies: ['ICS', 'XYZ'] });
    expect(unknown).toMatchObject({ status: 422, body: { message: 'unknown competency: XYZ is not in any framework of this school' } });
    const retired = await feedback().post('/goals', as.lea, { description: 'Family meetings', competencies: ['MC2'], targetDate: inDays(90).slice(0, 10) });
    expect(retired).toMatchObject({ status: 422, body: { message: 'unknown competency: MC2 was retired in version 2 of med-comm' } });
    const past = await feedback().post('/goals', as.lea, { description: 'Too late', competencies: ['ICS'], targetDate: '2020-01-01' });
    expect(past).toMatchObject({ status: 422, body: { message: expect.stringContaining('must be after today') } });
    expect((await feedback().post('/dialogues', as.lea, { topic: 'x', competencies: ['not a code!'] })).status).toBe(400);
  });

  it('requests feedback from a named assessor in a context; both write, the learner reflects, they agree action items', async () => {
    const opened = await waitFor(async () => {
      const response = await feedback().post('/dialogues', as.lea, {
        topic: 'Handover on nights', competencies: ['ICS', 'MC1', 'EPA-8'],
        context: { course: 'Internal medicine clerkship', rotation: 'Nights', date: new Date().toISOString().slice(0, 10) }, assessor: { userId: 'pre-1', name: 'Dr Preceptor' },
      });
      expect(response.status).toBe(201);
      return response.body;
    });
    dialogueId = opened.dialogueId;
    expect(opened.coachId).toBe('coa-1');
    expect((await feedback().post(`/dialogues/${dialogueId}/entries`, as.preceptor, { text: 'Clear structure, missed the pending labs', visibility: 'shared' })).status).toBe(201);
    expect((await feedback().post(`/dialogues/${dialogueId}/entries`, as.lea, { text: 'I panic when paged mid-handover', visibility: 'private', kind: 'reflection' })).status).toBe(201);
    expect((await feedback().post(`/dialogues/${dialogueId}/entries`, as.coach, { text: 'Coach thoughts', visibility: 'shared', kind: 'reflection' })).status).toBe(422);
    sbarDue = inDays(14).slice(0, 10);
    const action = await feedback().post(`/dialogues/${dialogueId}/action-items`, as.coach, { description: 'Use an SBAR card for two weeks', ownerId: 'lea-1', dueDate: sbarDue });
    expect(action.status).toBe(201);
    expect((await feedback().post(`/dialogues/${dialogueId}/action-items`, as.coach, { description: 'x', ownerId: 'lea-2' })).status).toBe(422);

    const asPreceptor = (await feedback().get(`/dialogues/${dialogueId}`, as.preceptor)).body;
    expect(asPreceptor.entries.map((e: { text: string }) => e.text)).toEqual(['Clear structure, missed the pending labs']);
    const asLearner = (await feedback().get(`/dialogues/${dialogueId}`, as.lea)).body;
    expect(asLearner).toMatchObject({
      context: { course: 'Internal medicine clerkship', rotation: 'Nights' }, assessor: { userId: 'pre-1', name: 'Dr Preceptor' },
      entries: [{ kind: 'comment' }, { kind: 'reflection', visibility: 'private' }], actionItems: [{ ownerId: 'lea-1', description: 'Use an SBAR card for two weeks' }],
    });
    marks['afterDialogue'] = await mark();
  });

  it('is closed, refuses entries while closed (nothing written), and is reopened', async () => {
    expect((await feedback().post(`/dialogues/${dialogueId}/close`, as.coach)).status).toBe(200);
    const versionClosed = (await feedback().get(`/dialogues/${dialogueId}`, as.lea)).body.version;
    expect(await feedback().post(`/dialogues/${dialogueId}/entries`, as.lea, { text: 'late', visibility: 'shared' })).toMatchObject({ status: 409, body: { message: 'the dialogue is closed; reopen it to add entries' } });
    expect((await feedback().get(`/dialogues/${dialogueId}`, as.lea)).body.version).toBe(versionClosed);
    expect(await feedback().post(`/dialogues/${dialogueId}/reopen`, as.lea)).toMatchObject({ status: 200, body: { status: 'open' } });
    expect((await feedback().post(`/dialogues/${dialogueId}/entries`, as.lea, { text: 'One more thought', visibility: 'shared' })).status).toBe(201);
    expect((await feedback().get(`/dialogues/${dialogueId}`, as.lea)).body.history.map((h: { status: string }) => h.status)).toEqual(['closed', 'reopened']);
  });

  it('sets a goal from the dialogue, revises it with a rationale, and notes progress', async () => {
    const set = await feedback().post('/goals', as.lea, { description: 'Lead a structured handover', competencies: ['ICS', 'EPA-8'], targetDate: inDays(120).slice(0, 10), status: 'draft' });
    expect(set).toMatchObject({ status: 201, body: { status: 'draft' } });
    goalId = set.body.goalId;
    expect((await feedback().post(`/goals/${goalId}/status`, as.lea, { to: 'achieved' })).status).toBe(409);
    expect((await feedback().post(`/goals/${goalId}/status`, as.lea, { to: 'active' })).status).toBe(200);
    expect((await feedback().post(`/goals/${goalId}/links`, as.lea, { kind: 'dialogue', targetId: dialogueId })).status).toBe(201);
    marks['afterGoalSet'] = await mark();
    expect((await feedback().post(`/goals/${goalId}/revisions`, as.lea, { description: 'Lead two handovers a week', targetDate: inDays(150).slice(0, 10), rationale: 'Night rotation doubled' })).status).toBe(201);
    expect((await feedback().post(`/goals/${goalId}/progress-notes`, as.coach, { note: 'Saw a calm handover on Tuesday' })).status).toBe(201);
    const detail = (await feedback().get(`/goals/${goalId}`, as.coach)).body;
    expect(detail).toMatchObject({
      status: 'active', description: 'Lead two handovers a week', statusChanges: [{ from: 'draft', to: 'active' }],
      revisions: [{ rationale: 'Night rotation doubled' }], progressNotes: [{ authorId: 'coa-1' }], links: [{ kind: 'dialogue', targetId: dialogueId }],
    });
    marks['afterRevision'] = await mark();
  });

  it('imports assessment results from CSV: a file with bad rows imports nothing; a good one is referenced in the dialogue', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const header = 'learnerId,competency,kind,instrument,score,maxScore,assessedOn';
    const bad = await feedback().post('/assessment-results/imports', as.admin, {
      csv: `${header}\nlea-1,ICS;EPA-8,wba-rating,Mini-CEX,4,5,${today}\nnobody,ICS,wba-rating,Mini-CEX,4,5,${today}\nlea-1,XYZ,exam-score,Shelf,88,100,2999-01-01\n`,
    });
    expect(bad).toMatchObject({
      status: 422,
      body: { error: 'invalid-assessment-file', details: [
        { line: 3, reasons: ['nobody is not a learner of this school'] },
        { line: 4, reasons: ['competency XYZ is not in any framework of this school', 'assessedOn 2999-01-01 is in the future'] },
      ] },
    });
    expect((await feedback().get('/learners/lea-1/assessment-results', as.lea)).body.results).toEqual([]);
    expect((await feedback().post('/assessment-results/imports', as.coach, { csv: `${header}\n` })).status).toBe(403);

    const good = await feedback().post('/assessment-results/imports', as.admin, {
      csv: `${header}\nlea-1,ICS;EPA-8,wba-rating,Mini-CEX,4,5,${today}\nlea-2,PC,exam-score,Shelf,71,100,${today}\n`, fileName: 'clerkship.csv',
    });
    expect(good).toMatchObject({ status: 201, body: { imported: 2 } });
    const results = await waitFor(async () => {
      const response = await feedback().get('/learners/lea-1/assessment-results', as.coach);
      expect(response.body.results).toHaveLength(1);
      return response.body.results;
    });
    resultId = results[0].resultId;
    expect(results[0]).toMatchObject({ competencies: ['ICS', 'EPA-8'], kind: 'wba-rating', score: 4, maxScore: 5 });
    expect((await feedback().post(`/dialogues/${dialogueId}/references`, as.coach, { resultId })).status).toBe(200);
    // lea-2's result is, to lea-1, one that does not exist
    expect((await feedback().post(`/dialogues/${dialogueId}/references`, as.lea, { resultId: `${good.body.importId}.3` })).status).toBe(404);
    expect((await feedback().post('/self-assessments', as.lea, { ratings: [{ competency: 'ICS', level: 2 }, { competency: 'EPA-8', level: 3 }] })).status).toBe(201);
    expect((await feedback().post('/self-assessments', as.lea, { ratings: [{ competency: 'ICS', level: 3 }] })).status).toBe(201);
    expect((await feedback().get('/learners/lea-1/self-assessments', as.coach)).body.selfAssessments.map((s: { ratings: unknown[] }) => s.ratings.length)).toEqual([2, 1]);
  });

  it('keeps a development plan: a BullMQ job reminds both when the review is due, the review is recorded, the plan revised', async () => {
    const first = await feedback().post('/plan/revisions', as.lea, {
      focusAreas: [{ title: 'Handovers under pressure', competencies: ['ICS', 'EPA-8'] }], goalIds: [goalId], motivatedBy: [{ kind: 'dialogue', targetId: dialogueId }, { kind: 'assessment-result', targetId: resultId }],
      nextReviewDue: new Date(Date.now() + 3_000).toISOString(),
    });
    expect(first).toMatchObject({ status: 201, body: { planVersion: 1 } });
    const reminded = await waitFor(async () => {
      const plan = (await feedback().get('/learners/lea-1/plan', as.coach)).body;
      expect(plan.reminders).toHaveLength(1);
      return plan.reminders[0];
    }, { timeoutMs: 30_000, intervalMs: 500 });
    expect(reminded).toMatchObject({ recipientIds: ['lea-1', 'coa-1'], channel: 'log' });
    marks['afterPlan'] = await mark();

    expect((await feedback().post('/learners/lea-1/plan/reviews', as.coach, { whatChanged: 'Handovers calmer', nextSteps: ['Lead a family meeting'], nextReviewDue: inDays(60) })).status).toBe(201);
    expect((await feedback().post('/plan/revisions', as.lea, { focusAreas: [{ title: 'Family meetings', competencies: ['MC1'] }], goalIds: [goalId], nextReviewDue: inDays(60) })).status).toBe(422);
    const second = await feedback().post('/plan/revisions', as.lea, {
      focusAreas: [{ title: 'Family meetings', competencies: ['MC1'] }], goalIds: [goalId], nextReviewDue: inDays(60), rationale: 'Agreed at the review',
    });
    expect(second).toMatchObject({ status: 201, body: { planVersion: 2 } });
    const plan = (await feedback().get('/learners/lea-1/plan', as.lea)).body;
    expect(plan).toMatchObject({ version: 4, reviews: [{ coachId: 'coa-1', whatChanged: 'Handovers calmer', nextSteps: ['Lead a family meeting'] }], versions: [{ version: 1 }, { version: 2, rationale: 'Agreed at the review' }] });
    marks['end'] = await mark();
  });
});

describe('the learner\'s progress history', () => {
  type Item = { type: string; category: string; at: string; recordedAt: string; competencies: string[]; visibility: string; data: Record<string, unknown> };
  const timeline = (actor: Actor, query = '') => feedback().get(`/learners/lea-1/timeline${query}`, actor);

  it('shows everything about the learner across services, filterable and paginated', async () => {
    const all: Item[] = await waitFor(async () => {
      const body = (await timeline(as.lea, '?pageSize=200')).body;
      expect(body.items.map((i: Item) => i.type)).toEqual(expect.arrayContaining(['coaching.coach-assigned', 'feedback.plan-revised', 'feedback.self-assessment-recorded', 'feedback.plan-review-reminder-sent']));
      expect(body.items.filter((i: Item) => i.type === 'feedback.plan-revised')).toHaveLength(2);
      return body.items;
    });
    expect(all.map((i) => i.at)).toEqual([...all.map((i) => i.at)].sort());
    // recorded live: each happened when the platform stored it
    expect(all.filter((i) => i.recordedAt !== i.at)).toEqual([]);
    expect(all.filter((i) => i.category === 'dialogue').map((i) => i.type)).toEqual([
      'feedback.dialogue-opened', 'feedback.dialogue-entry-added', 'feedback.dialogue-entry-added', 'feedback.dialogue-action-agreed', 'feedback.dialogue-closed',
      'feedback.dialogue-reopened', 'feedback.dialogue-entry-added', 'feedback.dialogue-result-referenced',
    ]);
    // bad input left nothing: no second dialogue, no goal from the refused requests
    expect(all.filter((i) => i.type === 'feedback.dialogue-opened' || i.type === 'feedback.goal-set' || i.type === 'feedback.goal-drafted')).toHaveLength(3);
    expect(all.find((i) => i.data['kind'] === 'reflection')?.data['text']).toBe('I panic when paged mid-handover');

    const goals = (await timeline(as.lea, '?category=goal&pageSize=200')).body;
    expect(goals.items.every((i: Item) => i.category === 'goal')).toBe(true);
    expect(goals.items.map((i: Item) => i.type)).toEqual(['feedback.goal-drafted', 'feedback.goal-set', 'feedback.goal-linked', 'feedback.goal-revised', 'feedback.goal-progress-noted']);
    const mc1 = (await timeline(as.lea, '?competency=MC1&pageSize=200')).body.items as Item[];
    expect(mc1.length).toBeGreaterThan(0);
    expect(mc1.every((i) => i.competencies.includes('MC1'))).toBe(true);
    const period = (await timeline(as.lea, `?from=${marks['afterGoalSet']}&to=${marks['afterRevision']}&pageSize=200`)).body.items as Item[];
    expect(period.map((i) => i.type)).toEqual(['feedback.goal-revised', 'feedback.goal-progress-noted']);
    // all recorded live, so the same period by recording time holds the same items
    const recorded = (await timeline(as.lea, `?from=${marks['afterGoalSet']}&to=${marks['afterRevision']}&basis=recorded&pageSize=200`)).body.items as Item[];
    expect(recorded).toEqual(period);
    expect((await timeline(as.lea, '?basis=rumour')).status).toBe(400);
    const page2 = (await timeline(as.lea, '?pageSize=3&page=2')).body;
    expect(page2).toMatchObject({ page: 2, pageSize: 3, total: all.length });
    expect(page2.items.map((i: Item) => i.type)).toEqual(all.slice(3, 6).map((i) => i.type));
    expect((await timeline(as.lea, '?category=gossip')).status).toBe(400);
  });

  it('shows the coach what is shared and leads and admins no private text; strangers nothing; every staff read is recorded', async () => {
    const coachView = JSON.stringify((await timeline(as.coach, '?pageSize=200')).body);
    expect(coachView).toContain('Clear structure, missed the pending labs');
    expect(coachView).not.toContain('I panic');
    const leadView = (await timeline(as.lead, '?pageSize=200')).body;
    expect(leadView.access).toBe('without-private-text');
    expect(JSON.stringify(leadView)).not.toMatch(/I panic|Clear structure|SBAR card|Handovers under pressure|Handovers calmer|Saw a calm handover/);
    expect(leadView.items.length).toBe((await timeline(as.lea, '?pageSize=200')).body.total);
    for (const stranger of [as.committee, as.leb, as.preceptor]) expect((await timeline(stranger)).status).toBe(404);
    expect((await feedback().get('/learners/nobody/timeline', as.admin)).status).toBe(404);

    const csv = await feedback().get('/learners/lea-1/timeline/export?format=csv&category=goal', as.admin);
    expect(csv.status).toBe(200);
    const lines = String(csv.body).trim().split('\r\n');
    expect(lines[0]).toBe('at,type,category,actorId,actorRole,subjectId,competencies,visibility,source,eventId,data,recordedAt');
    expect(lines).toHaveLength(6);
    const json = await feedback().get('/learners/lea-1/timeline/export?format=json', as.coach);
    expect(json.body).toMatchObject({ exportedBy: 'coa-1', access: 'shared' });

    // the disclosure log (README, "Disclosure log") has every staff read, and none of the learner's own
    const reads = await disclosedReads(['coa-1:timeline', 'lead-1:timeline', 'sad-1:timeline-export', 'coa-1:timeline-export']);
    expect(reads.some((r) => r.startsWith('lea-1:'))).toBe(false);
  });

  it('rebuilds the goals and plan as of any past date from the event store, and their difference', async () => {
    const asOf = async (at: string, actor = as.lea) => (await feedback().get(`/learners/lea-1/progress?asOf=${at}`, actor)).body;
    expect(await asOf(marks['start'])).toMatchObject({ goals: [], plan: null });
    expect((await asOf(marks['afterDialogue'])).goals).toEqual([]);
    expect((await asOf(marks['afterGoalSet'])).goals).toEqual([expect.objectContaining({ goalId, status: 'active', description: 'Lead a structured handover', revisions: 0 })]);
    const afterRevision = await asOf(marks['afterRevision']);
    expect(afterRevision).toMatchObject({ goals: [{ description: 'Lead two handovers a week', revisions: 1 }], plan: null });
    expect((await asOf(marks['afterPlan'])).plan).toMatchObject({ version: 1, reviews: 0, focusAreas: [{ title: 'Handovers under pressure' }] });
    expect((await asOf(marks['end'], as.coach)).plan).toMatchObject({ version: 2, reviews: 1, focusAreas: [{ title: 'Family meetings' }] });

    const diff = (await feedback().get(`/learners/lea-1/progress/diff?from=${marks['afterGoalSet']}&to=${marks['end']}`, as.lead)).body;
    expect(diff).toMatchObject({
      goals: { added: [], removed: [], changed: [{ goalId, changes: { description: { from: 'Lead a structured handover', to: 'Lead two handovers a week' } } }] },
      plan: { version: { from: null, to: 2 }, goalsAdded: [goalId], reviews: { from: 0, to: 1 } },
    });
    // everything here was recorded live, so the platform knew it as it happened: both bases agree
    for (const at of [marks['afterGoalSet'], marks['end']]) {
      const { basis: _b, ...known } = (await feedback().get(`/learners/lea-1/progress?asOf=${at}&basis=recorded`, as.lea)).body;
      const { basis: _o, ...was } = await asOf(at);
      expect(known).toEqual(was);
    }
    expect((await feedback().get(`/learners/lea-1/progress?asOf=${marks['end']}&basis=hearsay`, as.lea)).status).toBe(400);
    expect((await feedback().get('/learners/lea-1/progress', as.lea)).status).toBe(400);
    await disclosedReads(['coa-1:progress', 'lead-1:progress-diff']);
  });
});

describe('the learner\'s dialogue list', () => {
  type Listed = { dialogueId: string; entries: number; lastActivityAt: string; lastActivityBy: string; awaiting: string | null };
  const list = (actor: Actor, query = '', learnerId = 'lea-1') => feedback().get(`/learners/${learnerId}/dialogues${query}`, actor);

  it('shows the learner every dialogue with private entries counted, the coach and the assessor only what is shared, strangers what a nobody gets', async () => {
    const second = await feedback().post('/dialogues', as.lea, { topic: 'Breaking bad news', competencies: ['MC1'] });
    expect(second.status).toBe(201);
    const d2 = second.body.dialogueId as string;
    // the coach writes in the first after the second was opened; then the learner writes in the second, privately
    expect((await feedback().post(`/dialogues/${dialogueId}/entries`, as.coach, { text: 'Let us go over it on Tuesday', visibility: 'shared' })).status).toBe(201);
    expect((await feedback().post(`/dialogues/${d2}/entries`, as.lea, { text: 'I froze with the family', visibility: 'private' })).status).toBe(201);
    const d1Read = (await feedback().get(`/dialogues/${dialogueId}`, as.lea)).body;
    const d2Read = (await feedback().get(`/dialogues/${d2}`, as.lea)).body;
    const privateAt = d2Read.entries[0].at as string;
    const coachEntryAt = d1Read.entries[d1Read.entries.length - 1].at as string;

    const mine = await waitFor(async () => {
      const response = await list(as.lea);
      expect(response.body.dialogues?.find((d: Listed) => d.dialogueId === d2)?.entries).toBe(1);
      return response;
    });
    expect(mine).toMatchObject({ status: 200 });
    expect(mine.body).toEqual({ learnerId: 'lea-1', dialogues: [
      {
        dialogueId: d2, coachId: 'coa-1', topic: 'Breaking bad news', competencies: ['MC1'], status: 'open', openedAt: d2Read.openedAt, closedAt: null,
        lastActivityAt: privateAt, lastActivityBy: 'lea-1', entries: 1, openActionItems: 0, openActions: [], awaiting: 'coach',
      },
      {
        dialogueId, coachId: 'coa-1', topic: 'Handover on nights', competencies: ['ICS', 'MC1', 'EPA-8'], status: 'open', openedAt: d1Read.openedAt, closedAt: null,
        lastActivityAt: coachEntryAt, lastActivityBy: 'coa-1', entries: 4, openActionItems: 1, awaiting: 'learner',
        openActions: [{ actionId: expect.any(String), description: 'Use an SBAR card for two weeks', ownerId: 'lea-1', dueDate: sbarDue, agreedAt: expect.any(String), overdue: false }],
      },
    ] });

    // the coach: shared entries only; the second's private entry neither counted nor timed, so it sorts by its opening
    const coachView = (await list(as.coach)).body;
    expect(coachView.dialogues.map((d: Listed) => [d.dialogueId, d.entries, d.lastActivityAt, d.lastActivityBy, d.awaiting])).toEqual([
      [dialogueId, 3, coachEntryAt, 'coa-1', 'learner'], [d2, 0, d2Read.openedAt, 'lea-1', 'coach'],
    ]);
    expect(JSON.stringify(coachView)).not.toMatch(new RegExp(`${privateAt}|I froze|I panic`));
    // the named assessor reads the dialogue they assess, and only what is shared of it
    expect((await list(as.preceptor)).body.dialogues.map((d: Listed) => [d.dialogueId, d.entries])).toEqual([[dialogueId, 3]]);

    const nobody = async (actor: Actor) => list(actor, '', 'nobody');
    for (const stranger of [as.otherCoach, as.leb, as.lead, as.committee, as.admin]) {
      const answer = await list(stranger);
      expect(answer.status).toBe(404);
      expect({ status: answer.status, body: answer.body }).toEqual({ status: (await nobody(stranger)).status, body: (await nobody(stranger)).body });
    }
  });

  it('filters by status; a closed dialogue awaits nobody', async () => {
    const second = (await list(as.lea)).body.dialogues[0] as Listed;
    expect((await feedback().post(`/dialogues/${second.dialogueId}/close`, as.lea)).status).toBe(200);
    const closed = await waitFor(async () => {
      const body = (await list(as.lea, '?status=closed')).body;
      expect(body.dialogues).toHaveLength(1);
      return body.dialogues[0];
    });
    const closedAt = (await feedback().get(`/dialogues/${second.dialogueId}`, as.lea)).body.history[0].at;
    expect(closed).toMatchObject({ dialogueId: second.dialogueId, status: 'closed', closedAt, awaiting: null, lastActivityAt: closedAt, lastActivityBy: 'lea-1' });
    expect((await list(as.coach, '?status=open')).body.dialogues.map((d: Listed) => d.dialogueId)).toEqual([dialogueId]);
    expect(await list(as.lea, '?status=archived')).toMatchObject({ status: 400, body: { error: 'Bad Request' } });
  });
});
