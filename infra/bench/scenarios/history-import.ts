import { CoachingHistoryImporter, coachingCatalog, CoachingSettings, Directory, Relationships } from '@cbme/coaching-application';
import { EventMetadata, Role } from '@cbme/contracts';
import { MongoEventStore, MongoHistoryLedger, runHistoryImport } from '@cbme/event-sourcing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { BenchContext, ratio, ScenarioResult } from '../context';
import { perSecond, round } from '../stats';

const DAY = 86_400_000;
const MEETINGS_PER_LEARNER = 20;

/**
 * 10. History import: a file of relationships and meetings (grouped by learner, as the demo writes it) validated on a
 * dry run and applied in batches, through coaching's real handlers and deciders on the real store (the directory is
 * an in-memory map here: the HTTP path adds the upload and identity's read model, see scenario 4). Limit: raw
 * insertMany of the same number of commit-sized documents.
 */
export async function historyImport(ctx: BenchContext): Promise<ScenarioResult> {
  const learners = ctx.quick ? 50 : 300;
  const schoolId = `bench-${randomUUID().slice(0, 8)}`;
  const roles = new Map<string, Role[]>();
  const records: object[] = [];
  const start = Date.parse('2022-09-05T09:00:00.000Z');
  for (let l = 0; l < learners; l++) {
    const learnerId = `lea-${l}`;
    const coachId = `coa-${l % 40}`;
    roles.set(learnerId, ['learner']);
    roles.set(coachId, ['coach']);
    records.push({ kind: 'relationship-assigned', sourceId: `r-${l}`, occurredAt: new Date(start).toISOString(), relationshipId: `rel-${l}`, learnerId, coachId });
    for (let m = 0; m < MEETINGS_PER_LEARNER; m++) {
      const booked = start + (m * 42 + 1) * DAY;
      const meetingId = `m-${l}-${m}`;
      records.push({ kind: 'meeting-scheduled', sourceId: `${meetingId}-s`, occurredAt: new Date(booked).toISOString(), meetingId, learnerId, startsAt: new Date(booked + 7 * DAY).toISOString(), durationMinutes: 45 });
      records.push(m % 7 === 3
        ? { kind: 'meeting-missed', sourceId: `${meetingId}-x`, occurredAt: new Date(booked + 7 * DAY + 3_600_000).toISOString(), meetingId, reason: 'on call' }
        : { kind: 'meeting-held', sourceId: `${meetingId}-h`, occurredAt: new Date(booked + 7 * DAY + 3_600_000).toISOString(), meetingId, agenda: ['rotation'], notes: [{ text: 'Talked through the week.', visibility: 'shared-with-learner' }] });
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-history-'));
  const path = join(dir, 'history.jsonl');
  writeFileSync(path, records.map((r) => JSON.stringify(r)).join('\n'));
  const directory: Directory = { rolesOf: async (_s, userId) => roles.get(userId) ?? [], contactOf: async () => null, displayNamesOf: async () => new Map() };
  const importer = new CoachingHistoryImporter(coachingCatalog(), directory, { list: async () => [] } as unknown as Relationships, { capacityOf: async () => 100 } as unknown as CoachingSettings);
  const store = new MongoEventStore(ctx.scratch, { collection: `history_${Date.now()}` });
  await store.init();
  const ledger = new MongoHistoryLedger(ctx.scratch);
  const metadata: EventMetadata = { occurredAt: new Date().toISOString(), tenant: { institutionId: 'bench', schoolId }, actor: { userId: 'bench-admin', role: 'school-admin' }, correlationId: randomUUID(), causationId: null };
  const request = { importId: randomUUID(), path, fileSha256: 'f'.repeat(64), metadata, validOnly: false };

  ctx.log(`history import: ${records.length} records (${learners} learners)`);
  const started = performance.now();
  let validatedAt = 0;
  const outcome = await runHistoryImport(request, importer, { store, catalog: coachingCatalog(), ledger, context: 'coaching' }, async (p) => {
    if (p.phase === 'applying' && !validatedAt) validatedAt = performance.now();
  });
  const applied = performance.now();
  rmSync(dir, { recursive: true, force: true });
  if (outcome.phase !== 'completed' || outcome.progress.applied !== records.length) throw new Error(`bench import incomplete: ${JSON.stringify(outcome.errors.slice(0, 3))}`);
  const validateMs = validatedAt - started;
  const applyMs = applied - validatedAt;
  const events = (await store.readCommitsAfter(0, 1_000_000)).filter((c) => !c.streamId.includes('history-import')).reduce((n, c) => n + c.events.length, 0);

  // the limit: as many commit-sized documents, inserted in batches of 500 straight through the driver
  const raw = ctx.scratch.collection(`history_raw_${Date.now()}`);
  const sample = (await store.readStream(`coaching-meeting-${schoolId}-m-0-0`))[0];
  const docs = Array.from({ length: events }, (_, i) => ({ _id: `raw-${i}`, streamId: 'x', from: 1, to: 1, committedAt: new Date(), events: [sample] }));
  const rawStarted = performance.now();
  for (let i = 0; i < docs.length; i += 500) await raw.insertMany(docs.slice(i, i + 500) as never[]);
  const rawRate = perSecond(docs.length, performance.now() - rawStarted);

  const validateRate = perSecond(records.length, validateMs);
  const applyRate = perSecond(events, applyMs);
  return {
    rows: [
      { scenario: '10 history import', measure: `validate ${records.length} records (dry run)`, ours: `${round(validateRate)} records/s (${round(validateMs / 1000)} s)`, limit: '-', ratio: '-' },
      { scenario: '10 history import', measure: `apply: ${outcome.progress.applied} records -> ${events} events`, ours: `${round(applyRate)} events/s (${round(applyMs / 1000)} s)`, limit: `${round(rawRate)} docs/s insertMany`, ratio: ratio(applyRate, rawRate) },
    ],
    data: { records: records.length, events, validateMs, applyMs, validateRate, applyRate, rawRate, progress: outcome.progress },
  };
}
