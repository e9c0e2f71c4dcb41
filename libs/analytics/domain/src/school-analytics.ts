import {
  CapacityFact, CohortFact, DialogueFact, Fact, factsOfKind, GoalFact, LearnerFact, MeetingFact, ProgramFact, RelationshipFact,
} from './analytics-facts';
import { Granularity, periodLabel, periodOf } from './periods';
import { Position, suppressCells } from './suppression';

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
}

export interface AnalyticsOptions {
  asOf: string;
  minimumGroupSize?: number;
  /** per-coach rows (coach ids, loads): for coaching leads and admins, not committees */
  includeCoachDetail?: boolean;
  /** only these tables (by id); all by default */
  tables?: string[];
}

interface RawCell {
  value: number | null;
  learners: Set<string>;
}
type RowSpec = { id: string; label: string; total?: boolean };

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
}

/** A narrowing filter: which items it keeps (an item kind it does not mention is kept). */
interface Narrowing {
  name: string;
  keeps: { [K in keyof Items]?: (item: Items[K][number]) => boolean };
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
  build(items: Items, context: Context): RawGrid;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NO_COHORT = '';

const cell = (value: number | null, learners: Iterable<string>): RawCell => ({ value, learners: new Set(learners) });
const countOf = <T extends { learnerId: string }>(items: T[]): RawCell => cell(items.length, items.map((i) => i.learnerId));
const learnersOf = <T extends { learnerId: string }>(items: T[]): RawCell => {
  const learners = new Set(items.map((i) => i.learnerId));
  return cell(learners.size, learners);
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
    const lines = columns.flatMap((column, c) => (column.additive
      ? [{ cells: groups.map((_, r) => [r, c] as Position), total: [totalRow, c] as Position }]
      : []));
    const derived = rows.flatMap((_, r) => columns.flatMap((column, c) => (column.derive
      ? [{ cell: [r, c] as Position, from: column.derive.from.map((id) => [r, columns.findIndex((x) => x.id === id)] as Position) }]
      : [])));
    return { title, rowHeader: 'Cohort', columns: columns.map(({ id, label }) => ({ id, label })), rows, cells, lines, derived, note };
  };
}

