import { EventEnvelope } from '@cbme/contracts';
import { applyEvents, Fact } from './analytics-facts';
import { Granularity, GRANULARITIES, periodOf } from './periods';
import { AnalyticsFilters, computeSchoolAnalytics, SchoolAnalytics } from './school-analytics';

let seq = 0;
const event = (type: string, streamId: string, streamVersion: number, occurredAt: string, data: object): EventEnvelope => ({
  eventId: `e${++seq}`, type, schemaVersion: 1, envelopeVersion: 2, streamId, streamVersion, occurredAt, recordedAt: occurredAt,
  tenant: { institutionId: 'inst', schoolId: 'med' }, actor: { userId: 'u', role: 'learner' }, correlationId: 'c', causationId: null, data,
});
const facts = (events: EventEnvelope[]): Fact[] => [...applyEvents(new Map(), events).values()];
const DAY = 86_400_000;

/** Seeded PRNG (mulberry32): the same seed gives the same institution. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return { next, int, pick: <T>(values: readonly T[]) => values[int(0, values.length - 1)], chance: (p: number) => next() < p };
}

const COMPETENCIES = ['ICS', 'MK', 'PROF'] as const;
/** the data lies in these days: across a term (T2/T3), two months and weeks that straddle them */
const FIRST_DAY = Date.UTC(2026, 7, 18);
const DAYS = 35;

/** A small random school: two cohorts of 1 to 9 learners, dialogues, entries, goals, coaching relationships and meetings. */
function institution(seed: number): EventEnvelope[] {
  const rnd = random(seed);
  const instant = (fromDay = 0) => new Date(FIRST_DAY + rnd.int(fromDay, DAYS - 1) * DAY + rnd.int(8, 17) * 3_600_000).toISOString();
  const later = (after: string) => new Date(Math.min(Date.parse(after) + rnd.int(0, 20) * DAY + 3_600_000, FIRST_DAY + DAYS * DAY - 1)).toISOString();
  const competencies = () => COMPETENCIES.filter(() => rnd.chance(0.45));
  const events: EventEnvelope[] = [event('coaching.program-configured', 'program', 1, instant(), { meetingCadenceDays: 14, defaultCoachCapacity: 3 })];
  const cohorts = ['c0', 'c1'];
  for (const cohortId of cohorts) {
    events.push(event('identity.cohort-created', `cohort-${cohortId}`, 1, instant(), { cohortId, schoolId: 'med', program: 'MD', graduationYear: 2028 }));
    for (let l = rnd.int(1, 9); l > 0; l--) {
      const learner = `${cohortId}-l${l}`;
      const coach = rnd.pick(['k1', 'k2', 'k3']);
      events.push(event('identity.learner-enrolled', `user-${learner}`, 1, instant(), { userId: learner, schoolId: 'med', cohortId }));
      for (let d = rnd.int(0, 2); d > 0; d--) {
        const stream = `dialogue-${learner}-${d}`;
        const opened = instant();
        let version = 1;
        events.push(event('feedback.dialogue-opened', stream, version, opened, { dialogueId: stream, learnerId: learner, coachId: coach, topic: 't', competencies: competencies() }));
        for (let e = rnd.int(0, 2); e > 0; e--) {
          events.push(event('feedback.dialogue-entry-added', stream, ++version, later(opened), { dialogueId: stream, entryId: `x${e}`, authorId: rnd.pick([learner, coach]), visibility: 'shared', wordCount: 3 }));
        }
        if (rnd.chance(0.3)) events.push(event('feedback.dialogue-action-agreed', stream, ++version, later(opened), { dialogueId: stream, learnerId: learner, actionId: 'a', ownerId: learner }));
        if (rnd.chance(0.5)) events.push(event('feedback.dialogue-closed', stream, ++version, later(opened), { dialogueId: stream, learnerId: learner }));
      }
      if (rnd.chance(0.6)) {
        const stream = `goal-${learner}`;
        const set = instant();
        events.push(event('feedback.goal-set', stream, 1, set, { goalId: stream, learnerId: learner, competencies: competencies(), targetDate: '2027-01-01', visibility: 'shared' }));
        if (rnd.chance(0.6)) {
          events.push(event('feedback.goal-status-changed', stream, 2, later(set), { goalId: stream, learnerId: learner, from: 'active', to: rnd.pick(['achieved', 'abandoned', 'deferred']), visibility: 'shared' }));
        }
      }
      if (rnd.chance(0.85)) {
        const stream = `coaching-learner-${learner}`;
        // assigned up to seven weeks before the rest of the data: relationships fall behind cadence in different months
        const since = new Date(FIRST_DAY - rnd.int(0, 48) * DAY + rnd.int(8, 17) * 3_600_000).toISOString();
        events.push(event('coaching.coach-assigned', stream, 1, since, { relationshipId: stream, learnerId: learner, coachId: coach }));
        if (rnd.chance(0.2)) events.push(event(rnd.pick(['coaching.relationship-paused', 'coaching.relationship-ended']), stream, 2, later(since), { relationshipId: stream, learnerId: learner }));
        for (let m = rnd.int(0, 2); m > 0; m--) {
          const meeting = `meeting-${learner}-${m}`;
          const startsAt = [since, instant()].sort()[1];
          events.push(event('coaching.meeting-scheduled', meeting, 1, since, { meetingId: meeting, relationshipId: stream, learnerId: learner, coachId: coach, startsAt, durationMinutes: 30 }));
          if (rnd.chance(0.7)) events.push(event('coaching.meeting-held', meeting, 2, startsAt, { meetingId: meeting, learnerId: learner, coachId: coach, agenda: [], notes: [] }));
        }
      }
    }
  }
  return events;
}

