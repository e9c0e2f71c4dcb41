import { GoalVisibility, RATING_SCALE } from '@cbme/contracts';
import { Framework } from './competency-frameworks';
import { DialogueReadAccess } from './dialogue-summaries';

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The one rule that brings an assessment result onto the framework's scale: its fraction of its own maximum, laid
 * over 1 (novice) .. 5 (expert), so 0 of 10 is 1, 5 of 10 is 3 and 10 of 10 is 5 (one decimal). Null when the
 * result has no usable maximum.
 */
export function resultOnScale(score: number, maxScore: number): number | null {
  if (!Number.isFinite(score) || !Number.isFinite(maxScore) || maxScore <= 0) return null;
  const fraction = Math.min(Math.max(score / maxScore, 0), 1);
  return round1(RATING_SCALE.min + fraction * (RATING_SCALE.max - RATING_SCALE.min));
}

/** One competency of one self-assessment, as the learner recorded it. */
export interface SelfRatingInput {
  assessmentId: string;
  competency: string;
  level: number;
  at: string;
  visibility: GoalVisibility;
}

/** A coach's or an assessor's rating in a dialogue entry (those entries are always shared with the learner). */
export interface OtherRatingInput {
  source: 'coach' | 'assessor';
  raterId: string;
  dialogueId: string;
  entryId: string;
  competency: string;
  level: number;
  at: string;
}

export interface ResultInput {
  resultId: string;
  competency: string;
  instrument: string;
  score: number;
  maxScore: number;
  assessedOn: string;
}

export interface SelfVsOthersInput {
  self: SelfRatingInput[];
  others: OtherRatingInput[];
  results: ResultInput[];
}

export const OTHER_SOURCES = ['coach', 'assessor', 'result'] as const;
export type OtherSource = (typeof OTHER_SOURCES)[number];

export interface SourceView {
  /** the latest value on the scale and when it was given (a result: the day it was assessed) */
  latest: { level: number; at: string } | null;
  count: number;
}

export interface SelfVsOthersRow {
  competency: string;
  /** the competency's name in its framework, null for a code no framework of the school has */
  name: string | null;
  frameworkId: string | null;
  /** retired: still readable, no longer referable */
  status: 'active' | 'retired' | 'unknown';
  self: { level: number; at: string; assessmentId: string } | null;
  others: Record<OtherSource, SourceView>;
  /** the mean of each source's latest value (one decimal), null when no one else rated it */
  othersLevel: number | null;
  /** self minus others on the scale (positive: the learner rates themselves higher), null without both */
  gap: number | null;
  /** the gap is at least the threshold either way */
  flagged: boolean;
}

export interface SelfVsOthers {
  scale: { min: number; max: number };
  threshold: number;
  competencies: SelfVsOthersRow[];
}

const latestOf = <T extends { at: string }>(items: T[]): T | null =>
  items.reduce<T | null>((best, item) => (!best || item.at > best.at ? item : best), null);

/**
 * Per competency: the learner's latest self-rating beside coaches', assessors' and results' ratings, each brought
 * onto the framework's scale, and the gap between them. `access` is the sharing rule's answer for the reader
 * (`dialogueReadAccess`): the learner sees everything, their current coach only what the learner shares (private
 * self-assessments are left out before anything is computed). Rows follow the frameworks' order, then unknown codes.
 */
export function selfVsOthers(input: SelfVsOthersInput, frameworks: Framework[], options: { access: DialogueReadAccess; threshold: number }): SelfVsOthers {
  const self = options.access === 'everything' ? input.self : input.self.filter((s) => s.visibility === 'shared');
  const results = input.results.flatMap((r) => {
    const level = resultOnScale(r.score, r.maxScore);
    return level === null ? [] : [{ competency: r.competency, level, at: r.assessedOn }];
  });
  const others = [...input.others.map((o) => ({ ...o, source: o.source as OtherSource })), ...results.map((r) => ({ ...r, source: 'result' as OtherSource }))];

  const known = new Map<string, { name: string; frameworkId: string; status: 'active' | 'retired'; order: number }>();
  let order = 0;
  for (const f of frameworks) {
    for (const c of f.competencies) if (known.get(c.code)?.status !== 'active') known.set(c.code, { name: c.name, frameworkId: f.frameworkId, status: 'active', order: order++ });
    for (const r of f.retired) if (!known.has(r.code)) known.set(r.code, { name: r.name, frameworkId: f.frameworkId, status: 'retired', order: order++ });
  }
  const codes = [...new Set([...self.map((s) => s.competency), ...others.map((o) => o.competency)])]
    .sort((a, b) => (known.get(a)?.order ?? Infinity) - (known.get(b)?.order ?? Infinity) || a.localeCompare(b));

  const competencies = codes.map((competency): SelfVsOthersRow => {
    const mine = latestOf(self.filter((s) => s.competency === competency));
    const bySource = Object.fromEntries(OTHER_SOURCES.map((source) => {
      const given = others.filter((o) => o.competency === competency && o.source === source);
      const latest = latestOf(given);
      return [source, { latest: latest ? { level: latest.level, at: latest.at } : null, count: given.length }];
    })) as Record<OtherSource, SourceView>;
    const latestLevels = OTHER_SOURCES.map((s) => bySource[s].latest?.level).filter((l): l is number => l !== undefined);
    const othersLevel = latestLevels.length ? round1(latestLevels.reduce((a, b) => a + b, 0) / latestLevels.length) : null;
    const gap = mine && othersLevel !== null ? round1(mine.level - othersLevel) : null;
    const framework = known.get(competency);
    return {
      competency,
      name: framework?.name ?? null,
      frameworkId: framework?.frameworkId ?? null,
      status: framework?.status ?? 'unknown',
      self: mine ? { level: mine.level, at: mine.at, assessmentId: mine.assessmentId } : null,
      others: bySource,
      othersLevel,
      gap,
      flagged: gap !== null && Math.abs(gap) >= options.threshold,
    };
  });
  return { scale: { ...RATING_SCALE }, threshold: options.threshold, competencies };
}
