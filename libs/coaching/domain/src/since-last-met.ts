/**
 * "Since we last met": what happened in the learner's development between two meetings, built from the
 * events other services publish. Only kinds and references travel: entry texts and goal wording stay with feedback.
 */
export const ACTIVITY_KINDS = [
  'dialogue-opened', 'dialogue-closed', 'goal-set', 'goal-revised', 'goal-achieved', 'goal-status-changed', 'plan-changed', 'assessment-recorded',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export interface LearnerActivity {
  eventId: string;
  learnerId: string;
  kind: ActivityKind;
  occurredAt: string;
  /** the dialogue, goal, plan or result it is about */
  subjectId: string;
  competencies: string[];
}

type Source = { eventId: string; type: string; occurredAt: string; data: Record<string, unknown> };

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Maps a published event to an activity item, or null for events that are not about a learner's development or that the learner keeps private. */
export function activityOf(event: Source): LearnerActivity | null {
  const d = event.data;
  if (d['visibility'] === 'private' && event.type.startsWith('feedback.goal-')) return null; // the learner keeps private goals from the coach
  const base = { eventId: event.eventId, learnerId: str(d['learnerId']), occurredAt: event.occurredAt, competencies: list(d['competencies']) };
  switch (event.type) {
    case 'feedback.dialogue-opened':
      return { ...base, kind: 'dialogue-opened', subjectId: str(d['dialogueId']) };
    case 'feedback.dialogue-closed':
      return { ...base, kind: 'dialogue-closed', subjectId: str(d['dialogueId']) };
    case 'feedback.goal-set':
      return { ...base, kind: 'goal-set', subjectId: str(d['goalId']) };
    case 'feedback.goal-revised':
      return { ...base, kind: 'goal-revised', subjectId: str(d['goalId']) };
    case 'feedback.goal-status-changed':
      return { ...base, kind: d['to'] === 'achieved' ? 'goal-achieved' : 'goal-status-changed', subjectId: str(d['goalId']) };
    case 'feedback.plan-revised':
    case 'feedback.plan-reviewed':
      return { ...base, kind: 'plan-changed', subjectId: str(d['planId']) };
    case 'feedback.assessment-result-recorded':
      return { ...base, kind: 'assessment-recorded', subjectId: str(d['resultId']) };
    default:
      return null;
  }
}

export interface SinceLastMet {
  since: string | null;
  until: string;
  counts: Record<ActivityKind, number>;
  items: LearnerActivity[];
}

/** The learner's activity after `since` (the last held meeting; everything when there was none) up to `until`. */
export function sinceLastMet(activity: LearnerActivity[], since: string | null, until: string): SinceLastMet {
  const items = activity
    .filter((a) => (!since || a.occurredAt > since) && a.occurredAt <= until)
    .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  const counts = Object.fromEntries(ACTIVITY_KINDS.map((k) => [k, items.filter((i) => i.kind === k).length])) as Record<ActivityKind, number>;
  return { since, until, counts, items };
}

/** One paragraph for a reminder: what to look at together. */
export function describeSinceLastMet(summary: SinceLastMet): string {
  const parts = ACTIVITY_KINDS.filter((k) => summary.counts[k] > 0).map((k) => `${summary.counts[k]} ${k.replace(/-/g, ' ')}`);
  const period = summary.since ? `since your last meeting (${summary.since.slice(0, 10)})` : 'since coaching began';
  return parts.length ? `${period}: ${parts.join(', ')}.` : `Nothing new recorded ${period}.`;
}
