export const GRANULARITIES = ['week', 'month', 'term'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

const DAY = 86_400_000;

/**
 * The period an instant falls in, as a key that sorts chronologically:
 * ISO week `2026-W36`, month `2026-09`, term `2026-T1` (January–April), `T2` (May–August), `T3` (September–December).
 */
export function periodOf(instant: string, granularity: Granularity): string {
  const key = granularity + instant;
  let period = known.get(key);
  if (period === undefined) {
    // tables ask for the same instants' periods many times (once per query they are compared with)
    if (known.size >= 100_000) known.clear();
    period = computePeriodOf(instant, granularity);
    known.set(key, period);
  }
  return period;
}
const known = new Map<string, string>();

function computePeriodOf(instant: string, granularity: Granularity): string {
  const date = new Date(instant);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  switch (granularity) {
    case 'month':
      return `${year}-${String(month + 1).padStart(2, '0')}`;
    case 'term':
      return `${year}-T${Math.floor(month / 4) + 1}`;
    case 'week': {
      const day = Date.UTC(year, month, date.getUTCDate());
      const weekday = (new Date(day).getUTCDay() + 6) % 7;
      const thursday = day - weekday * DAY + 3 * DAY;
      const isoYear = new Date(thursday).getUTCFullYear();
      const jan4 = Date.UTC(isoYear, 0, 4);
      const week1Monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY;
      const week = Math.floor((thursday - 3 * DAY - week1Monday) / (7 * DAY)) + 1;
      return `${isoYear}-W${String(week).padStart(2, '0')}`;
    }
  }
}

const TERM_NAMES: Record<string, string> = { T1: 'spring', T2: 'summer', T3: 'autumn' };

export function periodLabel(period: string): string {
  const term = /^(\d{4})-(T[123])$/.exec(period);
  return term ? `${term[1]} ${TERM_NAMES[term[2]]}` : period;
}

/** a Map: the granularity comes from the query string */
const PERIOD_PATTERNS = new Map<string, RegExp>([['week', /^\d{4}-W\d{2}$/], ['month', /^\d{4}-\d{2}$/], ['term', /^\d{4}-T[123]$/]]);

export function isPeriodOf(period: string, granularity: Granularity): boolean {
  return PERIOD_PATTERNS.get(granularity)?.test(period) ?? false;
}

/** The first and the last millisecond (inclusive) of a period of any granularity. */
export function periodBounds(period: string): [start: number, end: number] {
  const week = /^(\d{4})-W(\d{2})$/.exec(period);
  if (week) {
    const jan4 = Date.UTC(Number(week[1]), 0, 4);
    const start = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY + (Number(week[2]) - 1) * 7 * DAY;
    return [start, start + 7 * DAY - 1];
  }
  const term = /^(\d{4})-T([123])$/.exec(period);
  const [year, firstMonth, months] = term ? [Number(term[1]), (Number(term[2]) - 1) * 4, 4] : [Number(period.slice(0, 4)), Number(period.slice(5, 7)) - 1, 1];
  return [Date.UTC(year, firstMonth, 1), Date.UTC(year, firstMonth + months, 1) - 1];
}

/** The periods of coarser granularities that hold the whole of this one (a week across two months is in neither). */
export function periodsContaining(period: string, granularity: Granularity): { granularity: Granularity; period: string }[] {
  const [start, end] = periodBounds(period);
  return GRANULARITIES.slice(GRANULARITIES.indexOf(granularity) + 1).flatMap((coarser) => {
    const first = periodOf(new Date(start).toISOString(), coarser);
    return first === periodOf(new Date(end).toISOString(), coarser) ? [{ granularity: coarser, period: first }] : [];
  });
}

/** The first instant of the UTC month an instant falls in. */
export const startOfMonth = (instant: number): number => {
  const date = new Date(instant);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
};
