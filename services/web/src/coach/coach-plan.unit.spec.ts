import { describe, expect, it } from 'vitest';
import { CoachPlan } from '../api/types';
import { planHistory, revisionBody } from './coach-plan';

describe('a coach\'s own plan in the workspace', () => {
  it('sends the focus areas with their area, the review date and the rationale; refuses what the service would', () => {
    const form = { focus: [{ focusId: 'f1', area: 'inclusive-language' as const, title: ' Mind my words ' }, { focusId: '', area: '' as const, title: '' }], review: '2027-01-15', rationale: '' };
    expect(revisionBody(form, false)).toEqual({ body: { focusAreas: [{ focusId: 'f1', area: 'inclusive-language', title: 'Mind my words' }], nextReviewDue: '2027-01-15T09:00:00.000Z' } });
    expect(revisionBody(form, true)).toEqual({ errors: { rationale: 'Say why the plan changes' } });
    expect(revisionBody({ ...form, focus: [{ focusId: '', area: '', title: 'words' }], review: '' }, false)).toEqual({
      errors: { focus: 'Each focus area needs an area and your words on it', review: 'Pick the date of the next review' },
    });
  });

  it('tells the plan\'s life newest first', () => {
    const plan = {
      versions: [{ version: 1, at: '2026-09-01T10:00:00.000Z', by: 'coa', focusAreas: [], nextReviewDue: '', rationale: null }, { version: 2, at: '2026-09-03T10:00:00.000Z', by: 'coa', focusAreas: [], nextReviewDue: '', rationale: 'QI term' }],
      requests: [{ reviewerId: 'cob', reviewerName: 'Cob Coach', reviewerRole: 'coach', planVersion: 1, at: '2026-09-02T10:00:00.000Z' }],
      reviews: [{ reviewId: 'r', at: '2026-09-04T10:00:00.000Z', reviewerId: 'cob', reviewerName: 'Cob Coach', reviewerRole: 'coach', planVersion: 2, whatChanged: 'Asks first', nextSteps: [], nextReviewDue: '' }],
    } as unknown as CoachPlan;
    expect(planHistory(plan).map((l) => l.text)).toEqual([
      'Reviewed by Cob Coach (peer coach): Asks first', 'Version 2: QI term', 'Asked Cob Coach (peer coach) to review version 1', 'Version 1',
    ]);
  });
});
