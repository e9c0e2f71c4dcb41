import { AuditExportBundle, AuditExportPart, CONTEXTS, eventsTopic, joinExportParts, transportKeysTopic } from '@cbme/contracts';
import { Actor, freePort, httpClient, openSchoolWith, PlatformServices, RunningService, startPlatform, startWebOrigin, testServers, uniqueName, urlsOf, waitFor } from '@cbme/testing';
import { accessibilityProblems, endJourney, ensureWebBuilt, launchBrowser, openPage, screenshot, settled, signIn } from '@cbme/testing/browser';
import type { Browser } from 'playwright-core';
import { Kafka, logLevel } from 'kafkajs';
import mongoose, { Connection } from 'mongoose';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Erasure that keeps history verifiable (issue 16; README, "Erasure"): an institution admin erases a learner; every
 * service destroys its data key for them and rebuilds its read models; the chains and an export made before still
 * verify; no collection of any service's database holds the learner's texts any more; the timeline shows "[erased]".
 */
const namespace = uniqueName('e2e-erase');
const SCHOOL = 'medicine';
const PASSWORD = 'correct horse battery staple';
const ADMIN_EMAIL = 'admin@erase.example';
const WORKSPACE = path.resolve(__dirname, '../../..');
const SERVICES = ['identity', 'coaching', 'feedback', 'analytics'] as const;
const dir = mkdtempSync(path.join(tmpdir(), 'erasure-e2e-'));
const env = (service: string): Record<string, string> => ({
  CBME_NAMESPACE: namespace, AUDIT_KEYS_FILE: path.join(dir, `${service}-keys.json`), PERSONAL_DATA_MASTER_KEY_FILE: path.join(dir, `${service}.key`), TRANSPORT_MASTER_KEY_FILE: path.join(dir, 'transport.key'),
  AUDIT_CHECKPOINT_POSITIONS: '1', AUDIT_CHECKPOINT_MS: '1000',
});
const PEOPLE = [['lead-1', 'coaching-lead'], ['lea-1', 'learner'], ['lea-2', 'learner'], ['coa-1', 'coach']] as const;
/** strings only the erased learner's record holds */
const unique = { topic: `Topic ${randomUUID()}`, entry: `Entry ${randomUUID()}`, goal: `Goal ${randomUUID()}`, note: `Note ${randomUUID()}` };
const kept = `Kept ${randomUUID()}`;

const services: Record<string, RunningService> = {};
let browser: Browser | undefined;
let origin: Awaited<ReturnType<typeof startWebOrigin>> | undefined;
const started = Date.now();
const http = (name: string) => httpClient(services[name].url);
const as: Record<string, Actor> = {};
let connection: Connection;
let dialogueId: string;
let meetingId: string;
const dbOf = (service: string) => connection.useDb(`${namespace.replace(/-/g, '_')}_${service}`, { useCache: true });

async function exportOf(learnerId: string): Promise<AuditExportBundle> {
  const parts: AuditExportPart[] = [];
  for (const service of SERVICES) parts.push((await http(service).get(`/learners/${learnerId}/audit-export`, as['admin'])).body);
  return joinExportParts(parts);
}

/** `npm run verify -- <service>` as an auditor would run it: both stores of the service */
const verifyStores = (service: string) => spawnSync(process.execPath, ['-r', '@swc-node/register', 'infra/verify.ts', service], {
  cwd: WORKSPACE, encoding: 'utf8', env: { ...process.env, MONGO_URL: testServers().mongoUrl, CBME_NAMESPACE: namespace, MONGO_DB: '' },
});

function verifyExport(bundle: AuditExportBundle, name: string) {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(bundle));
  return spawnSync(process.execPath, ['-r', '@swc-node/register', 'infra/verify-export.ts', file], { cwd: WORKSPACE, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
}

/** Every document of every collection of the four databases (or of those `only` names), as JSON. */
async function everythingStored(only?: (collection: string) => boolean): Promise<string> {
  const all: string[] = [];
  for (const service of SERVICES) {
    const { db } = dbOf(service);
    if (!db) throw new Error(`no database for ${service}`);
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      if (!only || only(name)) all.push(JSON.stringify(await db.collection(name).find({}).toArray()));
    }
  }
  return all.join('\n');
}
const STORES = new Set(['events', 'events_positions', 'inbox', 'inbox_positions']);

