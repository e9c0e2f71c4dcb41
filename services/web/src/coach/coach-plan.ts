import { CoachFocusArea, CoachPlan } from '../api/types';

export const AREA_LABELS: Record<CoachFocusArea, string> = {
  'coaching-skills': 'Coaching skills',
  'quality-improvement': 'Quality improvement',
  'inclusive-language': 'Inclusive language',
  'feedback-conversations': 'Feedback conversations',
  wellbeing: 'Wellbeing',
  other: 'Other',
};

export const REVIEWER_LABELS = { 'coaching-lead': 'coaching lead', coach: 'peer coach' } as const;

/** One line per event of the plan's life, newest first: versions, requests for review, reviews. */
export function planHistory(plan: CoachPlan): { at: string; text: string }[] {
  const lines = [
    ...plan.versions.map((v) => ({ at: v.at, text: `Version ${v.version}${v.rationale ? `: ${v.rationale}` : ''}` })),
    ...plan.requests.map((r) => ({ at: r.at, text: `Asked ${r.reviewerName} (${REVIEWER_LABELS[r.reviewerRole]}) to review version ${r.planVersion}` })),
    ...plan.reviews.map((r) => ({ at: r.at, text: `Reviewed by ${r.reviewerName} (${REVIEWER_LABELS[r.reviewerRole]}): ${r.whatChanged}` })),
  ];
  return lines.sort((a, b) => b.at.localeCompare(a.at));
}

/** What the revision form sends, or the errors to show at its fields (the DTO's and the decider's rules, checked early). */
export function revisionBody(
  form: { focus: { focusId: string; area: CoachFocusArea | ''; title: string }[]; review: string; rationale: string },
  revising: boolean,
): { body: object; errors?: undefined } | { body?: undefined; errors: { focus?: string; review?: string; rationale?: string } } {
  const areas = form.focus.filter((f) => f.title.trim() || f.area);
  const errors: { focus?: string; review?: string; rationale?: string } = {};
  if (areas.length === 0) errors.focus = 'Name at least one focus area';
  else if (areas.some((f) => !f.area || !f.title.trim())) errors.focus = 'Each focus area needs an area and your words on it';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.review)) errors.review = 'Pick the date of the next review';
  if (revising && !form.rationale.trim()) errors.rationale = 'Say why the plan changes';
  if (Object.keys(errors).length) return { errors };
  return {
    body: {
      focusAreas: areas.map((f) => ({ ...(f.focusId ? { focusId: f.focusId } : {}), area: f.area, title: f.title.trim() })),
      nextReviewDue: new Date(`${form.review}T09:00:00.000Z`).toISOString(),
      ...(form.rationale.trim() ? { rationale: form.rationale.trim() } : {}),
    },
  };
}
