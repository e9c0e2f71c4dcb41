import { describe, expect, it } from 'vitest';
import { AnalyticsTable, toCsv, valueOf } from './analytics';

const table: AnalyticsTable = {
  id: 'goals', title: 'Goals', rowHeader: 'Cohort', columns: [{ id: 'set', label: 'Set' }, { id: 'achieved', label: 'Achieved, "all"' }],
  rows: [
    { id: 'c2028', label: 'c2028', cells: [{ value: 12, suppressed: false }, { value: null, suppressed: true }] },
    { id: '', label: 'All', total: true, cells: [{ value: 15, suppressed: false }, { value: null, suppressed: false }] },
  ],
};

describe('analytics tables in the browser', () => {
  it('export as CSV with suppressed cells named, quotes escaped and empty cells empty', () => {
    expect(toCsv(table)).toBe('Cohort,Set,"Achieved, ""all"""\nc2028,12,suppressed\nAll,15,\n');
  });

  it('never read a suppressed value', () => {
    expect(valueOf(table, 0, 'set')).toBe(12);
    expect(valueOf(table, 0, 'achieved')).toBeNull();
    expect(valueOf(table, 5, 'set')).toBeNull();
  });
});