const dialoguesTable: TableDefinition = {
  id: 'dialogues',
  slices: { cohort: 'rows' },
  build: byCohort('Feedback dialogues', [
    { id: 'learners', label: 'Learners', additive: true, value: (i) => learnersOf(i.learners.map((l) => ({ learnerId: l.userId }))) },
    { id: 'dialogues', label: 'Dialogues', additive: true, value: (i) => countOf(i.dialogues) },
    { id: 'learnersWithDialogue', label: 'Learners with a dialogue', additive: true, value: (i) => learnersOf(i.dialogues) },
    { id: 'closed', label: 'Closed', additive: true, value: (i) => countOf(i.dialogues.filter((d) => d.status === 'closed')) },
    { id: 'closedWithActionItems', label: 'Closed with action items', additive: true, value: (i) => countOf(i.dialogues.filter((d) => d.status === 'closed' && d.actionItems > 0)) },
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
    { id: 'set', label: 'Set', additive: true, value: (i) => countOf(i.goals) },
    { id: 'active', label: 'Active', additive: true, value: (i) => countOf(i.goals.filter((g) => g.status === 'active')) },
    { id: 'achieved', label: 'Achieved', additive: true, value: (i) => countOf(i.goals.filter((g) => g.status === 'achieved')) },
    { id: 'abandoned', label: 'Abandoned', additive: true, value: (i) => countOf(i.goals.filter((g) => g.status === 'abandoned')) },
    { id: 'deferred', label: 'Deferred', additive: true, value: (i) => countOf(i.goals.filter((g) => g.status === 'deferred')) },
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
    const cells = competencies.map((competency) => {
      const goals = items.goals.filter((g) => g.competencies.includes(competency));
      return [countOf(goals), countOf(goals.filter((g) => g.status === 'achieved')), learnersOf(goals)];
    });
    return {
      title: 'Goals per competency', rowHeader: 'Competency', columns, rows: competencies.map((c) => ({ id: c, label: c })), cells, lines: [], derived: [],
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
      const entries = items.dialogues.flatMap((d) => d.entries.filter((e) => inPeriod(e.at, period)).map((e) => ({ ...e, learnerId: d.learnerId })));
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

const behindCadence = (relationship: RelationshipFact, meetings: MeetingFact[], context: Context) => {
  if (relationship.status !== 'active') return false;
  const held = meetings.filter((m) => m.learnerId === relationship.learnerId && m.heldAt).map((m) => Date.parse(m.heldAt!));
  const last = Math.max(Date.parse(relationship.since), ...held);
  return context.asOf - last > context.cadenceDays * DAY;
};
const expectedMeetings = (relationship: RelationshipFact, context: Context) =>
  relationship.status === 'ended' ? 0 : Math.max(0, Math.floor((context.asOf - Date.parse(relationship.since)) / (context.cadenceDays * DAY)));

const coachingTable: TableDefinition = {
  id: 'coaching',
  slices: { cohort: 'rows' },
  ignores: ['competency', 'period'],
  build: byCohort('Coaching cadence', [
    { id: 'withCoach', label: 'Learners with a coach', additive: true, value: (i) => learnersOf(i.relationships.filter((r) => r.status !== 'ended')) },
    { id: 'paused', label: 'Relationships paused', additive: true, value: (i) => countOf(i.relationships.filter((r) => r.status === 'paused')) },
    {
      id: 'meetingsHeld', label: 'Meetings held with the current coach', additive: true,
      value: (i) => countOf(i.meetings.filter((m) => m.heldAt && i.relationships.some((r) => r.status !== 'ended' && r.learnerId === m.learnerId && m.heldAt! >= r.since))),
    },
    {
      id: 'meetingsExpected', label: 'Meetings expected by cadence', additive: true,
      value: (i, context) => {
        const counted = i.relationships.filter((r) => r.status !== 'ended');
        return cell(counted.reduce((sum, r) => sum + expectedMeetings(r, context), 0), counted.map((r) => r.learnerId));
      },
    },
    { id: 'behindCadence', label: 'Relationships behind cadence', additive: true, value: (i, context) => countOf(i.relationships.filter((r) => behindCadence(r, i.meetings, context))) },
    { id: 'shareHeld', label: 'Held vs expected (%)', derive: { from: ['meetingsHeld', 'meetingsExpected'], compute: ([h, e]) => ratio(h, e, 100, 1) } },
  ], 'As of now, since each current coach was assigned. Expected: one meeting per program cadence, the time a relationship was paused included; behind cadence: active relationships only.'),
};

const coachLoadTable: TableDefinition = {
  id: 'coach-load',
  ignores: ['competency', 'period'],
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
      const behind = theirs.filter((r) => behindCadence(r, items.meetings, context)).length;
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

/** Everything the committee sees about one school, filtered and de-identified. */
export function computeSchoolAnalytics(schoolId: string, facts: Fact[], filters: AnalyticsFilters, options: AnalyticsOptions): SchoolAnalytics {
  const k = options.minimumGroupSize ?? DEFAULT_MINIMUM_GROUP_SIZE;
  const learners = factsOfKind(facts, 'learner');
  const cohortFacts = factsOfKind(facts, 'cohort').sort((a, b) => a.graduationYear - b.graduationYear || a.cohortId.localeCompare(b.cohortId));
  const cohortByLearner = new Map(learners.map((l) => [l.userId, l.cohortId]));
  const items: Items = {
    dialogues: factsOfKind(facts, 'dialogue'), goals: factsOfKind(facts, 'goal'), meetings: factsOfKind(facts, 'meeting'),
    relationships: factsOfKind(facts, 'relationship'), learners,
  };
  const cohortOf = (learnerId: string) => cohortByLearner.get(learnerId) ?? NO_COHORT;
  const hasUnenrolled = [...items.dialogues, ...items.goals, ...items.relationships].some((i) => cohortOf(i.learnerId) === NO_COHORT);
  const program = factsOfKind(facts, 'program')[0] as ProgramFact | undefined;
  const capacities = new Map(factsOfKind(facts, 'capacity').map((c: CapacityFact) => [c.coachId, c.capacity]));
  const context: Context = {
    cohortOf,
    cohorts: [
      ...cohortFacts.map((c: CohortFact) => ({ id: c.cohortId, label: `${c.cohortId} (${c.program} ${c.graduationYear})` })),
      ...(hasUnenrolled ? [{ id: NO_COHORT, label: 'Not enrolled in a cohort' }] : []),
    ],
    granularity: filters.granularity,
    asOf: Date.parse(options.asOf),
    cadenceDays: program?.meetingCadenceDays ?? DEFAULT_CADENCE_DAYS,
    capacityOf: (coachId) => capacities.get(coachId) ?? program?.defaultCoachCapacity ?? DEFAULT_COACH_CAPACITY,
  };

  const definitions = (options.includeCoachDetail ? [...TABLES, coachDetailTable] : TABLES).filter((d) => !options.tables || options.tables.includes(d.id));
  const tables = definitions.map((definition) => {
    const narrowing = narrowingFilters(filters, context, definition);
    const grid = definition.build(select(items, narrowing, []), context);
    if (grid.unsuppressed) return toTable(definition.id, grid, grid.cells.map((row) => row.map(() => false)), filters, definition);
    const complements = subsets(narrowing).map((dropped) => definition.build(select(items, narrowing, dropped), context));
    const populations = [grid, ...complements].map((g) => aligned(grid, g));
    const suppressed = suppressCells({ populations, lines: grid.lines, derived: grid.derived }, k);
    return toTable(definition.id, grid, suppressed, filters, definition);
  });

  return {
    schoolId,
    asOf: options.asOf,
    minimumGroupSize: k,
    filters,
    cohorts: cohortFacts.map(({ cohortId, program: p, graduationYear }) => ({ cohortId, program: p, graduationYear })),
    competencies: competenciesOf(items),
    periods: periodsOf(items, filters.granularity),
    tables,
  };
}

/** The filters that narrow the learners a table describes (not those on one of its dimensions, nor those it ignores). */
function narrowingFilters(filters: AnalyticsFilters, context: Context, definition: TableDefinition): Narrowing[] {
  const applies = (name: FilterName) => filters[FILTER_FIELDS[name]] !== undefined && !definition.slices?.[name] && !definition.ignores?.includes(name);
  const narrowing: Narrowing[] = [];
  const { competency, period, cohortId } = filters;
  if (applies('competency')) {
    narrowing.push({ name: 'competency', keeps: { dialogues: (d) => d.competencies.includes(competency!), goals: (g) => g.competencies.includes(competency!) } });
  }
  if (applies('period')) {
    const inPeriod = (instant: string) => periodOf(instant, filters.granularity) === period;
    narrowing.push({ name: 'period', keeps: { dialogues: (d) => inPeriod(d.openedAt), goals: (g) => inPeriod(g.setAt), meetings: (m) => inPeriod(meetingAt(m)) } });
  }
  if (applies('cohort')) {
    const inCohort = (learnerId: string) => context.cohortOf(learnerId) === cohortId;
    narrowing.push({
      name: 'cohort',
      keeps: {
        dialogues: (i) => inCohort(i.learnerId), goals: (i) => inCohort(i.learnerId), meetings: (i) => inCohort(i.learnerId),
        relationships: (i) => inCohort(i.learnerId), learners: (l) => l.cohortId === cohortId,
      },
    });
  }
  return narrowing;
}

/** Items kept by every filter not dropped; with filters dropped, only those some dropped filter refuses (the difference). */
function select(items: Items, narrowing: Narrowing[], dropped: Narrowing[]): Items {
  const pick = <K extends keyof Items>(kind: K): Items[K] => (items[kind] as Items[K][number][]).filter((item) => {
    const keeps = (n: Narrowing) => (n.keeps[kind] as ((i: Items[K][number]) => boolean) | undefined)?.(item) ?? true;
    const kept = narrowing.filter((n) => !dropped.includes(n)).every(keeps);
    return dropped.length === 0 ? kept : kept && !dropped.every(keeps);
  }) as Items[K];
  return { dialogues: pick('dialogues'), goals: pick('goals'), meetings: pick('meetings'), relationships: pick('relationships'), learners: pick('learners') };
}

/** Every non-empty subset of the filters: each is a query a caller could subtract this one from. */
function subsets<T>(all: T[]): T[][] {
  const result: T[][] = [];
  for (let mask = 1; mask < 1 << all.length; mask++) result.push(all.filter((_, i) => mask & (1 << i)));
  return result;
}

/** Populations of another grid's cells at this grid's positions (matched by row and column id). */
function aligned(grid: RawGrid, other: RawGrid): number[][] {
  return grid.rows.map((row) => {
    const r = other.rows.findIndex((x) => x.id === row.id && !!x.total === !!row.total);
    return grid.columns.map((column) => {
      const c = other.columns.findIndex((x) => x.id === column.id);
      return r < 0 || c < 0 ? 0 : other.cells[r][c].learners.size;
    });
  });
}

function toTable(id: string, grid: RawGrid, suppressed: boolean[][], filters: AnalyticsFilters, definition: TableDefinition): AnalyticsTable {
  let keepRow = grid.rows.map(() => true);
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
