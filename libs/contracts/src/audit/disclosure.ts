import { IsIn, IsString, Matches } from 'class-validator';
import { defineEvent } from '../catalog';

/** The kinds of a learner's record a service serves; what a disclosure names as "what was read". */
export const DISCLOSED_RECORDS = [
  'audit-export', 'assessment-results', 'coaching', 'dialogue', 'dialogues', 'feedback-request', 'feedback-requests', 'goal', 'goals',
  'meeting', 'meeting-summary', 'meetings', 'plan', 'progress', 'progress-diff', 'reflections', 'self-assessments', 'self-vs-others',
  'timeline', 'timeline-export',
] as const;
export type DisclosedRecord = (typeof DISCLOSED_RECORDS)[number];

/**
 * Someone other than the learner read part of the learner's record (issue 16, "who read whose record"). Who and in
 * which role are the envelope's actor, the school its tenant, when its occurredAt (the instant the read was served).
 * Stored in the store of the service that served the read, never published: a read log is itself personal.
 */
export class RecordDisclosed {
  @IsString() learnerId: string;
  @IsIn(DISCLOSED_RECORDS) record: DisclosedRecord;
  /** method and path as requested, without the query: `GET /learners/lea-1/goals` */
  @IsString() @Matches(/^[A-Z]+ \//) route: string;
}

export const DisclosureEvents = {
  RecordDisclosed: defineEvent('audit.record-disclosed', RecordDisclosed),
};

/** One disclosure as a service answers it (`GET /learners/:learnerId/disclosures`). */
export interface DisclosureEntry {
  eventId: string;
  at: string;
  service: string;
  schoolId: string;
  reader: { userId: string; role: string };
  record: DisclosedRecord;
  route: string;
}

/** One service's disclosure log of a learner, one month a page, newest first. */
export interface DisclosureLogPage {
  service: string;
  learnerId: string;
  /** every month with disclosures the caller may see, newest first */
  months: { month: string; count: number }[];
  /** the month of `entries` (YYYY-MM); null when there is none */
  month: string | null;
  entries: DisclosureEntry[];
}
