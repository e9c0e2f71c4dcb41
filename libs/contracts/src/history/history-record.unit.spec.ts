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
