import { HistoryView, Role } from '@cbme/contracts';
import { developmentPlanDecider, FocusArea, PlanEvent } from './development-plan.decider';
import { goalDecider, GoalEvent, GoalState } from './goal.decider';

/** What a timeline item is about, for filtering: the first part of its type after the context, grouped. */
export const TIMELINE_CATEGORIES = ['dialogue', 'goal', 'plan', 'assessment', 'relationship', 'meeting', 'enrollment', 'framework'] as const;
export type TimelineCategory = (typeof TIMELINE_CATEGORIES)[number];

export function categoryOf(type: string): TimelineCategory | null {
  const [context, name = ''] = type.split('.');
  if (context === 'feedback') {
    if (name.startsWith('dialogue-')) return 'dialogue';
    if (name.startsWith('goal-')) return 'goal';
    if (name.startsWith('plan-')) return 'plan';
    if (name.startsWith('assessment-') || name === 'self-assessment-recorded') return 'assessment';
    return null;
  }
  if (context === 'coaching') {
    if (name.startsWith('meeting-')) return 'meeting';
    if (['coach-assigned', 'learner-transferred', 'relationship-paused', 'relationship-resumed', 'relationship-ended', 'reassignment-flagged', 'cadence-fell-behind'].includes(name)) return 'relationship';
    return null;
  }
  if (context === 'identity' && ['learner-enrolled', 'learner-withdrawn', 'learner-graduated'].includes(name)) return 'enrollment';
  return null;
}

/** Who reads a learner's history, and how much of it. */
export type HistoryAccess = 'everything' | 'shared' | 'without-private-text';

/**
 * The learner reads all of it; their current coach what the learner shares; the school's coaching lead and
 * admins every item but no private text (the published form of each event); anyone else nothing (404).
 */
export function historyAccess(viewer: { userId: string; role: Role }, learnerId: string, currentCoachId: string | null): HistoryAccess | null {
  if (viewer.userId === learnerId) return 'everything';
  if (viewer.role === 'coach' && currentCoachId === viewer.userId) return 'shared';
  if (['coaching-lead', 'school-admin', 'institution-admin'].includes(viewer.role)) return 'without-private-text';
  return null;
}

/** Where feedback recorded history reads (`feedback.history-viewed`) before the disclosure log did: still exported. */
export const historyAccessStreamId = (schoolId: string, learnerId: string) => `feedback-history-access-${schoolId}-${learnerId}`;
export type { HistoryView };

/**
 * Which of an event's two times an as-of view reads by: `occurred`, "as it was on D" (everything known now about what
 * had happened by D), or `recorded`, "as the platform knew it on D" (only what it had stored by D: a record imported
 * later with an earlier date is missing).
 */
export const AS_OF_BASES = ['occurred', 'recorded'] as const;
export type AsOfBasis = (typeof AS_OF_BASES)[number];

/** When an event happened in the world and when the platform stored it. */
export interface EventTimes {
  occurredAt: string;
  recordedAt: string;
}

/** The time of an event that a view on this basis reads. */
export const timeOf = (event: EventTimes, basis: AsOfBasis): string => (basis === 'recorded' ? event.recordedAt : event.occurredAt);

/** Whether an instant lies within an optional period (bounds included), compared as instants. */
export function inPeriod(at: string, from?: string, to?: string): boolean {
  const t = Date.parse(at);
  return (!from || t >= Date.parse(from)) && (!to || t <= Date.parse(to));
}

/** Whether an event is part of the view as of `asOf` on that basis (it occurred by then; as known, it was also recorded by then). */
export function inViewAsOf(event: EventTimes, asOf: string, basis: AsOfBasis): boolean {
  const until = Date.parse(asOf);
  return Date.parse(event.occurredAt) <= until && (basis === 'occurred' || Date.parse(event.recordedAt) <= until);
}

/** A learner's goals and plan as they stood at one instant. */
export interface ProgressSnapshot {
  asOf: string;
  basis: AsOfBasis;
  goals: Extract<GoalState, { goalId: string }>[];
  plan: { planId: string; version: number; focusAreas: FocusArea[]; goalIds: string[]; nextReviewDue: string; reviews: number } | null;
}

