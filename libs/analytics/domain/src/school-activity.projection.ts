import { EventEnvelope, GoalStatus } from '@cbme/contracts';

/**
 * Analytics keeps one small record per dialogue, goal and coaching relationship (no text, no names),
 * each stamped with the version of the stream it came from. Applying a change only when its version is newer
 * makes the projection idempotent and indifferent to duplicates and to interleaving across streams.
 * School totals are counted from these records when asked.
 */
export type ActivityRecord =
  | { kind: 'dialogue'; id: string; fields: { status: 'open' | 'closed'; learnerId?: string; coachId?: string } }
  | { kind: 'goal'; id: string; fields: { status: GoalStatus; learnerId: string } }
  | { kind: 'relationship'; id: string; fields: { learnerId: string; coachId: string } };

export type ActivityChange = ActivityRecord & { schoolId: string; institutionId: string; version: number; occurredAt: string };

export function activityChangesOf(event: EventEnvelope): ActivityChange[] {
  const stamp = { schoolId: event.tenant.schoolId, institutionId: event.tenant.institutionId, version: event.streamVersion, occurredAt: event.occurredAt };
  const data = event.data as Record<string, string>;
  switch (event.type) {
    case 'feedback.dialogue-opened':
      return [{ ...stamp, kind: 'dialogue', id: event.streamId, fields: { status: 'open', learnerId: data['learnerId'], coachId: data['coachId'] } }];
    case 'feedback.dialogue-closed':
      return [{ ...stamp, kind: 'dialogue', id: event.streamId, fields: { status: 'closed' } }];
    case 'feedback.goal-set':
      return [{ ...stamp, kind: 'goal', id: event.streamId, fields: { status: 'active', learnerId: data['learnerId'] } }];
    case 'feedback.goal-status-changed':
      return [{ ...stamp, kind: 'goal', id: event.streamId, fields: { status: data['to'] as GoalStatus, learnerId: data['learnerId'] } }];
    case 'coaching.coach-assigned':
      return [{ ...stamp, kind: 'relationship', id: event.streamId, fields: { learnerId: data['learnerId'], coachId: data['coachId'] } }];
    default:
      return [];
  }
}

/** The event types analytics listens to. */
export const ANALYTICS_EVENT_TYPES = [
  'feedback.dialogue-opened', 'feedback.dialogue-closed', 'feedback.goal-set', 'feedback.goal-status-changed', 'coaching.coach-assigned',
];

export interface SchoolActivity {
  schoolId: string;
  dialogues: { opened: number; closed: number; open: number };
  goals: Record<GoalStatus, number> & { total: number };
  coaching: { learnersWithCoach: number; coaches: number; learnersPerCoach: { coachId: string; learners: number }[] };
}

/** Folds the current records of one school into its totals (pure, so it is tested without a database). */
export function summarizeSchool(schoolId: string, records: ActivityRecord[]): SchoolActivity {
  const dialogues = records.filter((r) => r.kind === 'dialogue');
  const goals = records.filter((r): r is Extract<ActivityRecord, { kind: 'goal' }> => r.kind === 'goal');
  const relationships = records.filter((r): r is Extract<ActivityRecord, { kind: 'relationship' }> => r.kind === 'relationship');
  const perCoach = new Map<string, number>();
  for (const r of relationships) perCoach.set(r.fields.coachId, (perCoach.get(r.fields.coachId) ?? 0) + 1);
  const goalCount = (status: GoalStatus) => goals.filter((g) => g.fields.status === status).length;
  const closed = dialogues.filter((d) => d.fields.status === 'closed').length;
  return {
    schoolId,
    dialogues: { opened: dialogues.length, closed, open: dialogues.length - closed },
    goals: { active: goalCount('active'), achieved: goalCount('achieved'), abandoned: goalCount('abandoned'), deferred: goalCount('deferred'), total: goals.length },
    coaching: {
      learnersWithCoach: relationships.length,
      coaches: perCoach.size,
      learnersPerCoach: [...perCoach].map(([coachId, learners]) => ({ coachId, learners })).sort((a, b) => a.coachId.localeCompare(b.coachId)),
    },
  };
}

/** Applies changes to records in memory with the same newer-version-wins rule the database adapter uses. */
export function applyChanges(records: Map<string, ActivityChange>, changes: ActivityChange[]): void {
  for (const change of changes) {
    const key = `${change.kind}:${change.id}`;
    const current = records.get(key);
    if (current && current.version >= change.version) continue;
    records.set(key, { ...change, fields: { ...(current?.fields ?? {}), ...change.fields } } as ActivityChange);
  }
}
