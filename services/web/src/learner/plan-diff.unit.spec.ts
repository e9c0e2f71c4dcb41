import { describe, expect, it } from 'vitest';
import { PlanVersion } from '../api/types';
import { diffPlans } from './plan-diff';

const version = (n: number, focus: [string, string, string[]][], goalIds: string[], nextReviewDue = '2027-03-01T00:00:00.000Z'): PlanVersion => ({
  version: n, at: `2026-12-0${n}T10:00:00.000Z`, by: 'ada', rationale: null, nextReviewDue, goalIds,
  focusAreas: focus.map(([focusId, title, competencies]) => ({ focusId, title, competencies })),
});

describe('diffPlans', () => {
  it('names focus areas added, removed and changed, goals added and removed, and a moved review', () => {
    const v1 = version(1, [['f1', 'Handover', ['PC']], ['f2', 'Feedback', ['ICS']]], ['g1', 'g2']);
    const v2 = version(2, [['f1', 'Structured handover', ['PC', 'ICS']], ['f3', 'Teaching', ['P']]], ['g2', 'g3'], '2027-04-01T00:00:00.000Z');
    const diff = diffPlans(v1, v2);
    expect(diff.focusAdded.map((f) => f.focusId)).toEqual(['f3']);
    expect(diff.focusRemoved.map((f) => f.focusId)).toEqual(['f2']);
    expect(diff.focusChanged).toEqual([{ before: v1.focusAreas[0], after: v2.focusAreas[0] }]);
    expect(diff.goalsAdded).toEqual(['g3']);
    expect(diff.goalsRemoved).toEqual(['g1']);
    expect(diff.reviewDue).toEqual({ before: '2027-03-01T00:00:00.000Z', after: '2027-04-01T00:00:00.000Z' });
  });

  it('finds nothing between a version and itself', () => {
    const v = version(1, [['f1', 'Handover', ['PC']]], ['g1']);
    expect(diffPlans(v, v)).toEqual({ focusAdded: [], focusRemoved: [], focusChanged: [], goalsAdded: [], goalsRemoved: [] });
  });
});
