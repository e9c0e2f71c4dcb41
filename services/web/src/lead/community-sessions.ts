import { CommunitySessionKind } from '../api/types';

export const KIND_LABELS: Record<CommunitySessionKind, string> = { 'coach-meeting': 'Coach meeting', 'faculty-development': 'Faculty development' };

export interface Membership {
  coachId: string;
  coachName: string;
  joinedAt: string;
  leftAt?: string;
}

/** Who belonged when the session started: the attendance checklist (the server judges by every stretch of membership). */
export const membersAt = (memberships: Membership[], startsAt: string): Membership[] => {
  const t = Date.parse(startsAt);
  return memberships.filter((m) => Date.parse(m.joinedAt) <= t && (!m.leftAt || Date.parse(m.leftAt) > t));
};

/** Topics typed one per line or separated by commas or semicolons, trimmed, without repeats. */
export const parseTopics = (text: string): string[] => [...new Set(text.split(/[\n,;]+/).map((t) => t.trim()).filter(Boolean))];

/** a datetime-local value as an instant */
export const localToInstant = (local: string) => new Date(local).toISOString();

/** "3 of 4 (75%)", or a dash when no session was held */
export const participationLabel = (held: number, attended: number) => (held === 0 ? '—' : `${attended} of ${held} (${Math.round((attended / held) * 100)}%)`);