const timelineTexts = async (actor: Actor) => JSON.stringify((await http('feedback').get('/learners/lea-1/timeline?pageSize=200', actor)).body.items);

beforeAll(async () => {
  connection = await mongoose.createConnection(testServers().mongoUrl).asPromise();
  const webRoot = ensureWebBuilt();
  Object.assign(services, await startPlatform(env, { BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL, BOOTSTRAP_ADMIN_PASSWORD: PASSWORD }));
  origin = await startWebOrigin(urlsOf(services as PlatformServices), { port: await freePort(), webRoot });
  browser = await launchBrowser();
  Object.assign(as, await openSchoolWith(services['identity'], { adminEmail: ADMIN_EMAIL, password: PASSWORD, schoolId: SCHOOL, people: PEOPLE, domain: 'erase.example' }));
  await waitFor(async () => expect((await http('coaching').post('/relationships', as['lead-1'], { learnerId: 'lea-1', coachId: 'coa-1' })).status).toBe(201), { timeoutMs: 60_000 });
  const booked = await http('coaching').post('/meetings', as['coa-1'], { learnerId: 'lea-1', startsAt: new Date(Date.now() + 2_000).toISOString(), durationMinutes: 30 });
  expect(booked.status).toBe(201);
  meetingId = booked.body.meetingId;
  await waitFor(async () => expect((await http('coaching').post(`/meetings/${meetingId}/held`, as['coa-1'], { agenda: ['Handover'], notes: [{ text: unique.note, visibility: 'shared-with-learner' }] })).status).toBe(200), { timeoutMs: 30_000 });
  const opened = await waitFor(async () => {
    const response = await http('feedback').post('/dialogues', as['lea-1'], { coachId: 'coa-1', topic: unique.topic, competencies: ['ICS'] });
    expect(response.status).toBe(201);
    return response.body;
  }, { timeoutMs: 60_000 });
  dialogueId = opened.dialogueId;
  expect((await http('feedback').post(`/dialogues/${dialogueId}/entries`, as['lea-1'], { text: unique.entry, visibility: 'shared' })).status).toBe(201);
  expect((await http('feedback').post('/goals', as['lea-1'], { description: unique.goal, competencies: ['ICS'], targetDate: '2027-06-30' })).status).toBe(201);
  // another learner's text stays
  await waitFor(async () => expect((await http('feedback').post('/goals', as['lea-2'], { description: kept, competencies: ['ICS'], targetDate: '2027-06-30' })).status).toBe(201), { timeoutMs: 60_000 });
}, 300_000);

afterAll(async () => {
  await connection?.close();
  await endJourney('erasure', started, { browser, origin, services, namespace });
});

