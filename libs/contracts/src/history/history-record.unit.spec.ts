import { EventCatalog } from '../catalog';
import { historyImportEvents } from './history-import.events';
import { COACHING_HISTORY_KINDS } from './coaching-history.records';
import { contentHashOf, parseHistoryLine } from './history-record';

const assigned = { kind: 'relationship-assigned', sourceId: 'old-1', occurredAt: '2023-09-01T09:00:00.000Z', relationshipId: 'rel-1', learnerId: 'lea-1', coachId: 'coa-1' };
const parse = (line: string) => parseHistoryLine(line, COACHING_HISTORY_KINDS);

describe('parseHistoryLine', () => {
  it('reads a valid record, with a hash of its content that ignores key order', () => {
    const parsed = parse(JSON.stringify(assigned));
    expect(parsed).toMatchObject({ ok: true, record: assigned });
    const reordered = Object.fromEntries(Object.entries(assigned).reverse());
    expect(parsed.ok && parsed.contentHash).toBe(contentHashOf(reordered));
    expect(parsed.ok && parsed.contentHash).not.toBe(contentHashOf({ ...assigned, coachId: 'coa-2' }));
  });

  it('says a line is not JSON, or not an object', () => {
    expect(parse('{"kind": ')).toEqual({ ok: false, reasons: [expect.stringMatching(/^malformed JSON: /)] });
    expect(parse('[1,2]')).toEqual({ ok: false, reasons: ['a line must hold one JSON object'] });
  });

  it('names an unknown or missing kind, with the kinds it knows', () => {
    expect(parse(JSON.stringify({ ...assigned, kind: 'goal-set' }))).toMatchObject({ ok: false, sourceId: 'old-1', reasons: [expect.stringContaining('unknown kind "goal-set"; one of: relationship-assigned,')] });
    expect(parse(JSON.stringify({ sourceId: 'x' }))).toMatchObject({ ok: false, reasons: [expect.stringContaining('kind is missing')] });
  });

  it('gives every reason a record is bad, nested fields with their path, unknown fields refused', () => {
    const held = { kind: 'meeting-held', sourceId: 'has space', occurredAt: '2023-13-01', meetingId: 'm-1', agenda: 'x', notes: [{ text: '', visibility: 'public' }], room: 'B' };
    const parsed = parse(JSON.stringify(held));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reasons).toEqual(expect.arrayContaining([
      'sourceId must be 1 to 200 letters, digits or . _ : / -',
      'occurredAt must be an ISO 8601 date and time',
      'agenda must be an array',
      'notes.0.text should not be empty',
      expect.stringMatching(/^notes\.0\.visibility must be one of/),
      'room: property room should not exist',
    ]));
  });
});

describe('an import stream\'s record-imported event', () => {
  it('reads a v1 event (one record) as a v2 batch of one, and validates it', () => {
    const catalog = new EventCatalog(historyImportEvents('coaching'));
    const hash = 'a'.repeat(64);
    const v1 = {
      envelopeVersion: 2, eventId: '0b9a3c1e-4f5d-4a8e-9c1b-2d3e4f5a6b7c', type: 'coaching.history-record-imported', schemaVersion: 1, streamId: 'coaching-history-import-med-imp-1', streamVersion: 2,
      occurredAt: '2026-11-01T09:00:00.000Z', recordedAt: '2026-11-01T09:00:00.000Z', tenant: { institutionId: 'i', schoolId: 'med' }, actor: { userId: 'sa-1', role: 'school-admin' },
      correlationId: '3fa85f64-5717-4562-b3fc-2c963f66afa6', causationId: null,
      data: { importId: 'imp-1', fileSha256: hash, sourceId: 'old-1', contentHash: hash, streamId: 'coaching-learner-med-lea-1', streamVersion: 1 },
    };
    const parsed = catalog.parse(v1);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed).toMatchObject({
      ok: true,
      value: { schemaVersion: 2, data: { importId: 'imp-1', fileSha256: hash, records: [{ sourceId: 'old-1', contentHash: hash, streamId: 'coaching-learner-med-lea-1', streamVersion: 1 }] } },
    });
  });
});
