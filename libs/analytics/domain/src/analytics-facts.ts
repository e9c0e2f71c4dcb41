import { EventEnvelope, FrameworkCrosswalkPublished, GoalStatus } from '@cbme/contracts';

/**
 * Analytics keeps one small fact record per dialogue, goal, learner enrolment, cohort, coaching relationship,
 * meeting, program and coach capacity: ids, dates, statuses and competency codes, never names or text.
 * Each record is fed by exactly one stream and stamped with that stream's version: an event is applied only
 * when its version is newer, so duplicates and replays change nothing. Records only refer to each other by id
 * (a dialogue names its learner, an enrolment names its cohort) and are joined when a table is computed,
 * so the order in which streams arrive does not matter either.
 *
 * To consume a new event type, add an entry to FACT_HANDLERS (and, for a new kind of record, to Fact).
 */
interface FactBase {
  /** `<kind>:<stream id>` (a learner's enrolment: `learner:<school>:<user>`, a user stream spans schools) */
  key: string;
  schoolId: string;
  institutionId: string;
  version: number;
}

export interface DialogueFact extends FactBase {
  kind: 'dialogue';
  learnerId: string;
  coachId: string;
  competencies: string[];
  openedAt: string;
  status: 'open' | 'closed';
  closedAt: string | null;
  /** first entry written by someone other than the learner */
  firstResponseAt: string | null;
  /** when each entry was written and whether by the learner */
  entries: { at: string; byLearner: boolean }[];
  actionItems: number;
}

export interface GoalFact extends FactBase {
  kind: 'goal';
  learnerId: string;
  competencies: string[];
  setAt: string;
  status: GoalStatus;
  /** every status change, in stream order */
  changes: { to: GoalStatus; at: string }[];
}

export type EnrolmentStatus = 'enrolled' | 'withdrawn' | 'graduated';

export interface LearnerFact extends FactBase {
  kind: 'learner';
  userId: string;
  cohortId: string;
  status: EnrolmentStatus;
  since: string;
}

export interface CohortFact extends FactBase {
  kind: 'cohort';
  cohortId: string;
  program: string;
  graduationYear: number;
}

export interface RelationshipFact extends FactBase {
  kind: 'relationship';
  learnerId: string;
  /** the current (or last) coach */
  coachId: string;
  status: 'active' | 'paused' | 'ended';
  /** when the current coach was assigned */
  since: string;
}

export interface MeetingFact extends FactBase {
  kind: 'meeting';
  learnerId: string;
  coachId: string;
  startsAt: string;
  status: 'scheduled' | 'held' | 'missed' | 'cancelled';
  heldAt: string | null;
}

export interface ProgramFact extends FactBase {
  kind: 'program';
  meetingCadenceDays: number;
  defaultCoachCapacity: number;
}

export interface CapacityFact extends FactBase {
  kind: 'capacity';
  coachId: string;
  capacity: number;
}

/** A school's own frameworks (one stream per school): each one's latest version, and every crosswalk published. */
export interface FrameworksFact extends FactBase {
  kind: 'frameworks';
  versions: { frameworkId: string; version: number }[];
  crosswalks: FrameworkCrosswalkPublished[];
}

export type Fact = DialogueFact | GoalFact | LearnerFact | CohortFact | RelationshipFact | MeetingFact | ProgramFact | CapacityFact | FrameworksFact;
export type FactKind = Fact['kind'];
export type FactOf<K extends FactKind> = Extract<Fact, { kind: K }>;

type Data = Record<string, unknown>;
type Base = Omit<FactBase, 'key'>;

interface FactHandler<K extends FactKind> {
  kind: K;
  key(event: EventEnvelope): string;
  /** the record after the event; `current` is undefined for the first event of the record seen */
  evolve(current: FactOf<K> | undefined, data: Data, event: EventEnvelope, base: Base): Omit<FactOf<K>, 'key' | keyof Base> & Partial<Base>;
}

const str = (data: Data, field: string) => String(data[field] ?? '');
const list = (data: Data, field: string) => (Array.isArray(data[field]) ? (data[field] as string[]).map(String) : []);
const byStream = (kind: FactKind) => (event: EventEnvelope) => `${kind}:${event.streamId}`;
const learnerKey = (event: EventEnvelope) => `learner:${str(event.data as Data, 'schoolId') || event.tenant.schoolId}:${str(event.data as Data, 'userId')}`;

