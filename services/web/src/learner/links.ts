import { ActionItem, DialogueSummary, GoalLink, GoalSummary, OpenAction } from '../api/types';

/** What the learner's goal pages need of an assessment result (GET /learners/:id/assessment-results). */
export interface ResultSummary {
  resultId: string;
  instrument: string;
  competencies: string[];
  score: number;
  maxScore: number;
  assessedOn: string;
}

export interface LinkTarget {
  kind: GoalLink['kind'];
  targetId: string;
  label: string;
}

/** A select's value names kind and id together; ids are UUIDs or import ids, neither holds a space. */
export const linkValue = (link: { kind: string; targetId: string }) => `${link.kind} ${link.targetId}`;

export function parseLinkValue(value: string): { kind: GoalLink['kind']; targetId: string } | null {
  const [kind, targetId, ...rest] = value.split(' ');
  if (rest.length || !targetId || (kind !== 'dialogue' && kind !== 'assessment-result')) return null;
  return { kind, targetId };
}

const resultLabel = (r: ResultSummary) => `${r.instrument} (${r.competencies.join(', ')}) ${r.score}/${r.maxScore}, ${r.assessedOn.slice(0, 10)}`;

/** How a link reads on the goal page: the dialogue's topic or the result, or its id while the lists load. */
export function describeLink(link: GoalLink, dialogues: DialogueSummary[], results: ResultSummary[]): string {
  if (link.kind === 'dialogue') return dialogues.find((d) => d.dialogueId === link.targetId)?.topic ?? `Dialogue ${link.targetId}`;
  const result = results.find((r) => r.resultId === link.targetId);
  return result ? resultLabel(result) : `Result ${link.targetId}`;
}

/** The learner's dialogues and results the goal is not linked to yet: what the "link" form offers. */
export function linkTargets(links: GoalLink[], dialogues: DialogueSummary[], results: ResultSummary[]): LinkTarget[] {
  const taken = new Set(links.map(linkValue));
  return [
    ...dialogues.map((d): LinkTarget => ({ kind: 'dialogue', targetId: d.dialogueId, label: d.topic })),
    ...results.map((r): LinkTarget => ({ kind: 'assessment-result', targetId: r.resultId, label: resultLabel(r) })),
  ].filter((t) => !taken.has(linkValue(t)));
}

/** The goals linked to one dialogue (or result), from the learner's goal list. */
export function goalsLinkedTo(goals: GoalSummary[], kind: GoalLink['kind'], targetId: string): GoalSummary[] {
  return goals.filter((g) => (g.links ?? []).some((l) => l.kind === kind && l.targetId === targetId));
}

/** Who may settle an open action item (mark it done or drop it): its owner, or the dialogue's learner (the decider's rule, for showing the buttons). */
export const maySettle = (item: ActionItem, userId: string, learnerId: string) => item.status === 'open' && (userId === item.ownerId || userId === learnerId);

/** The open action items across the learner's dialogues: overdue first, then soonest due (undated last), each with its dialogue. */
export function openActionItems(dialogues: DialogueSummary[]): (OpenAction & { dialogueId: string; topic: string })[] {
  return dialogues
    .flatMap((d) => (d.openActions ?? []).map((a) => ({ ...a, overdue: a.overdue === true, dialogueId: d.dialogueId, topic: d.topic })))
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') || a.agreedAt.localeCompare(b.agreedAt));
}