/**
 * What each published cell describes, from what the API documents about its tables: the measure, and the cohort,
 * competency, period (null: all) and asOf it is about. Figures of two tables that count the same thing share a measure.
 */
interface Coordinate { measure: string; cohort: string | null; competency: string | null; period: string | null; band: string | null; asOf: string }

const TABLE_LAYOUT: Record<string, { rows?: 'cohort' | 'period' | 'competency' | 'band'; columns?: 'cohort' | 'competency'; ignores?: (keyof AnalyticsFilters)[] }> = {
  'dialogues': { rows: 'cohort' },
  'goals': { rows: 'cohort' },
  'goals-by-competency': { rows: 'competency' },
  'competency-coverage': { rows: 'cohort', columns: 'competency' },
  'engagement': { rows: 'period' },
  'dialogues-by-period': { rows: 'period', columns: 'cohort' },
  'coaching': { rows: 'cohort', ignores: ['competency', 'period'] },
  'coach-load': { rows: 'band', ignores: ['competency', 'period', 'cohortId'] },
};
/** not counts of learners or of their items: ratios, medians, and coaches' numbers */
const NOT_COUNTS = new Set(['dialogues.perLearner', 'dialogues.shareClosed', 'dialogues.shareClosedWithActionItems', 'dialogues.medianHoursToFirstResponse',
  'goals.medianDaysToAchievement', 'coaching.shareHeld', 'coach-load.coaches', 'coach-load.capacity']);
const SAME_MEASURE: Record<string, string> = {
  'engagement.dialoguesOpened': 'dialogues.dialogues', 'dialogues-by-period.total': 'dialogues.dialogues', 'engagement.goalsSet': 'goals.set',
  'goals-by-competency.set': 'goals.set', 'goals-by-competency.achieved': 'goals.achieved',
};
/** a measure counting some of the items of another, in the same group */
const WITHIN: Record<string, string> = {
  'dialogues.learnersWithDialogue': 'dialogues.learners', 'dialogues.closed': 'dialogues.dialogues', 'dialogues.closedWithActionItems': 'dialogues.closed',
  'goals.active': 'goals.set', 'goals.achieved': 'goals.set', 'goals.abandoned': 'goals.set', 'goals.deferred': 'goals.set',
};

