import { Granularity, isPeriodOf } from './periods';

describe('periods', () => {
  it('tells whether a period is one of a granularity', () => {
    expect([isPeriodOf('2026-W36', 'week'), isPeriodOf('2026-09', 'month'), isPeriodOf('2026-T3', 'term')]).toEqual([true, true, true]);
    expect([isPeriodOf('2026-09', 'week'), isPeriodOf('2026-W36', 'month'), isPeriodOf('2026-T4', 'term')]).toEqual([false, false, false]);
  });

  it.each(['constructor', '__proto__', 'toString'])('knows no granularity %s (it comes from the query string)', (granularity) => {
    expect(isPeriodOf('2026-09', granularity as Granularity)).toBe(false);
  });
});
