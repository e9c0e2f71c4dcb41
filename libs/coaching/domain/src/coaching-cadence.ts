/** When a relationship is next due a meeting, by the program's cadence: counted from the last held meeting, or from its start. */
export interface CadenceSubject {
  relationshipId: string;
  learnerId: string;
  coachId: string;
  startedAt: string;
  lastHeldAt?: string | null;
}

export interface CadenceStatus<T extends CadenceSubject> {
  relationship: T;
  dueBy: string;
  behind: boolean;
}

const DAY_MS = 86_400_000;

export function cadenceStatus<T extends CadenceSubject>(relationship: T, cadenceDays: number, now: string): CadenceStatus<T> {
  const from = [relationship.startedAt, relationship.lastHeldAt].filter((t): t is string => !!t).map(Date.parse);
  const dueBy = new Date(Math.max(...from) + cadenceDays * DAY_MS).toISOString();
  return { relationship, dueBy, behind: Date.parse(dueBy) < Date.parse(now) };
}

export const behindCadence = <T extends CadenceSubject>(relationships: T[], cadenceDays: number, now: string) =>
  relationships.map((r) => cadenceStatus(r, cadenceDays, now)).filter((s) => s.behind);

/** When the last held meeting of these was (before `before`, if given); null when none was held. */
export function lastHeldAt(meetings: { status: string; startsAt: string; heldAt?: string }[], before?: string): string | null {
  return meetings.filter((m) => m.status === 'held').map((m) => m.heldAt ?? m.startsAt).filter((at) => !before || at < before).sort().pop() ?? null;
}