function published(result: SchoolAnalytics, filters: AnalyticsFilters): { at: Coordinate; value: number }[] {
  return result.tables.flatMap((table) => {
    const layout = TABLE_LAYOUT[table.id];
    if (!layout) throw new Error(`a table the test does not know: ${table.id}`);
    const filtered = (name: keyof AnalyticsFilters) => (layout.ignores?.includes(name) ? undefined : filters[name]) ?? null;
    return table.rows.flatMap((row) => table.columns.flatMap((column, c) => {
      const { value, suppressed } = row.cells[c];
      const fromRow = row.total ? null : row.id;
      const measure = layout.columns ? table.id : `${table.id}.${column.id}`;
      if (suppressed || value === null || NOT_COUNTS.has(measure)) return [];
      const byColumn = layout.columns === 'cohort' ? (column.id === 'total' ? null : column.id) : undefined;
      const at: Coordinate = {
        measure: SAME_MEASURE[layout.columns === 'cohort' ? `${table.id}.total` : measure] ?? measure,
        cohort: layout.rows === 'cohort' ? fromRow : byColumn !== undefined ? byColumn : filtered('cohortId'),
        competency: layout.rows === 'competency' ? fromRow : layout.columns === 'competency' ? column.id : filtered('competency'),
        period: layout.rows === 'period' ? fromRow : filtered('period'),
        band: layout.rows === 'band' ? fromRow : null,
        asOf: result.asOf,
      };
      return [{ at, value: value as number }];
    }));
  });
}

const keyOf = (at: Coordinate) => JSON.stringify([at.measure, at.cohort, at.competency, at.period, at.band, at.asOf]);

/** Which periods (of any granularity) hold which: by the days in them. */
function periodNesting() {
  const days = new Map<string, Set<number>>();
  for (let day = FIRST_DAY - 120 * DAY; day < FIRST_DAY + (DAYS + 120) * DAY; day += DAY) {
    for (const granularity of GRANULARITIES) {
      const period = periodOf(new Date(day).toISOString(), granularity);
      days.set(period, new Set([...(days.get(period) ?? []), day]));
    }
  }
  return (inner: string, outer: string) => inner !== outer && [...days.get(inner) ?? []].every((day) => !!days.get(outer)?.has(day));
}

/** Every query the API takes (for the school's cohorts, competencies and periods; asOf at several instants). */
function everyQuery(facts: Fact[], asOfs: string[]): { filters: AnalyticsFilters; asOf: string }[] {
  const base = computeSchoolAnalytics('med', facts, { granularity: 'month' }, { asOf: asOfs[0], committee: true });
  const optional = <T>(values: T[]) => [undefined, ...values];
  return optional(base.cohorts.map((c) => c.cohortId)).flatMap((cohortId) => optional(base.competencies).flatMap((competency) =>
    GRANULARITIES.flatMap((granularity: Granularity) => {
      const periods = computeSchoolAnalytics('med', facts, { granularity }, { asOf: asOfs[0], committee: true }).periods;
      return optional(periods).flatMap((period) => asOfs.map((asOf) => ({
        filters: JSON.parse(JSON.stringify({ cohortId, competency, granularity, period })) as AnalyticsFilters, asOf,
      })));
    })));
}

interface Finding { smaller: Coordinate; larger: Coordinate; values: [number, number] }

