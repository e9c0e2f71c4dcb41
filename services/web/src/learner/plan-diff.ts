import { FocusArea, PlanVersion } from '../api/types';

export interface PlanDiff {
  focusAdded: FocusArea[];
  focusRemoved: FocusArea[];
  focusChanged: { before: FocusArea; after: FocusArea }[];
  goalsAdded: string[];
  goalsRemoved: string[];
  reviewDue?: { before: string; after: string };
}

/** What changed from one version of a plan to another (focus areas matched by id). */
export function diffPlans(before: PlanVersion, after: PlanVersion): PlanDiff {
  const old = new Map(before.focusAreas.map((f) => [f.focusId, f]));
  const now = new Map(after.focusAreas.map((f) => [f.focusId, f]));
  const same = (a: FocusArea, b: FocusArea) => a.title === b.title && a.competencies.join() === b.competencies.join();
  return {
    focusAdded: after.focusAreas.filter((f) => !old.has(f.focusId)),
    focusRemoved: before.focusAreas.filter((f) => !now.has(f.focusId)),
    focusChanged: after.focusAreas.flatMap((f) => {
      const was = old.get(f.focusId);
      return was && !same(was, f) ? [{ before: was, after: f }] : [];
    }),
    goalsAdded: after.goalIds.filter((g) => !before.goalIds.includes(g)),
    goalsRemoved: before.goalIds.filter((g) => !after.goalIds.includes(g)),
    ...(before.nextReviewDue !== after.nextReviewDue ? { reviewDue: { before: before.nextReviewDue, after: after.nextReviewDue } } : {}),
  };
}
