import { EventMetadata, Role } from '@cbme/contracts';
import { HistoryLedger, HistoryLedgerEntry, HistoryLine, InMemoryEventStore, validateHistory } from '@cbme/event-sourcing';
import { CommandBus } from '@nestjs/cqrs';
import { coachingCatalog } from '../coaching-catalog';
import { CoachingSettings, Directory, Relationships } from '../coaching.ports';
import { CoachingHistoryImporter } from './coaching-history.importer';

const ROLES = new Map<string, Role[]>([['lea-1', ['learner']], ['lea-2', ['learner']], ['coa-1', ['coach']], ['coa-2', ['coach']]]);
const directory: Directory = { rolesOf: async (_school, userId) => ROLES.get(userId) ?? [], contactOf: async () => null, displayNamesOf: async () => new Map() };
const relationships = { list: async () => [] } as unknown as Relationships;
// every coach is full today: history is not judged by today's capacity
const settings = { capacityOf: async () => 0 } as unknown as CoachingSettings;

class MemoryLedger implements HistoryLedger {
  readonly entries = new Map<string, HistoryLedgerEntry>();
  async get(schoolId: string, sourceId: string) {
    return this.entries.get(`${schoolId}:${sourceId}`) ?? null;
  }
  async begin(entry: HistoryLedgerEntry) {
    this.entries.set(`${entry.schoolId}:${entry.sourceId}`, entry);
  }
  async markApplied(schoolId: string, sourceId: string) {
    const entry = this.entries.get(`${schoolId}:${sourceId}`);
    if (entry) entry.applied = true;
  }
}

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
  let ledger: MemoryLedger;
  const validate = (records: (object | string)[]) =>
    validateHistory(linesOf(records), new CoachingHistoryImporter(null as unknown as CommandBus, coachingCatalog(), directory, relationships, settings), { store, ledger }, { importId: 'imp-1', fileSha256: 'f'.repeat(64), metadata });

  beforeEach(() => {
    store = new InMemoryEventStore();
    ledger = new MemoryLedger();
  });

  it('accepts a consistent history (capacity of today not judged) and writes nothing', async () => {
    const result = await validate([assign(), schedule(), held(), ended(), assign({ sourceId: 'r-2', relationshipId: 'rel-2', learnerId: 'lea-2' })]);
    expect(result).toEqual({ lines: 5, valid: 5, alreadyImported: 0, errors: [] });
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
    await ledger.begin({ schoolId: 'medicine', sourceId: 'r-1', contentHash: 'x'.repeat(64), importId: 'imp-0', fileSha256: 'f'.repeat(64), streamId: 's', fromVersion: 0, applied: true });
    const result = await validate([assign()]);
    expect(result.errors).toEqual([{ line: 1, sourceId: 'r-1', reasons: ['duplicate sourceId r-1 with different content (imported before)'] }]);
  });
});