describe('erasing a learner', () => {
  it('keeps every chain and an earlier export verifying, shows "[erased]", and leaves the texts in no collection of any service', async () => {
    await waitFor(async () => {
      const texts = await timelineTexts(as['lea-1']);
      for (const text of [unique.topic, unique.entry, unique.goal]) expect(texts).toContain(text);
    }, { timeoutMs: 60_000 });
    const before = await waitFor(async () => {
      const bundle = await exportOf('lea-1');
      expect(bundle.parts.find((p) => p.service === 'feedback')?.streams.length).toBeGreaterThan(0);
      return bundle;
    }, { timeoutMs: 60_000 });
    // sealed before they were hashed: the stores (own events and inbox copies) never held the texts in the clear
    const stores = await everythingStored((name) => STORES.has(name));
    expect(stores).toContain('pii1:');
    for (const text of Object.values(unique)) expect(stores).not.toContain(text);
    expect(await everythingStored()).toContain(unique.entry);
    const activity = async () => (await http('analytics').get(`/schools/${SCHOOL}/activity`, as['admin'])).body;
    const countsBefore = await activity();

    expect((await http('identity').post('/users/lea-1/erase', as['lead-1'], { confirm: 'lea-1' })).status).toBe(403);
    expect((await http('identity').post('/users/lea-1/erase', as['admin'], { confirm: 'lea-2' })).status).toBe(422);
    // the institution admin erases from the learner's audit page, confirming with the id
    if (!origin || !browser) throw new Error('no web origin or browser');
    const web = origin.url.replace(/\/$/, '');
    const { page, problems } = await openPage(browser, web);
    await signIn(page, web, ADMIN_EMAIL, PASSWORD, `/institution/audit/${SCHOOL}/learners/lea-1`);
    await settled(page);
    await page.getByRole('button', { name: 'Erase lea-1' }).click();
    const dialog = page.getByRole('dialog', { name: "Erase lea-1's personal data?" });
    await dialog.getByLabel("Type the learner's id to confirm").fill('lea-1');
    const accessibility = await accessibilityProblems(page);
    await screenshot(page, 'admin-erase-learner-1280');
    await dialog.getByRole('button', { name: 'Erase for good' }).click();
    await page.getByRole('status').filter({ hasText: 'lea-1 is erased' }).waitFor();
    await page.setViewportSize({ width: 375, height: 800 });
    accessibility.push(...(await accessibilityProblems(page)));
    await screenshot(page, 'admin-erase-learner-375');
    expect(accessibility).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
    expect((await http('identity').post('/users/lea-1/erase', as['admin'], { confirm: 'lea-1' })).status).toBe(409);

    await waitFor(async () => {
      const texts = await timelineTexts(as['admin']);
      expect(texts).toContain('[erased]');
      for (const text of Object.values(unique)) expect(texts).not.toContain(text);
    }, { timeoutMs: 120_000, intervalMs: 1_000 });
    const meeting = await waitFor(async () => {
      const body = (await http('coaching').get(`/meetings/${meetingId}`, as['coa-1'])).body;
      expect(JSON.stringify(body)).toContain('[erased]');
      return body;
    }, { timeoutMs: 60_000 });
    expect(JSON.stringify(meeting)).not.toContain(unique.note);
    // every read model rebuilt: nothing of the learner's text in any collection of any service, the other learner's kept
    const after = await waitFor(async () => {
      const all = await everythingStored();
      for (const text of Object.values(unique)) expect(all).not.toContain(text);
      return all;
    }, { timeoutMs: 120_000, intervalMs: 2_000 });
    expect(after).toContain(kept);
    expect(await activity()).toEqual(countsBefore);

    for (const service of SERVICES) {
      const verified = verifyStores(service);
      expect(verified).toMatchObject({ status: 0, stdout: expect.stringMatching(/\.events: verified: \d+ events/) });
      if (service !== 'identity') expect(verified.stdout).toMatch(/\.inbox: verified: \d+ events/);
    }
    expect(verifyExport(before, 'before')).toMatchObject({ status: 0, stdout: expect.stringMatching(/^verified: /) });
    expect(verifyExport(await exportOf('lea-1'), 'after')).toMatchObject({ status: 0, stdout: expect.stringMatching(/^verified: /) });
  }, 600_000);

  it('leaves none of the learner\'s strings readable on any topic: published personal fields are sealed, and their keys tombstoned', async () => {
    const kafka = new Kafka({ clientId: `${namespace}-reader`, brokers: testServers().kafkaBrokers, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `${namespace}-reader` });
    const seen: string[] = [];
    /** the latest record of each subject on each key topic: a wrapped key, or null (a tombstone) */
    const latestKeys = new Map<string, string | null>();
    const keyTopics = (['identity', 'feedback'] as const).map((c) => transportKeysTopic(namespace, c));
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [...CONTEXTS.map((c) => eventsTopic(namespace, c)), ...keyTopics], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ topic, message }) => {
          seen.push(message.value?.toString() ?? '');
          if (keyTopics.includes(topic)) latestKeys.set(`${topic}:${message.key?.toString()}`, message.value?.toString() ?? null);
        },
      });
      await waitFor(() => {
        expect(seen.join('\n')).toContain('identity.subject-erased');
        for (const topic of keyTopics) expect(latestKeys.get(`${topic}:lea-1`)).toBeNull();
      }, { timeoutMs: 60_000 });
      // the other learner's key is still there: only the erased one's is gone
      for (const topic of keyTopics) expect(latestKeys.get(`${topic}:lea-2`)).toEqual(expect.stringMatching(/^pii1:/));
      for (const text of [...Object.values(unique), 'lea-1@erase.example', kept]) expect(seen.join('\n')).not.toContain(text);
      expect(seen.join('\n')).toContain('"description":"tpt1:');
    } finally {
      await consumer.disconnect();
    }
  }, 120_000);
});
