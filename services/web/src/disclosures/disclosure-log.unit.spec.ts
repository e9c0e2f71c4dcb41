import { describe, expect, it } from 'vitest';
import { DisclosureEntry, disclosuresCsv, mergedEntries, mergedMonths, monthInWords, sourceOfMonth } from './disclosure-log';

const entry = (service: string, at: string, id = at): DisclosureEntry => ({
  eventId: id, at, service, schoolId: 'medicine', reader: { userId: 'coa-1', role: 'coach' }, record: 'goals', route: 'GET /learners/lea-1/goals',
});

describe('the disclosure log in the browser', () => {
  it('joins the months of every service, adding their counts, newest first', () => {
    expect(mergedMonths([
      { months: [{ month: '2026-12', count: 2 }, { month: '2026-10', count: 1 }] },
      { months: [{ month: '2026-11', count: 4 }, { month: '2026-12', count: 3 }] },
      { months: [] },
    ])).toEqual([{ month: '2026-12', count: 5 }, { month: '2026-11', count: 4 }, { month: '2026-10', count: 1 }]);
  });

  it('merges the services\' reads of a month newest first', () => {
    const merged = mergedEntries([
      [entry('feedback', '2026-12-01T10:00:03.000Z'), entry('feedback', '2026-12-01T10:00:01.000Z')],
      [entry('coaching', '2026-12-01T10:00:02.000Z')],
    ]);
    expect(merged.map((e) => `${e.service} ${e.at.slice(17, 19)}`)).toEqual(['feedback 03', 'coaching 02', 'feedback 01']);
  });

  it('asks a service for a month only when its first answer lacks it and it has reads then', () => {
    const first = { service: 'feedback', learnerId: 'lea-1', months: [{ month: '2026-12', count: 1 }, { month: '2026-11', count: 1 }], month: '2026-12', entries: [] };
    expect(sourceOfMonth(first, '2026-12')).toBe('first');
    expect(sourceOfMonth(first, '2026-11')).toBe('ask');
    expect(sourceOfMonth(first, '2026-09')).toBe('none');
  });

  it('names a month in words and writes the report as CSV, quoting where needed', () => {
    expect(monthInWords('2026-12')).toBe('December 2026');
    const csv = disclosuresCsv([{ ...entry('feedback', '2026-12-01T10:00:00.000Z'), route: 'GET /goals/a,b' }]);
    expect(csv).toBe('at,reader,role,school,record,route,service\n2026-12-01T10:00:00.000Z,coa-1,coach,medicine,goals,"GET /goals/a,b",feedback\n');
  });
});
