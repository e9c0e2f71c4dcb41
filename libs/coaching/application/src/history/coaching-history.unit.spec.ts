import { EventMetadata, Role } from '@cbme/contracts';
import { AppendResult, applyHistory, HistoryLine, InMemoryEventStore, InMemoryHistoryLedger, StreamAppend, validateHistory } from '@cbme/event-sourcing';
import { coachingCatalog } from '../coaching-catalog';
import { CoachingSettings, Directory, Relationships } from '../coaching.ports';
import { CoachingHistoryImporter } from './coaching-history.importer';

const ROLES = new Map<string, Role[]>([['lea-1', ['learner']], ['lea-2', ['learner']], ['coa-1', ['coach']], ['coa-2', ['coach']]]);
const directory: Directory = { rolesOf: async (_school, userId) => ROLES.get(userId) ?? [], contactOf: async () => null, displayNamesOf: async () => new Map() };
const relationships = { list: async () => [] } as unknown as Relationships;
// every coach is full today: history is not judged by today's capacity
const settings = { capacityOf: async () => 0 } as unknown as CoachingSettings;

const metadata: EventMetadata = {
  occurredAt: '2026-11-30T10:00:00.000Z', tenant: { institutionId: 'inst', schoolId: 'medicine' }, actor: { userId: 'sa-1', role: 'school-admin' }, correlationId: 'req-1', causationId: null,
};
async function* linesOf(records: (object | string)[]): AsyncGenerator<HistoryLine> {
  for (const [i, r] of records.entries()) yield { line: i + 1, text: typeof r === 'string' ? r : JSON.stringify(r) };
}

const assign = (over: object = {}) => ({ kind: 'relationship-assigned', sourceId: 'r-1', occurredAt: '2023-09-01T09:00:00.000Z', relationshipId: 'rel-1', learnerId: 'lea-1', coachId: 'coa-1', ...over });
const schedule = (over: object = {}) => ({ kind: 'meeting-scheduled', sourceId: 'm-1', occurredAt: '2023-09-05T09:00:00.000Z', meetingId: 'm-1', learnerId: 'lea-1', startsAt: '2023-09-20T10:00:00.000Z', durationMinutes: 30, ...over });
const held = (over: object = {}) => ({ kind: 'meeting-held', sourceId: 'm-1-held', occurredAt: '2023-09-20T11:00:00.000Z', meetingId: 'm-1', agenda: [], notes: [{ text: 'went well', visibility: 'coach-only' }], ...over });
const ended = (over: object = {}) => ({ kind: 'relationship-ended', sourceId: 'e-1', occurredAt: '2023-12-01T09:00:00.000Z', learnerId: 'lea-1', reason: 'withdrawn', ...over });

describe('validateHistory over coaching records: the same handlers and deciders on a dry-run store', () => {
  let store: InMemoryEventStore;
  let ledger: InMemoryHistoryLedger;
  const validate = (records: (object | string)[]) =>
    validateHistory(linesOf(records), new CoachingHistoryImporter(coachingCatalog(), directory, relationships, settings), { store, ledger }, { importId: 'imp-1', fileSha256: 'f'.repeat(64), metadata });

  beforeEach(() => {
    store = new InMemoryEventStore();
    ledger = new InMemoryHistoryLedger();
  });

  it('accepts a consistent history (capacity of today not judged) and writes nothing', async () => {
    const result = await validate([assign(), schedule(), held(), ended(), assign({ sourceId: 'r-2', relationshipId: 'rel-2', learnerId: 'lea-2' })]);
    expect(result).toEqual({ lines: 5, valid: 5, alreadyImported: 0, errors: [], newStreams: new Set(['coaching-learner-medicine-lea-1', 'coaching-meeting-medicine-m-1', 'coaching-learner-medicine-lea-2']) });
    expect(await store.headPosition()).toBe(0);
  });

  it('judges each record at its own date: dates out of order in a stream, a meeting held after its relationship ended, booked in the past', async () => {
    const result = await validate([
      assign(),
      ended({ occurredAt: '2023-08-01T09:00:00.000Z' }),
      schedule(),
      ended({ sourceId: 'e-2', occurredAt: '2023-09-10T09:00:00.000Z' }),
      held(),
      schedule({ sourceId: 'm-2', meetingId: 'm-2', startsAt: '2023-09-01T10:00:00.000Z' }),
    ]);
    expect(result.errors).toEqual([
      { line: 2, sourceId: 'e-1', reasons: ['dates out of order: 2023-08-01T09:00:00.000Z is before 2023-09-01T09:00:00.000Z, the date of this stream\'s last event'] },
      { line: 5, sourceId: 'm-1-held', reasons: ['a meeting cannot be recorded as held for a relationship that had ended before it started (2023-09-20T10:00:00.000Z)'] },
      { line: 6, sourceId: 'm-2', reasons: ['a meeting cannot be scheduled in the past (2023-09-01T10:00:00.000Z)'] },
    ]);
    expect(result.valid).toBe(3);
  });

  it('a meeting booked while the relationship was active is judged by it even when a later end comes first in the file', async () => {
    const result = await validate([assign(), ended(), schedule(), held()]);
    expect(result.errors).toEqual([]);
  });

  it('reports unknown people, all reasons of a line, and duplicate sourceIds with different content', async () => {
    const result = await validate([
      assign({ learnerId: 'lea-9', coachId: 'coa-9' }),
      '{"kind":',
      assign({ sourceId: 'r-3', learnerId: 'lea-2' }),
      assign({ sourceId: 'r-3', learnerId: 'lea-2', coachId: 'coa-2' }),
      assign({ sourceId: 'r-3', learnerId: 'lea-2' }),
    ]);
    expect(result.errors).toEqual([
      { line: 1, sourceId: 'r-1', reasons: ['unknown learner lea-9 (no learner with that id in this school)', 'unknown coach coa-9 (no coach with that id in this school)'] },
      { line: 2, reasons: [expect.stringMatching(/^malformed JSON/)] },
      { line: 4, sourceId: 'r-3', reasons: ['duplicate sourceId r-3 with different content (line 3)'] },
    ]);
    // the same record twice in a file is one record
    expect(result).toMatchObject({ valid: 1, alreadyImported: 1 });
  });

  it('a record applied before under its sourceId is already imported; different content under it is refused', async () => {
    await ledger.begin({ batchId: 'b-0', schoolId: 'medicine', importId: 'imp-0', fileSha256: 'f'.repeat(64), applied: true, entries: [{ sourceId: 'r-1', contentHash: 'x'.repeat(64), streamId: 's', fromVersion: 0 }] });
    const result = await validate([assign()]);
    expect(result.errors).toEqual([{ line: 1, sourceId: 'r-1', reasons: ['duplicate sourceId r-1 with different content (imported before)'] }]);
  });
});

