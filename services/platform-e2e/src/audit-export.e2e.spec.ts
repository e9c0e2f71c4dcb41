import { AuditExportBundle, AuditExportPart, joinExportParts } from '@cbme/contracts';
import { Actor, freePort, httpClient, RunningService, openSchoolWith, startPlatform, startWebOrigin, uniqueName, urlsOf, waitFor } from '@cbme/testing';
import { accessibilityProblems, endJourney, ensureWebBuilt, launchBrowser, openPage, screenshot, settled, signIn } from '@cbme/testing/browser';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A learner's verifiable export (issue 16; docs/tamper-evidence.md, "Verifiable export"): each service answers its part
 * of `GET /learners/:id/audit-export` to an admin, the parts join into one bundle, and the offline verifier
 * (`npm run verify-export`, infra/verify-export.ts) passes it and names each tampered event.
 */
const namespace = uniqueName('e2e-export');
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const ADMIN_EMAIL = 'admin@export.example';
const WORKSPACE = path.resolve(__dirname, '../../..');
const SERVICES = ['identity', 'coaching', 'feedback', 'analytics'] as const;
const dir = mkdtempSync(path.join(tmpdir(), 'audit-export-e2e-'));
const env = (service: string): Record<string, string> => ({
  CBME_NAMESPACE: namespace, AUDIT_KEYS_FILE: path.join(dir, `${service}-keys.json`), AUDIT_CHECKPOINT_POSITIONS: '1', AUDIT_CHECKPOINT_MS: '1000',
});
const PEOPLE = [['lead-1', 'coaching-lead'], ['lea-1', 'learner'], ['lea-2', 'learner'], ['coa-1', 'coach'], ['sad-1', 'school-admin']] as const;

const services: Record<string, RunningService> = {};
const started = Date.now();
let browser: Browser | undefined;
let origin: Awaited<ReturnType<typeof startWebOrigin>> | undefined;
const http = (name: string) => httpClient(services[name].url);
const as: Record<string, Actor> = {};
let dialogueId: string;

/** each service's part, fetched as the browser does, joined into one bundle */
async function exportOf(learnerId: string, actor: Actor): Promise<AuditExportBundle> {
  const parts: AuditExportPart[] = [];
  for (const service of SERVICES) {
    const response = await http(service).get(`/learners/${learnerId}/audit-export`, actor);
    expect(response.status).toBe(200);
    parts.push(response.body);
  }
  return joinExportParts(parts);
}

/** `npm run verify-export -- <file> [--keys <file>]`, as an auditor would run it: no network, no database */
function verifyCli(bundle: AuditExportBundle, name: string, keysFile?: string) {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(bundle));
  return spawnSync(process.execPath, ['-r', '@swc-node/register', 'infra/verify-export.ts', file, ...(keysFile ? ['--keys', keysFile] : [])], {
    cwd: WORKSPACE, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' },
  });
}

const copy = (bundle: AuditExportBundle): AuditExportBundle => JSON.parse(JSON.stringify(bundle));
const streamOf = (bundle: AuditExportBundle, service: string, streamId: string) => {
  const stream = bundle.parts.find((p) => p.service === service)?.streams.find((s) => s.streamId === streamId);
  if (!stream) throw new Error(`no stream ${streamId} in the ${service} part`);
  return stream;
};

