import { asRecorded, CodeReader, crosswalkReader, GOAL_STATUSES, readCodes } from '@cbme/contracts';
import {
  CapacityFact, CohortFact, DialogueFact, Fact, factsOfKind, GoalFact, LearnerFact, MeetingFact, ProgramFact, RelationshipFact,
} from './analytics-facts';
import { Granularity, GRANULARITIES, periodLabel, periodOf, periodsContaining, startOfMonth } from './periods';
import { describesTooFew, Position, suppressCells } from './suppression';

/**
 * The committee's tables for one school, computed from the fact records in TypeScript, then de-identified.
 * Every cell knows which learners it describes; those sets decide suppression and never leave this module.
 */
export const DEFAULT_MINIMUM_GROUP_SIZE = 10;
/** Used until a lead configures the coaching program (the coaching service's default). */
export const DEFAULT_CADENCE_DAYS = 56;
export const DEFAULT_COACH_CAPACITY = 12;

export interface AnalyticsFilters {
  cohortId?: string;
  competency?: string;
  granularity: Granularity;
  /** one period of the granularity, e.g. `2026-09` */
  period?: string;
}

export interface Cell {
  value: number | null;
  suppressed: boolean;
}
export interface TableColumn {
  id: string;
  label: string;
}
export interface TableRow {
  id: string;
  label: string;
  total?: boolean;
  cells: Cell[];
}
export interface AnalyticsTable {
  id: string;
  title: string;
  rowHeader: string;
  columns: TableColumn[];
  rows: TableRow[];
  note?: string;
}

export interface SchoolAnalytics {
  schoolId: string;
  asOf: string;
  minimumGroupSize: number;
  filters: AnalyticsFilters;
  cohorts: { cohortId: string; program: string; graduationYear: number }[];
  competencies: string[];
  periods: string[];
  tables: AnalyticsTable[];
  /** the framework version competencies were read under (only when one was asked for) */
  frameworkVersion?: FrameworkVersionRead;
}

export interface FrameworkVersion {
  frameworkId: string;
  version: number;
}
export interface FrameworkVersionRead extends FrameworkVersion {
  /** recorded codes no crosswalk maps onto the version: counted as recorded */
  unmapped: string[];
}

export interface AnalyticsOptions {
  asOf: string;
  minimumGroupSize?: number;
  /** per-coach rows (coach ids, loads): for coaching leads and admins, not committees */
  includeCoachDetail?: boolean;
  /** only these tables (by id); all by default */
  tables?: string[];
  /**
   * A committee member's view: asOf is moved to the first instant of its UTC month, and the figures that depend
   * on it are checked against those of every other month (see deidentify).
   */
  committee?: boolean;
  /** read every dialogue's and goal's competencies under this framework version (see crosswalkReader) */
  frameworkVersion?: FrameworkVersion;
}

interface RawCell {
  value: number | null;
  learners: Set<string>;
  /** what a count counts (item or learner ids), each with its learner: two nested counts differ by the learners of the difference */
  members?: Map<string, string>;
}
/** a hidden row is computed for the checks but not published */
type RowSpec = { id: string; label: string; total?: boolean; hidden?: boolean };

interface RawGrid {
  title: string;
  rowHeader: string;
  columns: TableColumn[];
  rows: RowSpec[];
  cells: RawCell[][];
  lines: { cells: Position[]; total: Position }[];
  derived: { cell: Position; from: Position[] }[];
  note?: string;
  /** not about learners (coaches' loads): shown as computed */
  unsuppressed?: boolean;
  /** within[c]: the column whose items (in the same row) include those of column c */
  within?: (number | undefined)[];
}

interface Items {
  dialogues: DialogueFact[];
  goals: GoalFact[];
  meetings: MeetingFact[];
  relationships: RelationshipFact[];
  learners: LearnerFact[];
}

interface Context {
  cohortOf: (learnerId: string) => string;
  cohorts: { id: string; label: string }[];
  granularity: Granularity;
  asOf: number;
  cadenceDays: number;
  capacityOf: (coachId: string) => number;
  /** when each learner last held a meeting */
  lastHeld: Map<string, number>;
}

/** The narrowing filters of one query on one table: the group of items its cells describe. */
interface Selection {
  cohortId?: string;
  competency?: string;
  period?: { granularity: Granularity; period: string };
}

type FilterName = 'cohort' | 'competency' | 'period';
const FILTER_FIELDS = { cohort: 'cohortId', competency: 'competency', period: 'period' } as const;