describe('applyHistory over coaching records: batches of records, one commit per stream, resumable', () => {
  const importer = () => new CoachingHistoryImporter(coachingCatalog(), directory, relationships, settings);
  const context = { importId: 'imp-1', fileSha256: 'f'.repeat(64), metadata, validOnly: false, skipLines: new Set<number>() };
  const file = [assign(), schedule(), held(), ended(), assign({ sourceId: 'r-2', relationshipId: 'rel-2', learnerId: 'lea-2' })];

  it('writes each batch as one commit per stream, in the ledger as one applied batch, with the original dates', async () => {
    const store = new InMemoryEventStore();
    const ledger = new InMemoryHistoryLedger();
    const reported: number[] = [];
    const result = await applyHistory(linesOf(file), importer(), { store, catalog: coachingCatalog(), ledger, context: 'coaching' },
      { ...context, total: 5, batchSize: 3 }, async (p) => void reported.push(p.processed));
    expect(result).toMatchObject({ processed: 5, applied: 5, alreadyImported: 0, failed: 0, errors: [] });
    expect(reported).toEqual([3, 5, 5]);
    const commits = (await store.readCommitsAfter(0, 100)).filter((c) => !c.streamId.includes('history-import'));
    // batch 1: lea-1's assignment with its meeting; batch 2: lea-1's end (a commit of its own), lea-2's assignment
    expect(commits.map((c) => [c.streamId, c.events.map((e) => e.type)])).toEqual([
      ['coaching-learner-medicine-lea-1', ['coaching.coach-assigned']],
      ['coaching-meeting-medicine-m-1', ['coaching.meeting-scheduled', 'coaching.meeting-held']],
      ['coaching-learner-medicine-lea-1', ['coaching.relationship-ended']],
      ['coaching-learner-medicine-lea-2', ['coaching.coach-assigned']],
    ]);
    expect(commits[1].events.map((e) => e.occurredAt)).toEqual(['2023-09-05T09:00:00.000Z', '2023-09-20T11:00:00.000Z']);
    expect(ledger.batches.map((b) => [b.applied, b.entries.map((e) => e.sourceId)])).toEqual([[true, ['r-1', 'm-1', 'm-1-held']], [true, ['e-1', 'r-2']]]);
  });

  it('after a job died between writing a batch and marking it, a second run finds the records in their streams and writes nothing twice', async () => {
    const store = new InMemoryEventStore();
    const ledger = new InMemoryHistoryLedger();
    // the first run dies right after its first batch append: the ledger batch is begun but never marked
    const dying = Object.assign(Object.create(store) as InMemoryEventStore, {
      appendBatch: async (appends: StreamAppend[]): Promise<AppendResult[]> => {
        await store.appendBatch(appends);
        throw new Error('killed');
      },
    });
    await expect(applyHistory(linesOf(file), importer(), { store: dying, catalog: coachingCatalog(), ledger, context: 'coaching' },
      { ...context, total: 5, batchSize: 3 }, async () => undefined)).rejects.toThrow('killed');
    expect(ledger.batches.map((b) => b.applied)).toEqual([false]);

    const again = await applyHistory(linesOf(file), importer(), { store, catalog: coachingCatalog(), ledger, context: 'coaching' },
      { ...context, total: 5, batchSize: 3 }, async () => undefined);
    expect(again).toMatchObject({ processed: 5, applied: 2, alreadyImported: 3, failed: 0 });
    const domain = (await store.readCommitsAfter(0, 100)).filter((c) => !c.streamId.includes('history-import')).flatMap((c) => c.events);
    expect(domain.map((e) => e.type)).toEqual(['coaching.coach-assigned', 'coaching.meeting-scheduled', 'coaching.meeting-held', 'coaching.relationship-ended', 'coaching.coach-assigned']);
    // the records found written are noted in an applied batch of their own, and named once in the import's stream
    expect((await ledger.entriesOf('medicine')).size).toBe(5);
    expect([...(await ledger.entriesOf('medicine')).values()].every((e) => e.applied)).toBe(true);
    const log = (await store.readStream('coaching-history-import-medicine-imp-1')).filter((e) => e.type === 'coaching.history-record-imported');
    expect(log.flatMap((e) => (e.data as { records: { sourceId: string }[] }).records.map((r) => r.sourceId)).sort()).toEqual(['e-1', 'm-1', 'm-1-held', 'r-1', 'r-2']);
  });
});
