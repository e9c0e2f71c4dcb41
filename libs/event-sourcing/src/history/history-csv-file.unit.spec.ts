import { COACHING_HISTORY_KINDS } from '@cbme/contracts';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvAsHistoryLines } from './history-csv-file';
import { HistoryLine, historyLines } from './history-import';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'history-csv-')); });
afterAll(() => rm(dir, { recursive: true, force: true }));

async function convert(csv: string, kind?: string) {
  const csvPath = join(dir, `${Math.random()}.csv`);
  const jsonlPath = `${csvPath}.jsonl`;
  await writeFile(csvPath, csv);
  const conversion = await csvAsHistoryLines(csvPath, jsonlPath, { kinds: COACHING_HISTORY_KINDS, kind });
  const lines: HistoryLine[] = [];
  for await (const line of historyLines(jsonlPath)) lines.push(line);
  return { conversion, lines, text: await readFile(jsonlPath, 'utf8') };
}

describe('csvAsHistoryLines', () => {
  it('writes each record on the line its CSV row starts on, so JSON Lines numbering is the CSV\'s; a bad row leaves its line blank', async () => {
    const csv = 'kind,sourceId,occurredAt,meetingId,reason\nmeeting-missed,a,2023-01-01T09:00:00Z,m-1,"on\ncall"\nmeeting-missed,b,2023-01-02T09:00:00Z\n\nmeeting-cancelled,c,2023-01-03T09:00:00Z,m-3,exams\n';
    const { conversion, lines } = await convert(csv);
    expect(conversion).toEqual({ unreadable: false, errors: [{ line: 4, sourceId: 'b', reasons: ['the row has 3 cells; the header has 5'] }] });
    expect(lines.map(({ line, text }) => [line, JSON.parse(text).sourceId])).toEqual([[2, 'a'], [6, 'c']]);
    expect(JSON.parse(lines[0].text)).toEqual({ kind: 'meeting-missed', sourceId: 'a', occurredAt: '2023-01-01T09:00:00Z', meetingId: 'm-1', reason: 'on\ncall' });
  });

  it('says when the file cannot be read as CSV, and writes only the records before that line', async () => {
    const { conversion, lines } = await convert('sourceId,occurredAt,meetingId\na,2023-01-01T09:00:00Z,m-1\n"b"x,2023,m\n', 'meeting-missed');
    expect(conversion).toMatchObject({ unreadable: true, errors: [{ line: 3, reasons: [expect.stringContaining('not CSV from this line on')] }] });
    expect(lines.map((l) => l.line)).toEqual([2]);
  });
});