type Timed<E> = E & EventTimes;

/**
 * The learner's goals and plan at `asOf` on a basis, folded in stream order from the events of their goal streams and
 * plan stream that are in that view; what this reader may not see is left out (shared: private goals) or emptied
 * (without private text: a private goal's text).
 */
export function progressAsOf(
  streams: { goals: Timed<GoalEvent>[][]; plan: Timed<PlanEvent>[] },
  asOf: string,
  basis: AsOfBasis,
  access: HistoryAccess,
): ProgressSnapshot {
  const inView = <E extends EventTimes>(events: E[]) => events.filter((e) => inViewAsOf(e, asOf, basis));
  const goals = streams.goals
    .map((events) => inView(events).reduce(goalDecider.evolve, goalDecider.initialState))
    .filter((goal): goal is ProgressSnapshot['goals'][number] => goal.status !== 'none' && !(access === 'shared' && goal.visibility === 'private'))
    .map((goal) => (access === 'without-private-text' && goal.visibility === 'private' ? { ...goal, description: '', measureOfSuccess: null } : goal));
  const plan = inView(streams.plan).reduce(developmentPlanDecider.evolve, developmentPlanDecider.initialState);
  return {
    asOf,
    basis,
    goals: goals.sort((a, b) => a.targetDate.localeCompare(b.targetDate) || a.goalId.localeCompare(b.goalId)),
    plan: plan.status === 'none' ? null : {
      planId: plan.planId, version: plan.version, focusAreas: plan.focusAreas, goalIds: plan.goalIds, nextReviewDue: plan.nextReviewDue, reviews: plan.reviews,
    },
  };
}

type Change = { from: unknown; to: unknown };

/** What changed between two snapshots: goals that appeared, disappeared, or changed (field by field), and the plan. */
export function diffProgress(before: ProgressSnapshot, after: ProgressSnapshot) {
  const byId = (s: ProgressSnapshot) => new Map(s.goals.map((g) => [g.goalId, g]));
  const [a, b] = [byId(before), byId(after)];
  const fields = ['status', 'description', 'targetDate', 'visibility', 'measureOfSuccess'] as const;
  const changed = [...b.values()].filter((g) => a.has(g.goalId)).map((g) => {
    const old = a.get(g.goalId)!;
    const changes: Record<string, Change> = {};
    for (const f of fields) if (JSON.stringify(old[f]) !== JSON.stringify(g[f])) changes[f] = { from: old[f], to: g[f] };
    return { goalId: g.goalId, changes };
  }).filter((c) => Object.keys(c.changes).length > 0);
  const areas = (s: ProgressSnapshot) => new Map((s.plan?.focusAreas ?? []).map((f) => [f.focusId, f]));
  const [fa, fb] = [areas(before), areas(after)];
  const goalsOf = (s: ProgressSnapshot) => new Set(s.plan?.goalIds ?? []);
  const [ga, gb] = [goalsOf(before), goalsOf(after)];
  return {
    from: before.asOf,
    to: after.asOf,
    basis: after.basis,
    goals: {
      added: [...b.values()].filter((g) => !a.has(g.goalId)),
      removed: [...a.values()].filter((g) => !b.has(g.goalId)),
      changed,
    },
    plan: {
      version: { from: before.plan?.version ?? null, to: after.plan?.version ?? null },
      focusAreasAdded: [...fb.values()].filter((f) => !fa.has(f.focusId)),
      focusAreasRemoved: [...fa.values()].filter((f) => !fb.has(f.focusId)),
      goalsAdded: [...gb].filter((id) => !ga.has(id)),
      goalsRemoved: [...ga].filter((id) => !gb.has(id)),
      reviews: { from: before.plan?.reviews ?? 0, to: after.plan?.reviews ?? 0 },
    },
  };
}

const csvCell = (value: unknown) => {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** Rows of a CSV file with a header line (RFC 4180 quoting). */
export function toCsv(columns: string[], rows: Record<string, unknown>[]): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\r\n') + '\r\n';
}
