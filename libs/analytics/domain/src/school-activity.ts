import { GOAL_STATUSES, GoalStatus } from '@cbme/contracts';
import { Fact, factsOfKind } from './analytics-facts';
import { computeSchoolAnalytics } from './school-analytics';
import { totalOf } from './school-comparison';

export interface SchoolActivity {
  schoolId: string;
  dialogues: { opened: number; closed: number; open: number };
  goals: Record<GoalStatus, number> & { total: number };
  coaching: { learnersWithCoach: number; coaches: number; learnersPerCoach: { coachId: string; learners: number }[] };
}

/** Plain totals of one school (the first analytics view, kept for its callers): dialogues, goals by status, current coaching. */
export function summarizeSchool(schoolId: string, facts: Fact[]): SchoolActivity {
  const dialogues = factsOfKind(facts, 'dialogue');
  const goals = factsOfKind(facts, 'goal');
  const current = factsOfKind(facts, 'relationship').filter((r) => r.status !== 'ended');
  const perCoach = new Map<string, number>();
  for (const r of current) perCoach.set(r.coachId, (perCoach.get(r.coachId) ?? 0) + 1);
  const goalCount = (status: GoalStatus) => goals.filter((g) => g.status === status).length;
  const closed = dialogues.filter((d) => d.status === 'closed').length;
  return {
    schoolId,
    dialogues: { opened: dialogues.length, closed, open: dialogues.length - closed },
    goals: { active: goalCount('active'), achieved: goalCount('achieved'), abandoned: goalCount('abandoned'), deferred: goalCount('deferred'), total: goals.length },
    coaching: {
      learnersWithCoach: current.length,
      coaches: perCoach.size,
      learnersPerCoach: [...perCoach].map(([coachId, learners]) => ({ coachId, learners })).sort((a, b) => a.coachId.localeCompare(b.coachId)),
    },
  };
}

/** The totals a committee member gets: null where the school's de-identified tables suppress them. */
export interface CommitteeSchoolActivity {
  schoolId: string;
  minimumGroupSize: number;
  dialogues: { opened: number | null; closed: number | null; open: number | null };
  goals: Record<GoalStatus, number | null> & { total: number | null };
  coaching: { learnersWithCoach: number | null; coaches: number | null };
}

/**
 * The same totals for a committee member, read from the "all cohorts" rows of the analytics tables, so the same rule
 * suppresses them (a committee member sees no figure there that the tables hide).
 */
export function summarizeSchoolForCommittee(schoolId: string, facts: Fact[], options: { asOf: string; minimumGroupSize: number }): CommitteeSchoolActivity {
  const analytics = computeSchoolAnalytics(schoolId, facts, { granularity: 'month' }, { ...options, committee: true, tables: ['dialogues', 'goals', 'coaching', 'coach-load'] });
  const total = (table: string, column: string) => {
    const cell = totalOf(analytics, table, column);
    return cell.suppressed ? null : cell.value;
  };
  const opened = total('dialogues', 'dialogues');
  const closed = total('dialogues', 'closed');
  return {
    schoolId,
    minimumGroupSize: analytics.minimumGroupSize,
    // closed is published only when the open dialogues (the difference) describe no group below k
    dialogues: { opened, closed, open: opened === null || closed === null ? null : opened - closed },
    goals: { ...Object.fromEntries(GOAL_STATUSES.map((status) => [status, total('goals', status)])) as Record<GoalStatus, number | null>, total: total('goals', 'set') },
    coaching: { learnersWithCoach: total('coaching', 'withCoach'), coaches: total('coach-load', 'coaches') },
  };
}
