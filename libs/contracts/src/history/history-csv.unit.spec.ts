import { COACHING_HISTORY_KINDS } from './coaching-history.records';
import { HistoryCsvOptions, HistoryCsvRow, historyCsvRows } from './history-csv';
import { contentHashOf, parseHistoryLine } from './history-record';

async function rows(text: string, options: Partial<HistoryCsvOptions> = {}, chunkSize = text.length || 1): Promise<HistoryCsvRow[]> {
  const encoded = new TextEncoder().encode(text);
  async function* chunks() {
    for (let i = 0; i < encoded.length; i += chunkSize) yield encoded.slice(i, i + chunkSize);
  }
  const out: HistoryCsvRow[] = [];
  for await (const row of historyCsvRows(chunks(), { kinds: COACHING_HISTORY_KINDS, ...options })) out.push(row);
  return out;
}

const MIXED = [
  'kind,sourceId,occurredAt,relationshipId,learnerId,coachId,meetingId,startsAt,durationMinutes,location,reason,agenda',
  'relationship-assigned,r-1,2023-01-10T09:00:00Z,rel-1,lea-1,coa-1,,,,,,',
  'meeting-scheduled,m-1-booked,2023-01-12T09:00:00Z,,lea-1,,m-1,2023-01-20T10:00:00Z,45,"Room 2.14, east wing",,',
  'meeting-held,m-1-held,2023-01-20T11:00:00Z,,,,m-1,,,,,first rotation; exam plan',
  'meeting-missed,m-2-missed,2023-02-15T11:00:00Z,,,,m-2,,,,on call,',
].join('\n');