interface TableDefinition {
  id: string;
  /**
   * Filters on a dimension of the table (cohorts as rows, periods as rows, competencies as columns) pick a slice
   * of the unfiltered table, so a filtered answer always equals part of the unfiltered one.
   */
  slices?: Partial<Record<FilterName, 'rows' | 'columns'>>;
  /** not affected by these filters (the note says so) */
  ignores?: FilterName[];
  /** its figures change with asOf */
  asOf?: boolean;
  build(items: Items, context: Context): RawGrid;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NO_COHORT = '';

const cell = (value: number | null, learners: Iterable<string>): RawCell => ({ value, learners: new Set(learners) });
const countOf = <T extends { learnerId: string; key: string }>(items: T[]): RawCell =>
  ({ ...cell(items.length, items.map((i) => i.learnerId)), members: new Map(items.map((i) => [i.key, i.learnerId])) });
const learnersOf = <T extends { learnerId: string }>(items: T[]): RawCell => {
  const learners = new Set(items.map((i) => i.learnerId));
  return { ...cell(learners.size, learners), members: new Map([...learners].map((l) => [l, l])) };
};
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const ratio = (numerator: number | null, denominator: number | null, scale = 1, digits = 2) =>
  numerator === null || !denominator ? null : round((numerator * scale) / denominator, digits);

const achievedAt = (goal: GoalFact) => goal.changes.find((c) => c.to === 'achieved')?.at ?? null;
const meetingAt = (meeting: MeetingFact) => meeting.heldAt ?? meeting.startsAt;

interface ColumnSpec {
  id: string;
  label: string;
  /** summed over the rows into the total row (a line for complementary suppression) */
  additive?: boolean;
  value?: (items: Items, context: Context) => RawCell;
  /** computed from other columns of the same row */
  derive?: { from: string[]; compute: (values: (number | null)[]) => number | null };
  /** counts some of the items of that column (closed dialogues among dialogues) */
  within?: string;
  /** the sum of these columns (goals set: by status), a line of each row */
  sumOf?: string[];
}

/** A table with one row per cohort and a total row; additive columns form lines, derived columns follow their sources. */
function byCohort(title: string, columns: ColumnSpec[], note?: string) {
  return (items: Items, context: Context): RawGrid => {
    const groups = [...context.cohorts];
    const inCohort = (id: string): Items => ({
      dialogues: items.dialogues.filter((i) => context.cohortOf(i.learnerId) === id),
      goals: items.goals.filter((i) => context.cohortOf(i.learnerId) === id),
      meetings: items.meetings.filter((i) => context.cohortOf(i.learnerId) === id),
      relationships: items.relationships.filter((i) => context.cohortOf(i.learnerId) === id),
      learners: items.learners.filter((i) => i.cohortId === id),
    });
    const rowItems = [...groups.map((g) => inCohort(g.id)), items];
    const rows: RowSpec[] = [...groups, { id: 'total', label: 'All cohorts', total: true }];
    const cells = rowItems.map((its) => {
      const row: RawCell[] = columns.map((column) => (column.value ? column.value(its, context) : cell(null, [])));
      columns.forEach((column, c) => {
        if (!column.derive) return;
        const sources = column.derive.from.map((id) => columns.findIndex((x) => x.id === id));
        row[c] = cell(column.derive.compute(sources.map((s) => row[s].value)), sources.flatMap((s) => [...row[s].learners]));
      });
      return row;
    });
    const totalRow = rows.length - 1;
    const index = (id: string) => columns.findIndex((x) => x.id === id);
    const lines = [
      ...columns.flatMap((column, c) => (column.additive
        ? [{ cells: groups.map((_, r) => [r, c] as Position), total: [totalRow, c] as Position }]
        : [])),
      ...columns.flatMap((column, c) => (column.sumOf
        ? rows.map((_, r) => ({ cells: column.sumOf!.map((id) => [r, index(id)] as Position), total: [r, c] as Position }))
        : [])),
    ];
    const derived = rows.flatMap((_, r) => columns.flatMap((column, c) => (column.derive
      ? [{ cell: [r, c] as Position, from: column.derive.from.map((id) => [r, columns.findIndex((x) => x.id === id)] as Position) }]
      : [])));
    const within = columns.map((column) => (column.within ? index(column.within) : undefined));
    return { title, rowHeader: 'Cohort', columns: columns.map(({ id, label }) => ({ id, label })), rows, cells, lines, derived, note, within };
  };
}

const dialoguesTable: TableDefinition = {
  id: 'dialogues',
  slices: { cohort: 'rows' },
  build: byCohort('Feedback dialogues', [
    { id: 'learners', label: 'Learners', additive: true, value: (i) => learnersOf(i.learners.map((l) => ({ learnerId: l.userId }))) },
    { id: 'dialogues', label: 'Dialogues', additive: true, value: (i) => countOf(i.dialogues) },
    { id: 'learnersWithDialogue', label: 'Learners with a dialogue', additive: true, within: 'learners', value: (i) => learnersOf(i.dialogues) },
    { id: 'closed', label: 'Closed', additive: true, within: 'dialogues', value: (i) => countOf(i.dialogues.filter((d) => d.status === 'closed')) },
    { id: 'closedWithActionItems', label: 'Closed with action items', additive: true, within: 'closed', value: (i) => countOf(i.dialogues.filter((d) => d.status === 'closed' && d.actionItems > 0)) },
    { id: 'perLearner', label: 'Dialogues per learner', derive: { from: ['dialogues', 'learners'], compute: ([d, l]) => ratio(d, l) } },
    { id: 'shareClosed', label: 'Share closed (%)', derive: { from: ['closed', 'dialogues'], compute: ([c, d]) => ratio(c, d, 100, 1) } },
    { id: 'shareClosedWithActionItems', label: 'Share closed with action items (%)', derive: { from: ['closedWithActionItems', 'dialogues'], compute: ([c, d]) => ratio(c, d, 100, 1) } },
    {
      id: 'medianHoursToFirstResponse', label: 'Median hours to first response',
      value: (i) => {
        const answered = i.dialogues.filter((d) => d.firstResponseAt);
        const hours = answered.map((d) => (Date.parse(d.firstResponseAt!) - Date.parse(d.openedAt)) / HOUR);
        const m = median(hours);
        return cell(m === null ? null : round(m), answered.map((d) => d.learnerId));
      },
    },
  ], 'Learners: enrolled in the cohort (any filter leaves them as they are). First response: the first entry by someone other than the learner.'),
};

const goalsTable: TableDefinition = {
  id: 'goals',
  slices: { cohort: 'rows' },
  build: byCohort('Goals', [
    { id: 'set', label: 'Set', additive: true, sumOf: [...GOAL_STATUSES], value: (i) => countOf(i.goals) },
    ...GOAL_STATUSES.map((status): ColumnSpec => ({
      id: status, label: status[0].toUpperCase() + status.slice(1), additive: true, within: 'set', value: (i) => countOf(i.goals.filter((g) => g.status === status)),
    })),
    {
      id: 'medianDaysToAchievement', label: 'Median days to achievement',
      value: (i) => {
        const achieved = i.goals.filter((g) => achievedAt(g));
        const m = median(achieved.map((g) => (Date.parse(achievedAt(g)!) - Date.parse(g.setAt)) / DAY));
        return cell(m === null ? null : round(m), achieved.map((g) => g.learnerId));
      },
    },
  ], 'Statuses as they are now, of the goals set in the period picked.'),
};

function competenciesOf(items: Items): string[] {
  return [...new Set([...items.dialogues, ...items.goals].flatMap((i) => i.competencies))].sort();
}

const goalsByCompetencyTable: TableDefinition = {
  id: 'goals-by-competency',
  slices: { competency: 'rows' },
  build: (items) => {
    const competencies = competenciesOf({ ...items, dialogues: [] });
    const columns = [{ id: 'set', label: 'Goals set' }, { id: 'achieved', label: 'Achieved' }, { id: 'learners', label: 'Learners with a goal' }];
    const row = (goals: GoalFact[]) => [countOf(goals), countOf(goals.filter((g) => g.status === 'achieved')), learnersOf(goals)];
    // the hidden row (every goal, as the goals table counts them) is what each competency's row is nested in
    const cells = [...competencies.map((competency) => row(items.goals.filter((g) => g.competencies.includes(competency)))), row(items.goals)];
    const rows: RowSpec[] = [...competencies.map((c) => ({ id: c, label: c })), { id: 'total', label: 'All competencies', total: true, hidden: true }];
    return {
      title: 'Goals per competency', rowHeader: 'Competency', columns, rows, cells, lines: [], derived: [],
      note: 'A goal may name several competencies, so rows do not add up to the goals table.',
    };
  },
};

const coverageTable: TableDefinition = {
  id: 'competency-coverage',
  slices: { cohort: 'rows', competency: 'columns' },
  build: (items, context) => {
    const competencies = competenciesOf(items);
    const rows: RowSpec[] = [...context.cohorts, { id: 'total', label: 'All cohorts', total: true }];
    const workingOn = (competency: string, cohortId?: string) => learnersOf([...items.dialogues, ...items.goals]
      .filter((i) => i.competencies.includes(competency) && (cohortId === undefined || context.cohortOf(i.learnerId) === cohortId)));
    const cells = rows.map((row) => competencies.map((competency) => workingOn(competency, row.total ? undefined : row.id)));
    const lines = competencies.map((_, c) => ({ cells: context.cohorts.map((_, r) => [r, c] as Position), total: [rows.length - 1, c] as Position }));
    return {
      title: 'Competency coverage (learners working on each competency)', rowHeader: 'Cohort',
      columns: competencies.map((c) => ({ id: c, label: c })), rows, cells, lines, derived: [],
      note: 'Learners with a dialogue or a goal naming the competency.',
    };
  },
};

function periodsOf(items: Items, granularity: Granularity): string[] {
  const instants = [
    ...items.dialogues.flatMap((d) => [d.openedAt, ...d.entries.map((e) => e.at)]),
    ...items.goals.flatMap((g) => [g.setAt, ...g.changes.map((c) => c.at)]),
    ...items.meetings.filter((m) => m.heldAt).map((m) => m.heldAt!),
  ];
  return [...new Set(instants.map((i) => periodOf(i, granularity)))].sort();
}

const engagementByCohortTable: TableDefinition = {
  id: 'dialogues-by-period',
  slices: { cohort: 'columns', period: 'rows' },
  build: (items, context) => {
    const periods = [...new Set(items.dialogues.map((d) => periodOf(d.openedAt, context.granularity)))].sort();
    const rows: RowSpec[] = [...periods.map((p) => ({ id: p, label: periodLabel(p) })), { id: 'total', label: 'All periods', total: true }];
    const columns = [...context.cohorts, { id: 'total', label: 'All cohorts' }];
    const cells = rows.map((row) => columns.map((column) => countOf(items.dialogues.filter((d) =>
      (row.total || periodOf(d.openedAt, context.granularity) === row.id) && (column.id === 'total' || context.cohortOf(d.learnerId) === column.id)))));
    const lastRow = rows.length - 1;
    const lastColumn = columns.length - 1;
    const lines = [
      ...rows.map((_, r) => ({ cells: context.cohorts.map((_, c) => [r, c] as Position), total: [r, lastColumn] as Position })),
      ...columns.map((_, c) => ({ cells: periods.map((_, r) => [r, c] as Position), total: [lastRow, c] as Position })),
    ];
    return { title: 'Dialogues opened per period and cohort', rowHeader: 'Period', columns: columns.map(({ id, label }) => ({ id, label })), rows, cells, lines, derived: [] };
  },
};

const engagementTable: TableDefinition = {
  id: 'engagement',
  slices: { period: 'rows' },
  build: (items, context) => {
    const periods = periodsOf(items, context.granularity);
    const inPeriod = (instant: string, period: string | undefined) => period === undefined || periodOf(instant, context.granularity) === period;
    const columns = [
      { id: 'activeLearners', label: 'Active learners' },
      { id: 'dialoguesOpened', label: 'Dialogues opened' },
      { id: 'entriesWritten', label: 'Dialogue entries' },
      { id: 'goalsSet', label: 'Goals set' },
      { id: 'goalsAchieved', label: 'Goals achieved' },
      { id: 'meetingsHeld', label: 'Meetings held' },
    ];
    const rows: RowSpec[] = [...periods.map((p) => ({ id: p, label: periodLabel(p) })), { id: 'total', label: 'All periods', total: true }];
    const cells = rows.map((row) => {
      const period = row.total ? undefined : row.id;
      const opened = items.dialogues.filter((d) => inPeriod(d.openedAt, period));
      const entries = items.dialogues.flatMap((d) => d.entries.map((e, n) => ({ ...e, learnerId: d.learnerId, key: `${d.key}#${n}` })).filter((e) => inPeriod(e.at, period)));
      const set = items.goals.filter((g) => inPeriod(g.setAt, period));
      const achieved = items.goals.filter((g) => achievedAt(g) && inPeriod(achievedAt(g)!, period));
      const held = items.meetings.filter((m) => m.heldAt && inPeriod(m.heldAt, period));
      const active = learnersOf([...opened, ...entries.filter((e) => e.byLearner), ...set, ...held]);
      return [active, countOf(opened), countOf(entries), countOf(set), countOf(achieved), countOf(held)];
    });
    const lastRow = rows.length - 1;
    // every column but active learners adds up over the periods
    const lines = columns.slice(1).map((_, i) => ({ cells: periods.map((_, r) => [r, i + 1] as Position), total: [lastRow, i + 1] as Position }));
    return {
      title: 'Engagement over time', rowHeader: 'Period', columns, rows, cells, lines, derived: [],
      note: 'Active learners: opened a dialogue, wrote an entry, set a goal or held a meeting in the period.',
    };
  },
};

/** when an active relationship falls behind cadence (null for one paused or ended) */
const behindFrom = (relationship: RelationshipFact, context: Context) => (relationship.status !== 'active'
  ? null
  : Math.max(Date.parse(relationship.since), context.lastHeld.get(relationship.learnerId) ?? -Infinity) + context.cadenceDays * DAY);
const behindCadence = (relationship: RelationshipFact, context: Context) => {
  const from = behindFrom(relationship, context);
  return from !== null && context.asOf > from;
};
const expectedMeetings = (relationship: RelationshipFact, context: Context) =>
  relationship.status === 'ended' ? 0 : Math.max(0, Math.floor((context.asOf - Date.parse(relationship.since)) / (context.cadenceDays * DAY)));

const coachingTable: TableDefinition = {
  id: 'coaching',
  slices: { cohort: 'rows' },
  ignores: ['competency', 'period'],
  asOf: true,
  build: byCohort('Coaching cadence', [
    { id: 'withCoach', label: 'Learners with a coach', additive: true, value: (i) => learnersOf(i.relationships.filter((r) => r.status !== 'ended')) },
    { id: 'paused', label: 'Relationships paused', additive: true, value: (i) => countOf(i.relationships.filter((r) => r.status === 'paused')) },
    {
      id: 'meetingsHeld', label: 'Meetings held with the current coach', additive: true,
      value: (i) => {
        // the earliest current coach's assignment per learner (one lookup per meeting: this table is built once per month compared)
        const since = new Map<string, string>();
        for (const r of i.relationships) {
          const earliest = since.get(r.learnerId);
          if (r.status !== 'ended' && (earliest === undefined || r.since < earliest)) since.set(r.learnerId, r.since);
        }
        return countOf(i.meetings.filter((m) => {
          const from = since.get(m.learnerId);
          return m.heldAt !== null && from !== undefined && m.heldAt >= from;
        }));
      },
    },
    {
      id: 'meetingsExpected', label: 'Meetings expected by cadence', additive: true,
      value: (i, context) => {
        const counted = i.relationships.filter((r) => r.status !== 'ended');
        // each expected meeting is a member: a later asOf adds some
        const expected = counted.flatMap((r) => Array.from({ length: expectedMeetings(r, context) }, (_, n) => ({ key: `${r.key}#${n}`, learnerId: r.learnerId })));
        return { ...countOf(expected), learners: new Set(counted.map((r) => r.learnerId)) };
      },
    },
    { id: 'behindCadence', label: 'Relationships behind cadence', additive: true, value: (i, context) => countOf(i.relationships.filter((r) => behindCadence(r, context))) },
    { id: 'shareHeld', label: 'Held vs expected (%)', derive: { from: ['meetingsHeld', 'meetingsExpected'], compute: ([h, e]) => ratio(h, e, 100, 1) } },
  ], 'As of now, since each current coach was assigned. Expected: one meeting per program cadence, the time a relationship was paused included; behind cadence: active relationships only.'),
};

const coachLoadTable: TableDefinition = {
  id: 'coach-load',
  // a coach's load against capacity counts all their learners, whatever cohort is picked
  ignores: ['competency', 'period', 'cohort'],
  build: (items, context) => {
    const current = items.relationships.filter((r) => r.status !== 'ended');
    const coaches = [...new Set(current.map((r) => r.coachId))].sort();
    const load = (coachId: string) => current.filter((r) => r.coachId === coachId).length;
    const bands = [
      { id: 'under', label: 'Under capacity', has: (c: string) => load(c) < context.capacityOf(c) },
      { id: 'at', label: 'At capacity', has: (c: string) => load(c) === context.capacityOf(c) },
      { id: 'over', label: 'Over capacity', has: (c: string) => load(c) > context.capacityOf(c) },
    ];
    const rows: RowSpec[] = [...bands.map(({ id, label }) => ({ id, label })), { id: 'total', label: 'All coaches', total: true }];
    const cells = [...bands.map((b) => coaches.filter(b.has)), coaches].map((inBand) => {
      const learners = current.filter((r) => inBand.includes(r.coachId));
      // a band of coaches describes their learners: suppressed like any group of learners
      return [cell(inBand.length, learners.map((r) => r.learnerId)), countOf(learners), cell(inBand.reduce((s, c) => s + context.capacityOf(c), 0), learners.map((r) => r.learnerId))];
    });
    const lines = [0, 1, 2].map((c) => ({ cells: bands.map((_, r) => [r, c] as Position), total: [bands.length, c] as Position }));
    return {
      title: 'Learners per coach against capacity', rowHeader: 'Coaches', rows, cells, lines, derived: [],
      columns: [{ id: 'coaches', label: 'Coaches' }, { id: 'learners', label: 'Learners' }, { id: 'capacity', label: 'Capacity' }],
      note: 'Current relationships (active or paused); capacity as set per coach, else the program default.',
    };
  },
};

const coachDetailTable: TableDefinition = {
  id: 'coaches',
  ignores: ['competency', 'period'],
  build: (items, context) => {
    const current = items.relationships.filter((r) => r.status !== 'ended');
    const coaches = [...new Set(current.map((r) => r.coachId))].sort();
    const cells = coaches.map((coachId) => {
      const theirs = current.filter((r) => r.coachId === coachId);
      const behind = theirs.filter((r) => behindCadence(r, context)).length;
      return [cell(theirs.length, []), cell(context.capacityOf(coachId), []), cell(behind, [])];
    });
    return {
      title: 'Coaches (for coaching leads)', rowHeader: 'Coach', rows: coaches.map((c) => ({ id: c, label: c })), cells, lines: [], derived: [], unsuppressed: true,
      columns: [{ id: 'learners', label: 'Learners' }, { id: 'capacity', label: 'Capacity' }, { id: 'behindCadence', label: 'Behind cadence' }],
      note: 'About coaches\' workloads, as the coaching roster shows them to leads.',
    };
  },
};

const TABLES: TableDefinition[] = [dialoguesTable, goalsTable, goalsByCompetencyTable, coverageTable, engagementTable, engagementByCohortTable, coachingTable, coachLoadTable];

/** The school's latest version of a framework as analytics learned it (seed frameworks, not events, have version 1); undefined when unknown. */
export function latestFrameworkVersion(facts: Fact[], frameworkId: string): number | undefined {
  return factsOfKind(facts, 'frameworks')[0]?.versions.find((v) => v.frameworkId === frameworkId)?.version;
}

/** Everything the committee sees about one school, filtered and de-identified. */
export function computeSchoolAnalytics(schoolId: string, facts: Fact[], filters: AnalyticsFilters, options: AnalyticsOptions): SchoolAnalytics {
  const k = options.minimumGroupSize ?? DEFAULT_MINIMUM_GROUP_SIZE;
  const learners = factsOfKind(facts, 'learner');
  const cohortFacts = factsOfKind(facts, 'cohort').sort((a, b) => a.graduationYear - b.graduationYear || a.cohortId.localeCompare(b.cohortId));
  const cohortByLearner = new Map(learners.map((l) => [l.userId, l.cohortId]));
  const recorded: Items = {
    dialogues: factsOfKind(facts, 'dialogue'), goals: factsOfKind(facts, 'goal'), meetings: factsOfKind(facts, 'meeting'),
    relationships: factsOfKind(facts, 'relationship'), learners,
  };
  const version = options.frameworkVersion;
  const reader: CodeReader = version ? crosswalkReader(factsOfKind(facts, 'frameworks')[0]?.crosswalks ?? [], version.frameworkId, version.version) : asRecorded;
  const items = version ? readItems(recorded, reader) : recorded;
  const cohortOf = (learnerId: string) => cohortByLearner.get(learnerId) ?? NO_COHORT;
  const hasUnenrolled = [...items.dialogues, ...items.goals, ...items.relationships].some((i) => cohortOf(i.learnerId) === NO_COHORT);
  const program = factsOfKind(facts, 'program')[0] as ProgramFact | undefined;
  const capacities = new Map(factsOfKind(facts, 'capacity').map((c: CapacityFact) => [c.coachId, c.capacity]));
  const lastHeld = new Map<string, number>();
  for (const m of items.meetings) if (m.heldAt) lastHeld.set(m.learnerId, Math.max(lastHeld.get(m.learnerId) ?? -Infinity, Date.parse(m.heldAt)));
  const asOf = options.committee ? startOfMonth(Date.parse(options.asOf)) : Date.parse(options.asOf);
  const context: Context = {
    cohortOf,
    cohorts: [
      ...cohortFacts.map((c: CohortFact) => ({ id: c.cohortId, label: `${c.cohortId} (${c.program} ${c.graduationYear})` })),
      ...(hasUnenrolled ? [{ id: NO_COHORT, label: 'Not enrolled in a cohort' }] : []),
    ],
    granularity: filters.granularity,
    asOf,
    cadenceDays: program?.meetingCadenceDays ?? DEFAULT_CADENCE_DAYS,
    capacityOf: (coachId) => capacities.get(coachId) ?? program?.defaultCoachCapacity ?? DEFAULT_COACH_CAPACITY,
    lastHeld,
  };
  const otherAsOfs = options.committee ? monthsThatDiffer(items.relationships, context) : [asOf];

  const definitions = (options.includeCoachDetail ? [...TABLES, coachDetailTable] : TABLES).filter((d) => !options.tables || options.tables.includes(d.id));
  const published = (definition: TableDefinition, its: Items, selection: Selection, forced: (grid: RawGrid) => Position[] = () => []): Published => {
    const grid = definition.build(select(its, selection, context), context);
    const suppressed = grid.unsuppressed
      ? grid.cells.map((row) => row.map(() => false))
      : deidentify(grid, definition, k, context.granularity, variantsOf(definition, grid, selection, its, context, definition.asOf ? otherAsOfs : [asOf]), forced(grid));
    return { grid, suppressed };
  };
  const recordedCodes = [...new Set([...recorded.dialogues, ...recorded.goals].flatMap((i) => i.competencies))];
  const sourcesOf = (code: string) => recordedCodes.filter((c) => reader(c).codes.includes(code));
  const tables = definitions.map((definition) => {
    const selection = selectionOf(filters, definition);
    const readsCodes = definition.slices?.competency !== undefined || selection.competency !== undefined;
    const crossVersion = (grid: RawGrid) => {
      if (!version || !readsCodes) return [];
      // the same table as recorded (for a competency filter: once per recorded code that reads as it), de-identified on its own
      const recordedSelections = selection.competency === undefined ? [selection] : sourcesOf(selection.competency).map((competency) => ({ ...selection, competency }));
      return crossVersionForced(definition, grid, recordedSelections.map((s) => published(definition, recorded, s)), sourcesOf, k);
    };
    const { grid, suppressed } = published(definition, items, selection, crossVersion);
    return toTable(definition.id, grid, suppressed, filters, definition);
  });

  return {
    schoolId,
    asOf: new Date(asOf).toISOString(),
    minimumGroupSize: k,
    filters,
    cohorts: cohortFacts.map(({ cohortId, program: p, graduationYear }) => ({ cohortId, program: p, graduationYear })),
    competencies: competenciesOf(items),
    periods: periodsOf(items, filters.granularity),
    tables,
    ...(version ? { frameworkVersion: { ...version, unmapped: recordedCodes.filter((c) => reader(c).unmapped).sort() } } : {}),
  };
}

/** Dialogues and goals with their competencies read under a version; the items keep their keys, so they compare across versions. */
function readItems(items: Items, reader: CodeReader): Items {
  return {
    ...items,
    dialogues: items.dialogues.map((d) => ({ ...d, competencies: readCodes(d.competencies, reader) })),
    goals: items.goals.map((g) => ({ ...g, competencies: readCodes(g.competencies, reader) })),
  };
}

interface Published {
  grid: RawGrid;
  suppressed: boolean[][];
}

/**
 * Cells of a table read under a framework version that would uncover a cell suppressed in the same table as recorded.
 * A mapped code's cell holds the items of every recorded code that reads as it (many to one merges them; one to many
 * copies one into several). Anyone can also ask for the recorded table and subtract its published cells from the
 * mapped one: what is left are the items of the recorded cells it suppressed. So a mapped cell is suppressed when the
 * learners of its items outside every published recorded source cell are 1 to k - 1, as complementary suppression
 * requires of a line's hidden cells (0: nothing hidden is in it; k or more: their sum may be known). The forced cells
 * then go through complementary suppression in the mapped table like any other.
 */
function crossVersionForced(definition: TableDefinition, grid: RawGrid, recorded: Published[], sourcesOf: (code: string) => string[], k: number): Position[] {
  const axis = definition.slices?.competency;
  const rowKey = (row: { id: string; total?: boolean }) => `${row.total ? 'total' : 'row'}:${row.id}`;
  const indexed = recorded.map(({ grid: g, suppressed }) => ({
    g, suppressed, rows: new Map(g.rows.map((row, r) => [rowKey(row), r])), columns: new Map(g.columns.map((column, c) => [column.id, c])),
  }));
  const forced: Position[] = [];
  grid.rows.forEach((row, r) => grid.columns.forEach((column, c) => {
    const members = grid.cells[r][c].members;
    if (!members) return;
    const rowKeys = axis === 'rows' && !row.total ? sourcesOf(row.id).map((id) => rowKey({ id })) : [rowKey(row)];
    const columnIds = axis === 'columns' && column.id !== 'total' ? sourcesOf(column.id) : [column.id];
    const seen = new Map<string, string>();
    for (const { g, suppressed, rows, columns } of indexed) {
      for (const r2 of rowKeys.map((key) => rows.get(key))) {
        for (const c2 of columnIds.map((id) => columns.get(id))) {
          if (r2 === undefined || c2 === undefined || suppressed[r2][c2]) continue;
          for (const [member, learner] of g.cells[r2][c2].members ?? []) seen.set(member, learner);
        }
      }
    }
    if (describesTooFew(differingLearners(members, seen), k)) forced.push([r, c]);
  }));
  return forced;
}

/** The filters that narrow the items a table describes (not those on one of its dimensions, nor those it ignores). */
function selectionOf(filters: AnalyticsFilters, definition: TableDefinition): Selection {
  const narrows = (name: FilterName) => filters[FILTER_FIELDS[name]] !== undefined && !definition.slices?.[name] && !definition.ignores?.includes(name);
  const { cohortId, competency, period, granularity } = filters;
  return {
    cohortId: narrows('cohort') ? cohortId : undefined,
    competency: narrows('competency') ? competency : undefined,
    period: period !== undefined && narrows('period') ? { granularity, period } : undefined,
  };
}

function select(items: Items, { cohortId, competency, period }: Selection, context: Context): Items {
  const inCohort = (i: { learnerId: string }) => cohortId === undefined || context.cohortOf(i.learnerId) === cohortId;
  const names = (i: { competencies: string[] }) => competency === undefined || i.competencies.includes(competency);
  const inPeriod = (instant: string) => period === undefined || periodOf(instant, period.granularity) === period.period;
  return {
    dialogues: items.dialogues.filter((d) => inCohort(d) && names(d) && inPeriod(d.openedAt)),
    goals: items.goals.filter((g) => inCohort(g) && names(g) && inPeriod(g.setAt)),
    meetings: items.meetings.filter((m) => inCohort(m) && inPeriod(meetingAt(m))),
    relationships: items.relationships.filter(inCohort),
    learners: items.learners.filter((l) => cohortId === undefined || l.cohortId === cohortId),
  };
}

/** The same table for a query whose groups hold this one's: with filters dropped, or a period widened, a coarser granularity, another asOf. */
interface Variant {
  grid: RawGrid;
  granularity: Granularity;
  /** the query itself */
  self: boolean;
}

function variantsOf(definition: TableDefinition, grid: RawGrid, selection: Selection, items: Items, context: Context, asOfs: number[]): Variant[] {
  const widened = <T>(value: T | undefined, wider: T[] = []) => (value === undefined ? [undefined] : [value, ...wider, undefined]);
  const { cohortId, competency, period } = selection;
  const selections = widened(cohortId).flatMap((c) => widened(competency).flatMap((m) =>
    widened(period, period && periodsContaining(period.period, period.granularity)).map((p): Selection => ({ cohortId: c, competency: m, period: p }))));
  const granularities = definition.slices?.period === 'rows' ? GRANULARITIES.slice(GRANULARITIES.indexOf(context.granularity)) : [context.granularity];
  return selections.flatMap((s, i) => granularities.flatMap((granularity) => asOfs.map((asOf) => {
    const self = i === 0 && granularity === context.granularity && asOf === context.asOf;
    const variantContext = { ...context, granularity, asOf };
    return { grid: self ? grid : definition.build(select(items, s, variantContext), variantContext), granularity, self };
  })));
}

/**
 * Which cells to suppress. Beside a cell's own learners, every count is compared with the counts it is nested in:
 * the same cell of every variant (a query with fewer filters, a wider period, another asOf), and in each of those the
 * total row or column it adds into (cohort, period, competency), the row of the coarser period holding it, and the
 * column whose items hold its own (closed dialogues among dialogues). Two nested counts differ by the learners of the
 * items one has and the other lacks: a cell is suppressed when those are 1 to k - 1, whether or not the other count is
 * published. Same-cell differences are also views for complementary suppression (a line's hidden cells, differenced).
 */
function deidentify(grid: RawGrid, definition: TableDefinition, k: number, granularity: Granularity, variants: Variant[], alsoForced: Position[] = []): boolean[][] {
  const dimension = (axis: 'rows' | 'columns') => (Object.entries(definition.slices ?? {}) as [FilterName, string][]).find(([, a]) => a === axis)?.[0];
  const rowDimension = dimension('rows');
  const columnDimension = dimension('columns');
  const own = grid.cells.map((row) => row.map((c) => c.learners.size));
  const sameLayout = variants.filter((v) => !v.self && v.granularity === granularity);
  const views = sameLayout.map(() => grid.cells.map((row) => row.map(() => 0)));
  const forced: Position[] = [...alsoForced];
  const totalRow = { id: 'total', total: true };
  const rowsHolding = (row: RowSpec, variant: Variant): { id: string; total?: boolean }[] => {
    if (row.total) return [row];
    if (!rowDimension) return [row];
    if (rowDimension === 'period' && variant.granularity !== granularity) {
      const wider = periodsContaining(row.id, granularity).find((p) => p.granularity === variant.granularity);
      return wider ? [{ id: wider.period }, totalRow] : [totalRow];
    }
    return [row, totalRow];
  };
  const columnsHolding = (c: number): string[] => {
    const { id } = grid.columns[c];
    const within = grid.within?.[c];
    return [id, ...(columnDimension === 'cohort' && id !== 'total' ? ['total'] : []), ...(within === undefined ? [] : [grid.columns[within].id])];
  };

  const rowKey = (row: { id: string; total?: boolean }) => `${row.total ? 'total' : 'row'}:${row.id}`;
  const indexed = variants.map((variant) => ({
    variant,
    view: sameLayout.indexOf(variant),
    rows: new Map(variant.grid.rows.map((row, r) => [rowKey(row), r])),
    columns: new Map(variant.grid.columns.map((column, c) => [column.id, c])),
  }));
  const holding = grid.columns.map((_, c) => columnsHolding(c));
  grid.rows.forEach((row, r) => {
    for (const { variant, view, rows, columns } of indexed) {
      for (const r2 of rowsHolding(row, variant).map((x) => rows.get(rowKey(x)))) {
        if (r2 === undefined) continue;
        grid.columns.forEach((column, c) => {
          const members = grid.cells[r][c].members;
          if (!members) return;
          for (const columnId of holding[c]) {
            const c2 = columns.get(columnId);
            const same = r2 === r && columnId === column.id;
            const other = c2 === undefined ? undefined : variant.grid.cells[r2][c2].members;
            if ((variant.self && same) || !other) continue;
            const differing = differingLearners(members, other);
            if (view >= 0 && same) views[view][r][c] = differing;
            else if (describesTooFew(differing, k)) forced.push([r, c]);
          }
        });
      }
    }
  });
  return suppressCells({ populations: [own, ...views], lines: grid.lines, derived: grid.derived, forced }, k);
}

/** The learners of the items one count has and the other lacks. */
function differingLearners(a: Map<string, string>, b: Map<string, string>): number {
  const learners = new Set<string>();
  for (const [member, learner] of a) if (!b.has(member)) learners.add(learner);
  for (const [member, learner] of b) if (!a.has(member)) learners.add(learner);
  return learners.size;
}

/**
 * The first instants of the months at which expected meetings and relationships behind cadence can differ: from the
 * first assignment (nothing before) to one cadence after the last relationship falls behind or after asOf (later,
 * every relationship counted has gained an expected meeting, so the difference is the whole group).
 */
function monthsThatDiffer(relationships: RelationshipFact[], context: Context): number[] {
  if (relationships.length === 0) return [context.asOf];
  const cadence = context.cadenceDays * DAY;
  const first = startOfMonth(Math.min(...relationships.map((r) => Date.parse(r.since))));
  const last = Math.max(context.asOf, ...relationships.map((r) => Math.max(Date.parse(r.since), behindFrom(r, context) ?? -Infinity))) + cadence;
  const months = [context.asOf];
  for (let month = first; month <= last + 31 * DAY; month = nextMonth(month)) if (month !== context.asOf) months.push(month);
  return months;
}

const nextMonth = (instant: number) => {
  const date = new Date(instant);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
};

function toTable(id: string, grid: RawGrid, suppressed: boolean[][], filters: AnalyticsFilters, definition: TableDefinition): AnalyticsTable {
  let keepRow = grid.rows.map((row) => !row.hidden);
  let keepColumn = grid.columns.map(() => true);
  for (const [name, dimension] of Object.entries(definition.slices ?? {}) as [FilterName, 'rows' | 'columns'][]) {
    const value = filters[FILTER_FIELDS[name]];
    if (value === undefined) continue;
    if (dimension === 'rows') keepRow = keepRow.map((keep, r) => keep && (grid.rows[r].id === value || !!grid.rows[r].total));
    else keepColumn = keepColumn.map((keep, c) => keep && (grid.columns[c].id === value || grid.columns[c].id === 'total'));
  }
  const cellAt = (r: number, c: number): Cell => (suppressed[r][c] ? { value: null, suppressed: true } : { value: grid.cells[r][c].value, suppressed: false });
  const rows: TableRow[] = grid.rows.flatMap((row, r) => (keepRow[r]
    ? [{ ...row, cells: grid.columns.flatMap((_, c) => (keepColumn[c] ? [cellAt(r, c)] : [])) }]
    : []));
  const ignored = (definition.ignores ?? []).filter((name) => filters[FILTER_FIELDS[name]] !== undefined);
  const note = [grid.note, ignored.length ? `Not filtered by ${ignored.join(' or ')}.` : undefined].filter(Boolean).join(' ');
  return { id, title: grid.title, rowHeader: grid.rowHeader, columns: grid.columns.filter((_, c) => keepColumn[c]), rows, ...(note ? { note } : {}) };
}