/** Every pair of published values describing nested groups that differ by 1 to k - 1; and any coordinate shown with two values. */
function differencing(events: EventEnvelope[], k: number, asOfs: string[]) {
  const records = facts(events);
  const values = new Map<string, { at: Coordinate; value: number }>();
  const inconsistent: string[] = [];
  for (const { filters, asOf } of everyQuery(records, asOfs)) {
    const result = computeSchoolAnalytics('med', records, filters, { asOf, minimumGroupSize: k, committee: true });
    for (const cell of published(result, filters)) {
      const key = keyOf(cell.at);
      const seen = values.get(key);
      if (seen && seen.value !== cell.value) inconsistent.push(`${key}: ${seen.value} and ${cell.value}`);
      values.set(key, cell);
    }
  }
  const inside = periodNesting();
  const wider = <T>(value: T | null, holders: (value: T) => T[]) => (value === null ? [null] : [value, ...holders(value), null]);
  const asOfsAfter = [...new Set([...values.values()].map((v) => v.at.asOf))].sort();
  const periods = [...new Set([...values.values()].map((v) => v.at.period).filter((p): p is string => p !== null))];
  const findings: Finding[] = [];
  for (const { at, value } of values.values()) {
    for (const measure of [at.measure, ...(WITHIN[at.measure] ? [WITHIN[at.measure], ...(WITHIN[WITHIN[at.measure]] ? [WITHIN[WITHIN[at.measure]]] : [])] : [])]) {
      for (const cohort of wider(at.cohort, () => [])) for (const competency of wider(at.competency, () => [])) for (const band of wider(at.band, () => [])) {
        for (const period of wider(at.period, (p) => periods.filter((q) => inside(p, q)))) for (const asOf of asOfsAfter.filter((t) => t >= at.asOf)) {
          const larger: Coordinate = { measure, cohort, competency, period, band, asOf };
          const other = values.get(keyOf(larger));
          if (!other || keyOf(larger) === keyOf(at)) continue;
          const difference = Math.abs(other.value - value);
          if (difference > 0 && difference < k) findings.push({ smaller: at, larger, values: [value, other.value] });
        }
      }
    }
  }
  return { findings, inconsistent, published: values.size };
}

describe('no two published values of nested groups differ by 1 to k - 1 (committee view)', () => {
  it('engagement: 21 active learners, 13 of them on MK: the MK figure is suppressed (21 - 13 = 8 < k)', () => {
    // 21 learners with an ICS dialogue in September; 13 of them also open one naming MK
    const events = Array.from({ length: 21 }, (_, i) => [
      event('identity.learner-enrolled', `user-l${i}`, 1, '2026-09-01T08:00:00.000Z', { userId: `l${i}`, schoolId: 'med', cohortId: 'c' }),
      event('feedback.dialogue-opened', `d-${i}`, 1, '2026-09-03T09:00:00.000Z', { dialogueId: `d-${i}`, learnerId: `l${i}`, coachId: 'k', topic: 't', competencies: ['ICS'] }),
      ...(i < 13 ? [event('feedback.dialogue-opened', `mk-${i}`, 1, '2026-09-04T09:00:00.000Z', { dialogueId: `mk-${i}`, learnerId: `l${i}`, coachId: 'k', topic: 't', competencies: ['MK'] })] : []),
    ]).flat();
    const activeLearners = (competency?: string) => {
      const result = computeSchoolAnalytics('med', facts(events), { granularity: 'month', ...(competency ? { competency } : {}) }, { asOf: '2026-10-01T00:00:00.000Z', committee: true });
      const engagement = result.tables.find((t) => t.id === 'engagement');
      if (!engagement) throw new Error('no engagement table');
      return engagement.rows.map((row) => row.cells[engagement.columns.findIndex((c) => c.id === 'activeLearners')]);
    };
    expect(activeLearners()).toEqual([{ value: 21, suppressed: false }, { value: 21, suppressed: false }]);
    expect(activeLearners('MK')).toEqual([{ value: null, suppressed: true }, { value: null, suppressed: true }]);
    // ICS: all 21, no difference
    expect(activeLearners('ICS')).toEqual([{ value: 21, suppressed: false }, { value: 21, suppressed: false }]);
  });

  it('over every query of small random schools (cohort, competency, granularity, period, asOf), as a committee member sees them', () => {
    const k = 4;
    // a committee member's asOf counts by month: these fall in five, mid-month and on the first
    const asOfs = ['2026-07-15T12:00:00.000Z', '2026-08-15T12:00:00.000Z', '2026-09-10T00:00:00.000Z', '2026-10-01T00:00:00.000Z', '2027-03-01T00:00:00.000Z'];
    let checked = 0;
    for (const seed of [1, 2]) {
      const { findings, inconsistent, published: count } = differencing(institution(seed), k, asOfs);
      // the same group shown with two values would be a defect too
      expect({ seed, inconsistent, findings: findings.slice(0, 3), total: findings.length }).toEqual({ seed, inconsistent: [], findings: [], total: 0 });
      checked += count;
    }
    // the schools are big enough for many figures to be published
    expect(checked).toBeGreaterThan(1000);
  }, 600_000);
});