const emptyDialogue = (data: Data, event: EventEnvelope): Omit<DialogueFact, 'key' | keyof Base> => ({
  kind: 'dialogue', learnerId: str(data, 'learnerId'), coachId: str(data, 'coachId'), competencies: list(data, 'competencies'),
  openedAt: event.occurredAt, status: 'open', closedAt: null, firstResponseAt: null, entries: [], actionItems: 0,
});
const emptyGoal = (data: Data, event: EventEnvelope): Omit<GoalFact, 'key' | keyof Base> => ({
  kind: 'goal', learnerId: str(data, 'learnerId'), competencies: list(data, 'competencies'), setAt: event.occurredAt, status: 'active', changes: [],
});
const relationship = (current: RelationshipFact | undefined, patch: Partial<RelationshipFact>, data: Data, event: EventEnvelope) => ({
  kind: 'relationship' as const,
  learnerId: current?.learnerId ?? str(data, 'learnerId'),
  coachId: current?.coachId ?? str(data, 'coachId'),
  status: current?.status ?? ('active' as const),
  since: current?.since ?? event.occurredAt,
  ...patch,
});
const meeting = (current: MeetingFact | undefined, patch: Partial<MeetingFact>, data: Data) => ({
  kind: 'meeting' as const,
  learnerId: current?.learnerId ?? str(data, 'learnerId'),
  coachId: current?.coachId ?? str(data, 'coachId'),
  startsAt: current?.startsAt ?? str(data, 'startsAt'),
  status: current?.status ?? ('scheduled' as const),
  heldAt: current?.heldAt ?? null,
  ...patch,
});
const enrolment = (status: EnrolmentStatus): FactHandler<'learner'> => ({
  kind: 'learner',
  key: learnerKey,
  evolve: (current, data, event) => ({
    kind: 'learner', userId: str(data, 'userId'), cohortId: str(data, 'cohortId') || current?.cohortId || '', status, since: event.occurredAt,
    schoolId: str(data, 'schoolId') || event.tenant.schoolId,
  }),
});

