import { GoalStatus } from '@cbme/contracts';
import { Fact, factsOfKind } from './analytics-facts';

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
