import { AssessmentResult, DialogueSummary, GoalSummary, Meeting, SelfAssessment } from '../api/types';
import { openActionItems } from '../learner/links';

/** When the learner last met a coach (any coach: "since we last met" counts from there, as the service does); null if never. */
export function lastHeld(meetings: Meeting[]): string | null {
  return meetings.filter((m) => m.status === 'held').map((m) => m.heldAt ?? m.startsAt).sort().at(-1) ?? null;
}

export interface SinceWeLastMet {
  since: string | null;
  /** shared dialogues with entries after `since` (the list counts only entries the coach may read) */
  dialogues: DialogueSummary[];
  /** shared goals revised after `since` */
  goals: GoalSummary[];
  /** results imported after `since` */
  results: AssessmentResult[];
  /** every action item still open in the dialogues the coach reads, whenever agreed: overdue first, then soonest due */
  actions: ReturnType<typeof openActionItems>;
}

/** What changed since the last held meeting, item by item, from what the coach may read. */
export function sinceWeLastMetDetails(since: string | null, dialogues: DialogueSummary[], goals: GoalSummary[], results: AssessmentResult[]): SinceWeLastMet {
  const after = (at: string | null | undefined) => !!at && (!since || at > since);
  return {
    since,
    dialogues: dialogues.filter((d) => after(d.lastActivityAt)).sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt)),
    goals: goals.filter((g) => after(g.lastRevisedAt)),
    results: results.filter((r) => after(r.importedAt)).sort((a, b) => b.assessedOn.localeCompare(a.assessedOn)),
    actions: openActionItems(dialogues),
  };
}

export interface CompetencyRow {
  competency: string;
  /** the learner's ratings, newest first */
  ratings: { level: number; at: string }[];
  /** results on the competency, newest first */
  results: AssessmentResult[];
}

/** Per competency (alphabetical), the learner's self-ratings beside their assessment results. */
export function competencyRows(selfAssessments: SelfAssessment[], results: AssessmentResult[]): CompetencyRow[] {
  const codes = new Set([...selfAssessments.flatMap((s) => s.ratings.map((r) => r.competency)), ...results.flatMap((r) => r.competencies)]);
  return [...codes].sort().map((competency) => ({
    competency,
    ratings: selfAssessments
      .flatMap((s) => s.ratings.filter((r) => r.competency === competency).map((r) => ({ level: r.level, at: s.at })))
      .sort((a, b) => b.at.localeCompare(a.at)),
    results: results.filter((r) => r.competencies.includes(competency)).sort((a, b) => b.assessedOn.localeCompare(a.assessedOn)),
  }));
}
