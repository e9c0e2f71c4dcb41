import { CodeReader } from '@cbme/contracts';

export interface ReadRating {
  competency: string;
  level: number;
  /** the codes the learner rated, as recorded */
  recordedAs: string[];
}

/**
 * Self-ratings read under a framework version. One to many: the rating stands for each new code. Many to one:
 * the lowest of the merged ratings, so a projected self-rating never claims more than the learner gave any part of it.
 */
export function readRatings(ratings: { competency: string; level: number }[], reader: CodeReader): ReadRating[] {
  const byCode = new Map<string, ReadRating>();
  for (const { competency, level } of ratings) {
    for (const code of reader(competency).codes) {
      const seen = byCode.get(code);
      byCode.set(code, seen ? { competency: code, level: Math.min(seen.level, level), recordedAs: [...seen.recordedAs, competency] } : { competency: code, level, recordedAs: [competency] });
    }
  }
  return [...byCode.values()];
}

export interface EvidenceCount {
  code: string;
  /** evidence items per timeline category (dialogue, goal, assessment) */
  items: Record<string, number>;
  learners: number;
}

/** The codes with evidence that a version cannot read (no crosswalk maps them), with their counts, most evidence first. */
export function unmappedEvidence(counts: EvidenceCount[], reader: CodeReader): (EvidenceCount & { total: number })[] {
  return counts
    .filter((c) => reader(c.code).unmapped)
    .map((c) => ({ ...c, total: Object.values(c.items).reduce((a, b) => a + b, 0) }))
    .filter((c) => c.total > 0)
    .sort((a, b) => b.total - a.total || a.code.localeCompare(b.code));
}