describe('historyCsvRows', () => {
  it('reads each row into the record JSON Lines would hold (numbers, lists, empty cells left out), with its line number', async () => {
    const read = await rows(MIXED);
    expect(read).toEqual([
      { line: 2, record: { kind: 'relationship-assigned', sourceId: 'r-1', occurredAt: '2023-01-10T09:00:00Z', relationshipId: 'rel-1', learnerId: 'lea-1', coachId: 'coa-1' } },
      { line: 3, record: { kind: 'meeting-scheduled', sourceId: 'm-1-booked', occurredAt: '2023-01-12T09:00:00Z', learnerId: 'lea-1', meetingId: 'm-1', startsAt: '2023-01-20T10:00:00Z', durationMinutes: 45, location: 'Room 2.14, east wing' } },
      // a meeting held without notes: the notes are an empty list, as `"notes":[]`
      { line: 4, record: { kind: 'meeting-held', sourceId: 'm-1-held', occurredAt: '2023-01-20T11:00:00Z', meetingId: 'm-1', agenda: ['first rotation', 'exam plan'], notes: [] } },
      { line: 5, record: { kind: 'meeting-missed', sourceId: 'm-2-missed', occurredAt: '2023-02-15T11:00:00Z', meetingId: 'm-2', reason: 'on call' } },
    ]);
    // every one passes the JSON Lines check, with the hash the same record sent as JSON would have
    for (const row of read) {
      const record = 'record' in row ? row.record : {};
      const parsed = parseHistoryLine(JSON.stringify(record), COACHING_HISTORY_KINDS);
      expect(parsed).toMatchObject({ ok: true, contentHash: contentHashOf(record) });
    }
  });

  it('takes the kind of every row from ?kind= when the file has no kind column, and refuses a row of another kind', async () => {
    const csv = 'sourceId,occurredAt,meetingId,reason\nx-1,2023-02-15T11:00:00Z,m-2,on call\n';
    expect(await rows(csv, { kind: 'meeting-missed' })).toEqual([
      { line: 2, record: { kind: 'meeting-missed', sourceId: 'x-1', occurredAt: '2023-02-15T11:00:00Z', meetingId: 'm-2', reason: 'on call' } },
    ]);
    expect(await rows('kind,sourceId,meetingId\nmeeting-cancelled,x-2,m-3\n', { kind: 'meeting-missed' })).toEqual([
      { line: 2, sourceId: 'x-2', reasons: ['kind meeting-cancelled is not the file\'s kind meeting-missed (?kind=)'] },
    ]);
  });

  it('keeps the CSV line numbers through CRLF, a byte-order mark, blank lines, quoted line breaks and any chunking', async () => {
    const csv = '\ufeffkind,sourceId,occurredAt,meetingId,reason\r\nmeeting-missed,a,2023-01-01T09:00:00Z,m-1,"two\r\nlines"\r\n\r\nmeeting-missed,b,2023-01-02T09:00:00Z,m-2,é\r\n';
    const expected = [
      { line: 2, record: { kind: 'meeting-missed', sourceId: 'a', occurredAt: '2023-01-01T09:00:00Z', meetingId: 'm-1', reason: 'two\nlines' } },
      { line: 5, record: { kind: 'meeting-missed', sourceId: 'b', occurredAt: '2023-01-02T09:00:00Z', meetingId: 'm-2', reason: 'é' } },
    ];
    expect(await rows(csv)).toEqual(expected);
    // one byte at a time: a CRLF and the two bytes of "é" fall across chunks
    expect(await rows(csv, {}, 1)).toEqual(expected);
  });

  it('refuses a row with too few or too many cells, and notes in a cell (they hold objects)', async () => {
    const csv = 'kind,sourceId,occurredAt,meetingId,agenda,notes\nmeeting-held,h-1,2023-01-20T11:00:00Z,m-1\nmeeting-held,h-2,2023-01-20T11:00:00Z,m-1,a,talked\n';
    expect(await rows(csv)).toEqual([
      { line: 2, sourceId: 'h-1', reasons: ['the row has 4 cells; the header has 6'] },
      { line: 3, sourceId: 'h-2', reasons: ['notes holds objects, which a CSV cell cannot: send meeting-held records with notes as JSON Lines'] },
    ]);
  });

  it('leaves a bad value to the schema check: a duration that is not a number stays text', async () => {
    const [row] = await rows('kind,sourceId,occurredAt,meetingId,learnerId,startsAt,durationMinutes\nmeeting-scheduled,s-1,2023-01-12T09:00:00Z,m-1,lea-1,2023-01-20T10:00:00Z,forty\n');
    expect(row).toMatchObject({ line: 2, record: { durationMinutes: 'forty' } });
    const parsed = parseHistoryLine(JSON.stringify('record' in row ? row.record : {}), COACHING_HISTORY_KINDS);
    expect(!parsed.ok && parsed.reasons).toEqual(expect.arrayContaining(['durationMinutes must be an integer number']));
  });

  it('says what is wrong with an unusable header, or an empty file, and reads no further', async () => {
    expect(await rows('sourceId,occurredAt,sourceId,\nx,y,z,w\n')).toEqual([{
      line: 1, unreadable: true,
      reasons: ['column sourceId is named twice', 'column 4 of the header has no name', 'the header has no kind column: add one, or name the kind of every row with ?kind='],
    }]);
    expect(await rows('')).toEqual([{ line: 1, unreadable: true, reasons: [expect.stringContaining('the file is empty')] }]);
  });

  it('stops at a line that is not CSV (a stray quote), naming it, after the rows before it', async () => {
    const read = await rows('kind,sourceId,occurredAt,meetingId\nmeeting-missed,a,2023-01-01T09:00:00Z,m-1\nmeeting-missed,"b"x,2023-01-01T09:00:00Z,m-1\nmeeting-missed,c,2023-01-01T09:00:00Z,m-1\n');
    expect(read).toEqual([
      { line: 2, record: expect.objectContaining({ sourceId: 'a' }) },
      { line: 3, unreadable: true, reasons: [expect.stringMatching(/^not CSV from this line on \(nothing after it was read\): Invalid Closing Quote/)] },
    ]);
    // a quote left open runs to the end of the file
    expect(await rows('kind,sourceId,occurredAt,meetingId\nmeeting-missed,a,2023-01-01T09:00:00Z,m-1\nmeeting-missed,"b,2023-01-01T09:00:00Z,m-1\nmeeting-missed,c\n')).toEqual([
      { line: 2, record: expect.objectContaining({ sourceId: 'a' }) },
      { line: 3, unreadable: true, reasons: [expect.stringContaining('Quote Not Closed')] },
    ]);
  });

  it('stops at a row longer than any record can be (a quote left open in a large file), not holding the file', async () => {
    const read = await rows(`kind,sourceId,occurredAt,meetingId\nmeeting-missed,a,2023-01-01T09:00:00Z,m-1\nmeeting-missed,"${'x'.repeat(1_200_000)}\n`, {}, 65_536);
    expect(read).toEqual([
      { line: 2, record: expect.objectContaining({ sourceId: 'a' }) },
      { line: 3, unreadable: true, reasons: [expect.stringContaining('Max Record Size')] },
    ]);
  });

  it('streams: reading the first rows of an endless file pulls only a few chunks of it', async () => {
    let pulled = 0;
    async function* endless() {
      yield 'kind,sourceId,occurredAt,meetingId\n';
      for (let i = 0; ; i++) {
        pulled++;
        yield `meeting-missed,m-${i},2023-01-01T09:00:00Z,m-${i}\n`;
      }
    }
    const first: HistoryCsvRow[] = [];
    for await (const row of historyCsvRows(endless(), { kinds: COACHING_HISTORY_KINDS })) {
      first.push(row);
      if (first.length === 3) break;
    }
    expect(first.map((r) => r.line)).toEqual([2, 3, 4]);
    // the stream buffers ahead by its high-water marks (16 records, 16 KiB), not the file
    expect(pulled).toBeLessThan(1000);
  });
});
