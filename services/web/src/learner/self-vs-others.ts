import { SelfVsOthersRow, SelfVsOthersSource } from '../api/types';

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** A gap in words: who rates higher, by how much on the 1–5 scale. */
export function describeGap(row: Pick<SelfVsOthersRow, 'gap'>): string {
  if (row.gap === null) return '—';
  if (row.gap === 0) return 'none';
  return `${signed(row.gap)} (${row.gap > 0 ? 'self higher' : 'others higher'})`;
}

/** One source of others' view: its latest value and how many there are. */
export function describeSource(source: SelfVsOthersSource): string {
  return source.latest ? `${source.latest.level}${source.count > 1 ? ` (latest of ${source.count})` : ''}` : '—';
}

/** The agenda item "Discuss at next meeting" puts on the meeting: the competency and both views (at most 300 characters). */
export function agendaItemOf(row: SelfVsOthersRow): string {
  const name = row.name ? ` (${row.name})` : '';
  const views = `self-rating ${row.self?.level ?? '—'}, others ${row.othersLevel ?? '—'}${row.gap !== null ? `, gap ${signed(row.gap)}` : ''}`;
  return `Discuss ${row.competency}${name}: ${views}`.slice(0, 300);
}