beforeAll(async () => {
  const webRoot = ensureWebBuilt();
  const platform = await startPlatform(env, { BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL, BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  Object.assign(services, platform);
  origin = await startWebOrigin(urlsOf(platform), { port: await freePort(), webRoot });
  browser = await launchBrowser();
  Object.assign(as, await openSchoolWith(platform.identity, { adminEmail: ADMIN_EMAIL, password: PASSWORD, schoolId: SCHOOL, people: PEOPLE, domain: 'export.example' }));
  // coaching history: a coach, a meeting held with notes
  await waitFor(async () => expect((await http('coaching').post('/relationships', as['lead-1'], { learnerId: 'lea-1', coachId: 'coa-1' })).status).toBe(201), { timeoutMs: 60_000 });
  const booked = await http('coaching').post('/meetings', as['coa-1'], { learnerId: 'lea-1', startsAt: new Date(Date.now() + 2_000).toISOString(), durationMinutes: 30 });
  expect(booked.status).toBe(201);
  await waitFor(async () => expect((await http('coaching').post(`/meetings/${booked.body.meetingId}/held`, as['coa-1'], { agenda: ['Handover'], notes: [{ text: 'Agreed the next step', visibility: 'shared-with-learner' }] })).status).toBe(200), { timeoutMs: 30_000 });
  // feedback history: a dialogue with entries, a goal revised, a self-assessment, results imported beside another learner's
  const opened = await waitFor(async () => {
    const response = await http('feedback').post('/dialogues', as['lea-1'], { coachId: 'coa-1', topic: 'Handover on nights', competencies: ['ICS'] });
    expect(response.status).toBe(201);
    return response.body;
  }, { timeoutMs: 60_000 });
  dialogueId = opened.dialogueId;
  for (const text of ['I rushed the handover', 'Next time I use SBAR', 'It went better']) {
    expect((await http('feedback').post(`/dialogues/${dialogueId}/entries`, as['lea-1'], { text, visibility: 'shared' })).status).toBe(201);
  }
  const goal = await http('feedback').post('/goals', as['lea-1'], { description: 'Lead a structured handover', competencies: ['ICS'], targetDate: '2027-06-30' });
  expect(goal.status).toBe(201);
  expect((await http('feedback').post(`/goals/${goal.body.goalId}/revisions`, as['lea-1'], { description: 'Lead two handovers a week', targetDate: '2027-06-30', rationale: 'Rotation changed' })).status).toBe(201);
  expect((await http('feedback').post('/self-assessments', as['lea-1'], { ratings: [{ competency: 'ICS', level: 3 }] })).status).toBe(201);
  const today = new Date().toISOString().slice(0, 10);
  await waitFor(async () => expect((await http('feedback').post('/assessment-results/imports', as['sad-1'], {
    csv: `learnerId,competency,kind,instrument,score,maxScore,assessedOn\nlea-2,PC,exam-score,Shelf,71,100,${today}\nlea-1,ICS,wba-rating,Mini-CEX,4,5,${today}\n`,
  })).status).toBe(201), { timeoutMs: 30_000 });
}, 300_000);

afterAll(() => endJourney('audit export', started, { browser, origin, services, namespace }));

describe('verifiable export', () => {
  let bundle: AuditExportBundle;

  it('exports every event about the learner from each service, with signed checkpoints, and the verifier passes it', async () => {
    // the learner's timeline (which finds feedback's streams) and the checkpoints follow the writes a moment behind
    bundle = await waitFor(async () => {
      const found = await exportOf('lea-1', as['sad-1']);
      const feedback = found.parts.find((p) => p.service === 'feedback')!;
      expect(feedback.streams.map((s) => s.streamId)).toEqual(expect.arrayContaining([`feedback-dialogue-${dialogueId}`, expect.stringMatching(/^feedback-goal-/), `feedback-self-assessments-${SCHOOL}-lea-1`, expect.stringMatching(/^feedback-assessment-import-/)]));
      for (const part of found.parts.filter((p) => p.service !== 'analytics')) expect(part.checkpoints.length).toBeGreaterThan(0);
      return found;
    }, { timeoutMs: 60_000, intervalMs: 1_000 });

    const coaching = bundle.parts.find((p) => p.service === 'coaching')!;
    expect(coaching.streams.map((s) => s.streamId)).toEqual(expect.arrayContaining([`coaching-learner-${SCHOOL}-lea-1`, expect.stringMatching(/^coaching-meeting-medicine-/)]));
    expect(streamOf(bundle, 'identity', 'identity-user-lea-1').events.map((e) => e.event.type)).toEqual(expect.arrayContaining(['identity.user-registered', 'identity.role-granted']));
    // whole streams from version 1; of the shared import only the learner's result, never the other learner's
    const dialogue = streamOf(bundle, 'feedback', `feedback-dialogue-${dialogueId}`);
    expect(dialogue).toMatchObject({ whole: true });
    expect(dialogue.events.map((e) => e.event.streamVersion)).toEqual(dialogue.events.map((_, i) => i + 1));
    const imported = bundle.parts.find((p) => p.service === 'feedback')!.streams.find((s) => s.streamId.startsWith('feedback-assessment-import-'))!;
    expect(imported.whole).toBe(false);
    expect(imported.events.map((e) => [e.event.type, (e.event.data as { learnerId: string }).learnerId])).toEqual([['feedback.assessment-result-recorded', 'lea-1']]);
    expect(JSON.stringify(bundle)).not.toContain('lea-2');

    const clean = verifyCli(bundle, 'clean');
    const events = bundle.parts.reduce((n, p) => n + p.streams.reduce((m, s) => m + s.events.length, 0), 0);
    const streams = bundle.parts.reduce((n, p) => n + p.streams.length, 0);
    const checkpoints = bundle.parts.reduce((n, p) => n + p.checkpoints.length, 0);
    const uncovered = bundle.parts.reduce((n, p) => n + p.notYetCovered, 0);
    expect(clean.stderr).toBe('');
    expect(clean.stdout).toContain(`verified: ${events} events in ${streams} streams, ${checkpoints} checkpoints (${uncovered} not yet covered)`);
    expect(clean.status).toBe(0);

    // the keys pinned from each service's published audit keys instead of the bundled ones
    const pinned: Record<string, unknown> = {};
    for (const service of SERVICES) pinned[service] = (await http(service).get('/.well-known/audit-keys')).body;
    const keysFile = path.join(dir, 'pinned-keys.json');
    writeFileSync(keysFile, JSON.stringify(pinned));
    expect(verifyCli(bundle, 'pinned', keysFile)).toMatchObject({ status: 0, stdout: expect.stringContaining(`verified: ${events} events`) });
  }, 120_000);

  it('names the event when a field was changed, an event removed, or two events swapped', () => {
    const streamId = `feedback-dialogue-${dialogueId}`;
    const [, second, third] = streamOf(bundle, 'feedback', streamId).events;

    const changed = copy(bundle);
    (streamOf(changed, 'feedback', streamId).events[1].event.data as { text: string }).text = 'I did not rush the handover';
    expect(verifyCli(changed, 'changed')).toMatchObject({ status: 1, stdout: `broken: feedback, stream ${streamId}, version 2, position ${second.position}: hash does not match its content\n` });

    const removed = copy(bundle);
    streamOf(removed, 'feedback', streamId).events.splice(1, 1);
    expect(verifyCli(removed, 'removed')).toMatchObject({ status: 1, stdout: `broken: feedback, stream ${streamId}, version 2, position ${third.position}: version 2 missing (chain broken)\n` });

    const swapped = copy(bundle);
    const events = streamOf(swapped, 'feedback', streamId).events;
    [events[1], events[2]] = [events[2], events[1]];
    expect(verifyCli(swapped, 'swapped')).toMatchObject({ status: 1, stdout: `broken: feedback, stream ${streamId}, version 3, position ${third.position}: out of order: version 3 where version 2 belongs\n` });
  });

  it('answers a coach, a learner and an unknown learner with the same 404, and an institution admin in the school', async () => {
    const unknown = await http('identity').get('/learners/nobody/audit-export', as['sad-1']);
    expect(unknown).toMatchObject({ status: 404, body: { message: 'no such learner in this school' } });
    for (const service of SERVICES) {
      for (const who of ['coa-1', 'lea-1', 'lead-1']) expect(await http(service).get('/learners/lea-1/audit-export', as[who])).toEqual(unknown);
    }
    const byInstitutionAdmin = await exportOf('lea-1', as['admin']);
    expect(byInstitutionAdmin.parts.map((p) => p.service)).toEqual([...SERVICES]);
  }, 60_000);

  it('records each export in each store that gave events, read back in the next export', async () => {
    const next = await exportOf('lea-1', as['sad-1']);
    // analytics holds nothing of its own about a learner: its part is empty, and it records nothing
    expect(next.parts.find((p) => p.service === 'analytics')?.streams).toEqual([]);
    for (const service of ['identity', 'coaching', 'feedback']) {
      const records = streamOf(next, service, `audit-export-${SCHOOL}-lea-1`).events.map((e) => e.event);
      expect(records.length).toBeGreaterThanOrEqual(2);
      expect(records[0]).toMatchObject({ type: 'audit.record-exported', actor: { userId: 'sad-1', role: 'school-admin' }, tenant: { schoolId: SCHOOL }, data: { learnerId: 'lea-1' } });
      expect(records.map((r) => r.actor.role)).toContain('institution-admin');
    }
    expect(verifyCli(next, 'next').status).toBe(0);
  }, 60_000);

  it('a school admin downloads the verifiable export from the learner\'s audit page, and it verifies', async () => {
    const web = origin!.url.replace(/\/$/, '');
    const { page, problems } = await openPage(browser!, web);
    await signIn(page, web, 'sad-1@export.example', PASSWORD, '/school-admin/learners/lea-1');
    await settled(page);
    const button = page.getByRole('button', { name: 'Download verifiable export' });
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toBe('lea-1-verifiable-export.json');
    const saved = JSON.parse(readFileSync(await download.path(), 'utf8')) as AuditExportBundle;
    await page.getByRole('status').filter({ hasText: /^Saved \d+ events from 4 services\.$/ }).waitFor();
    expect(saved.parts.map((p) => p.service)).toEqual([...SERVICES]);
    expect(verifyCli(saved, 'from-the-browser')).toMatchObject({ status: 0, stdout: expect.stringMatching(/^verified: \d+ events in \d+ streams/) });
    const accessibility = await accessibilityProblems(page);
    await screenshot(page, 'admin-learner-export-1280');
    await page.setViewportSize({ width: 375, height: 800 });
    accessibility.push(...(await accessibilityProblems(page)));
    await screenshot(page, 'admin-learner-export-375');
    expect(accessibility).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);
});