/** Every event type analytics folds into its records, and how. */
export const FACT_HANDLERS: Record<string, FactHandler<FactKind>> = {
  'feedback.dialogue-opened': {
    kind: 'dialogue', key: byStream('dialogue'),
    evolve: (current, data, event) => ({ ...emptyDialogue(data, event), ...(current as DialogueFact | undefined), learnerId: str(data, 'learnerId'), coachId: str(data, 'coachId'), competencies: list(data, 'competencies'), openedAt: event.occurredAt }),
  } satisfies FactHandler<'dialogue'> as FactHandler<FactKind>,
  'feedback.dialogue-entry-added': {
    kind: 'dialogue', key: byStream('dialogue'),
    evolve: (current, data, event) => {
      const dialogue = { ...emptyDialogue(data, event), ...(current as DialogueFact | undefined) };
      const byLearner = str(data, 'authorId') === dialogue.learnerId;
      return {
        ...dialogue,
        entries: [...dialogue.entries, { at: event.occurredAt, byLearner }],
        firstResponseAt: dialogue.firstResponseAt ?? (byLearner ? null : event.occurredAt),
      };
    },
  } satisfies FactHandler<'dialogue'> as FactHandler<FactKind>,
  'feedback.dialogue-closed': {
    kind: 'dialogue', key: byStream('dialogue'),
    evolve: (current, data, event) => ({ ...emptyDialogue(data, event), ...(current as DialogueFact | undefined), status: 'closed', closedAt: event.occurredAt }),
  } satisfies FactHandler<'dialogue'> as FactHandler<FactKind>,
  'feedback.dialogue-reopened': {
    kind: 'dialogue', key: byStream('dialogue'),
    evolve: (current, data, event) => ({ ...emptyDialogue(data, event), ...(current as DialogueFact | undefined), status: 'open', closedAt: null }),
  } satisfies FactHandler<'dialogue'> as FactHandler<FactKind>,
  'feedback.dialogue-action-agreed': {
    kind: 'dialogue', key: byStream('dialogue'),
    evolve: (current, data, event) => {
      const dialogue = { ...emptyDialogue(data, event), ...(current as DialogueFact | undefined) };
      return { ...dialogue, actionItems: dialogue.actionItems + 1 };
    },
  } satisfies FactHandler<'dialogue'> as FactHandler<FactKind>,
  'feedback.goal-set': {
    kind: 'goal', key: byStream('goal'),
    evolve: (current, data, event) => ({ ...emptyGoal(data, event), ...(current as GoalFact | undefined), learnerId: str(data, 'learnerId'), competencies: list(data, 'competencies'), setAt: event.occurredAt }),
  } satisfies FactHandler<'goal'> as FactHandler<FactKind>,
  'feedback.goal-status-changed': {
    kind: 'goal', key: byStream('goal'),
    evolve: (current, data, event) => {
      const goal = { ...emptyGoal(data, event), ...(current as GoalFact | undefined) };
      const to = str(data, 'to') as GoalStatus;
      return { ...goal, status: to, changes: [...goal.changes, { to, at: event.occurredAt }] };
    },
  } satisfies FactHandler<'goal'> as FactHandler<FactKind>,
  'identity.cohort-created': {
    kind: 'cohort', key: byStream('cohort'),
    evolve: (_current, data) => ({ kind: 'cohort', cohortId: str(data, 'cohortId'), program: str(data, 'program'), graduationYear: Number(data['graduationYear']) }),
  } satisfies FactHandler<'cohort'> as FactHandler<FactKind>,
  'identity.learner-enrolled': enrolment('enrolled') as FactHandler<FactKind>,
  'identity.learner-withdrawn': enrolment('withdrawn') as FactHandler<FactKind>,
  'identity.learner-graduated': enrolment('graduated') as FactHandler<FactKind>,
  'coaching.coach-assigned': {
    kind: 'relationship', key: byStream('relationship'),
    evolve: (current, data, event) => relationship(current as RelationshipFact | undefined, { coachId: str(data, 'coachId'), status: 'active', since: event.occurredAt }, data, event),
  } satisfies FactHandler<'relationship'> as FactHandler<FactKind>,
  'coaching.learner-transferred': {
    kind: 'relationship', key: byStream('relationship'),
    evolve: (current, data, event) => relationship(current as RelationshipFact | undefined, { coachId: str(data, 'toCoachId'), status: 'active', since: event.occurredAt }, data, event),
  } satisfies FactHandler<'relationship'> as FactHandler<FactKind>,
  'coaching.relationship-paused': {
    kind: 'relationship', key: byStream('relationship'),
    evolve: (current, data, event) => relationship(current as RelationshipFact | undefined, { status: 'paused' }, data, event),
  } satisfies FactHandler<'relationship'> as FactHandler<FactKind>,
  'coaching.relationship-resumed': {
    kind: 'relationship', key: byStream('relationship'),
    evolve: (current, data, event) => relationship(current as RelationshipFact | undefined, { status: 'active' }, data, event),
  } satisfies FactHandler<'relationship'> as FactHandler<FactKind>,
  'coaching.relationship-ended': {
    kind: 'relationship', key: byStream('relationship'),
    evolve: (current, data, event) => relationship(current as RelationshipFact | undefined, { status: 'ended' }, data, event),
  } satisfies FactHandler<'relationship'> as FactHandler<FactKind>,
  'coaching.meeting-scheduled': {
    kind: 'meeting', key: byStream('meeting'),
    evolve: (current, data) => meeting(current as MeetingFact | undefined, { startsAt: str(data, 'startsAt') }, data),
  } satisfies FactHandler<'meeting'> as FactHandler<FactKind>,
  'coaching.meeting-rescheduled': {
    kind: 'meeting', key: byStream('meeting'),
    evolve: (current, data) => meeting(current as MeetingFact | undefined, { startsAt: str(data, 'startsAt') }, data),
  } satisfies FactHandler<'meeting'> as FactHandler<FactKind>,
  'coaching.meeting-held': {
    kind: 'meeting', key: byStream('meeting'),
    evolve: (current, data, event) => meeting(current as MeetingFact | undefined, { status: 'held', heldAt: event.occurredAt }, data),
  } satisfies FactHandler<'meeting'> as FactHandler<FactKind>,
  'coaching.meeting-missed': {
    kind: 'meeting', key: byStream('meeting'),
    evolve: (current, data) => meeting(current as MeetingFact | undefined, { status: 'missed' }, data),
  } satisfies FactHandler<'meeting'> as FactHandler<FactKind>,
  'coaching.meeting-cancelled': {
    kind: 'meeting', key: byStream('meeting'),
    evolve: (current, data) => meeting(current as MeetingFact | undefined, { status: 'cancelled' }, data),
  } satisfies FactHandler<'meeting'> as FactHandler<FactKind>,
  'feedback.framework-version-published': {
    kind: 'frameworks', key: byStream('frameworks'),
    evolve: (current, data) => {
      const frameworks = current as FrameworksFact | undefined;
      const frameworkId = str(data, 'frameworkId');
      const versions = (frameworks?.versions ?? []).filter((v) => v.frameworkId !== frameworkId);
      return { kind: 'frameworks', versions: [...versions, { frameworkId, version: Number(data['version']) }], crosswalks: frameworks?.crosswalks ?? [] };
    },
  } satisfies FactHandler<'frameworks'> as FactHandler<FactKind>,
  'feedback.framework-crosswalk-published': {
    kind: 'frameworks', key: byStream('frameworks'),
    evolve: (current, data) => {
      const frameworks = current as FrameworksFact | undefined;
      const crosswalk = data as unknown as FrameworkCrosswalkPublished;
      return {
        kind: 'frameworks', versions: frameworks?.versions ?? [],
        crosswalks: [...(frameworks?.crosswalks ?? []), { frameworkId: crosswalk.frameworkId, fromVersion: crosswalk.fromVersion, toVersion: crosswalk.toVersion, mappings: crosswalk.mappings, unmapped: crosswalk.unmapped }],
      };
    },
  } satisfies FactHandler<'frameworks'> as FactHandler<FactKind>,
  'coaching.program-configured': {
    kind: 'program', key: byStream('program'),
    evolve: (_current, data) => ({ kind: 'program', meetingCadenceDays: Number(data['meetingCadenceDays']), defaultCoachCapacity: Number(data['defaultCoachCapacity']) }),
  } satisfies FactHandler<'program'> as FactHandler<FactKind>,
  'coaching.coach-capacity-set': {
    kind: 'capacity', key: byStream('capacity'),
    evolve: (_current, data) => ({ kind: 'capacity', coachId: str(data, 'coachId'), capacity: Number(data['capacity']) }),
  } satisfies FactHandler<'capacity'> as FactHandler<FactKind>,
};

