import { ApiError } from '../api/http';

/** A person as the lead reads them: the name, and the id beside it (two people may share a name). */
export function personLabel(name: string | undefined, id: string): string {
  return name && name !== id ? `${name} (${id})` : id;
}

export interface CoachSeat {
  coachId: string;
  coachName?: string;
  load: number;
  capacity: number;
}

/** At or beyond capacity: the server takes one more only with a reason (the override). */
export const isFull = (coach: CoachSeat): boolean => coach.load >= coach.capacity;

/** A picker's option: who, how many they coach of how many, and whether one more needs an override. */
export function coachOption(coach: CoachSeat): string {
  return `${personLabel(coach.coachName, coach.coachId)}: ${coach.load} of ${coach.capacity}${isFull(coach) ? ', full' : ''}`;
}

/** The coach a picker starts on: the first with room, else the first (other than `except`). */
export function firstWithRoom(coaches: CoachSeat[], except?: string): string {
  const candidates = coaches.filter((c) => c.coachId !== except);
  return (candidates.find((c) => !isFull(c)) ?? candidates[0])?.coachId ?? '';
}

/** Case-insensitive search over names and ids. */
export function matches(filter: string, ...texts: (string | undefined)[]): boolean {
  const wanted = filter.trim().toLowerCase();
  return !wanted || texts.some((t) => t?.toLowerCase().includes(wanted));
}

/** The page of a list shown `size` at a time (pages count from 1; a page past the end shows the last). */
export function pageOf<T>(items: T[], page: number, size: number): { items: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const shown = Math.min(Math.max(1, page), pages);
  return { items: items.slice((shown - 1) * size, shown * size), page: shown, pages };
}

/**
 * The refusal to show under the whole form: none when the server named a field the form shows (that field shows it),
 * so the same message is not read out twice.
 */
export function formLevelError(error: unknown, shownFields: string[]): unknown {
  if (error instanceof ApiError && shownFields.some((field) => error.about(field).length > 0)) return null;
  return error;
}