/** The event types analytics folds today. */
export const ANALYTICS_EVENT_TYPES = Object.keys(FACT_HANDLERS);

/**
 * What the inbox keeps: every coaching and feedback event (so a handler added later, e.g. for plans or
 * assessment results, gets their history on the next rebuild) and the identity events folded here; never
 * identity's names and e-mails.
 */
export const analyticsAccepts = (type: string): boolean =>
  type.startsWith('coaching.') || type.startsWith('feedback.') || ANALYTICS_EVENT_TYPES.includes(type);

/** The type comes from another service's message: only the table's own keys count (not "constructor"). */
const handlerOf = (type: string) => (Object.hasOwn(FACT_HANDLERS, type) ? FACT_HANDLERS[type] : undefined);

/** The record an event changes, or null when analytics ignores it. */
export function factKeyOf(event: EventEnvelope): string | null {
  return handlerOf(event.type)?.key(event) ?? null;
}

/** The record after one event; unchanged when the record already holds this or a later version of its stream. */
export function evolveFact(current: Fact | undefined, event: EventEnvelope): Fact | undefined {
  const handler = handlerOf(event.type);
  if (!handler) return current;
  if (current && current.version >= event.streamVersion) return current;
  const base: Base = { schoolId: event.tenant.schoolId, institutionId: event.tenant.institutionId, version: event.streamVersion };
  const next = handler.evolve(current as never, event.data as Data, event, base);
  return { ...base, ...next, version: event.streamVersion, key: handler.key(event) } as Fact;
}

/** Folds events into records in memory with the same rule the database adapter uses. */
export function applyEvents(facts: Map<string, Fact>, events: EventEnvelope[]): Map<string, Fact> {
  for (const event of events) {
    const key = factKeyOf(event);
    if (!key) continue;
    const next = evolveFact(facts.get(key), event);
    if (next) facts.set(key, next);
  }
  return facts;
}

export const factsOfKind = <K extends FactKind>(facts: Fact[], kind: K): FactOf<K>[] => facts.filter((f): f is FactOf<K> => f.kind === kind);
