import { EventEnvelope } from '@cbme/contracts';
import { applyEvents, Fact } from './analytics-facts';
import { periodOf } from './periods';
import { AnalyticsFilters, AnalyticsTable, computeSchoolAnalytics } from './school-analytics';
import { COMPARED_TABLES, compareSchools } from './school-comparison';

let seq = 0;
const event = (type: string, streamId: string, streamVersion: number, occurredAt: string, data: object, schoolId = 'med'): EventEnvelope => ({
  eventId: `e${++seq}`, type, schemaVersion: 1, envelopeVersion: 2, streamId, streamVersion, occurredAt, recordedAt: occurredAt,
  tenant: { institutionId: 'inst', schoolId }, actor: { userId: 'u', role: 'learner' }, correlationId: 'c', causationId: null, data,
});
const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 8, day, hour)).toISOString();

/**
 * A school with a cohort of 12 learners (big), one of 11 (mid) and one of 3 (small). Every learner opens an ICS
 * dialogue on day 1 that their coach answers (after 2 h for even learners, 6 h for odd ones); 10 of the big
 * cohort also open a PROF dialogue in October. Learners of the big cohort close their ICS dialogue and set a goal;
 * the first 4 achieve it 10 days later.
 */
function school() {
  const events: EventEnvelope[] = [
    event('identity.cohort-created', 'cohort-med-big', 1, at(1, 0), { cohortId: 'big', schoolId: 'med', program: 'MD', graduationYear: 2028 }),
    event('identity.cohort-created', 'cohort-med-mid', 1, at(1, 0), { cohortId: 'mid', schoolId: 'med', program: 'MD', graduationYear: 2029 }),
    event('identity.cohort-created', 'cohort-med-small', 1, at(1, 0), { cohortId: 'small', schoolId: 'med', program: 'MD', graduationYear: 2030 }),
    event('coaching.program-configured', 'coaching-program-med', 1, at(1, 0), { meetingCadenceDays: 28, defaultCoachCapacity: 10 }),
  ];
  const cohorts = { big: 12, mid: 11, small: 3 };
  for (const [cohortId, size] of Object.entries(cohorts)) {
    for (let i = 0; i < size; i++) {
      const learner = `${cohortId}-${i}`;
      const coach = i % 2 ? 'coach-a' : 'coach-b';
      events.push(
        event('identity.learner-enrolled', `user-${learner}`, 2, at(1, 1), { userId: learner, schoolId: 'med', cohortId }),
        event('coaching.coach-assigned', `coaching-learner-med-${learner}`, 1, at(1, 2), { relationshipId: `r-${learner}`, learnerId: learner, coachId: coach }),
        event('feedback.dialogue-opened', `dialogue-${learner}`, 1, at(2), { dialogueId: `d-${learner}`, learnerId: learner, coachId: coach, topic: 't', competencies: ['ICS'] }),
        event('feedback.dialogue-entry-added', `dialogue-${learner}`, 2, at(2, 10), { dialogueId: `d-${learner}`, entryId: 'x1', authorId: learner, visibility: 'shared', wordCount: 3 }),
        event('feedback.dialogue-entry-added', `dialogue-${learner}`, 3, at(2, i % 2 ? 15 : 11), { dialogueId: `d-${learner}`, entryId: 'x2', authorId: coach, visibility: 'shared', wordCount: 3 }),
      );
      if (cohortId === 'big') {
        events.push(
          event('feedback.dialogue-closed', `dialogue-${learner}`, 4, at(5), { dialogueId: `d-${learner}`, learnerId: learner }),
          event('feedback.goal-set', `goal-${learner}`, 1, at(6), { goalId: `g-${learner}`, learnerId: learner, competencies: ['ICS'], targetDate: '2027-01-01', visibility: 'shared' }),
        );
        if (i < 4) events.push(event('feedback.goal-status-changed', `goal-${learner}`, 2, at(16), { goalId: `g-${learner}`, learnerId: learner, from: 'active', to: 'achieved', visibility: 'shared' }));
        if (i < 10) events.push(event('feedback.dialogue-opened', `dialogue-${learner}-prof`, 1, new Date(Date.UTC(2026, 9, 5)).toISOString(), { dialogueId: `d-${learner}-p`, learnerId: learner, coachId: coach, topic: 't', competencies: ['PROF'] }));
      }
    }
  }
  return events;
}

const asOf = new Date(Date.UTC(2026, 9, 20)).toISOString();
const facts = (events: EventEnvelope[]): Fact[] => [...applyEvents(new Map(), events).values()].filter((f) => f.schoolId === 'med');
const analytics = (events: EventEnvelope[], filters: Partial<AnalyticsFilters> = {}, minimumGroupSize?: number) =>
  computeSchoolAnalytics('med', facts(events), { granularity: 'month', ...filters }, { asOf, minimumGroupSize });
const table = (result: ReturnType<typeof analytics>, id: string): AnalyticsTable => result.tables.find((t) => t.id === id)!;
/** a table as { row: { column: value | 'suppressed' } } */
const view = (t: AnalyticsTable) => Object.fromEntries(t.rows.map((row) => [row.id || '(none)', Object.fromEntries(t.columns.map((column, c) =>
  [column.id, row.cells[c].suppressed ? 'suppressed' : row.cells[c].value]))]));

describe('school analytics from event sequences', () => {
  it('counts dialogues, responses and closing per cohort; a cohort below k and its complement are suppressed', () => {
    const dialogues = view(table(analytics(school()), 'dialogues'));
    expect(dialogues['big']).toEqual({
      learners: 12, dialogues: 22, learnersWithDialogue: 12, closed: 12, closedWithActionItems: 0,
      perLearner: 1.83, shareClosed: 54.5, shareClosedWithActionItems: 0, medianHoursToFirstResponse: 4,
    });
    expect(dialogues['small'].learners).toBe('suppressed');
    // the total is published, so the small cohort alone could be worked out: the next smallest cohort goes too
    expect(dialogues['mid'].learners).toBe('suppressed');
    expect(dialogues['total']).toMatchObject({ learners: 26, dialogues: 36, learnersWithDialogue: 26 });
    // 0 closed of the small cohort's 3 dialogues would tell that its 3 learners' dialogues are all open: suppressed,
    // and the mid cohort's 0 with it (the line's total is published)
    expect(dialogues['small'].closed).toBe('suppressed');
    expect(dialogues['mid'].closed).toBe('suppressed');
    expect(dialogues['big'].closed).toBe(12);
    expect(dialogues['total'].closed).toBe(12);
  });

  it('counts dialogues closed with agreed action items, and a reopened dialogue as open again', () => {
    const events = school();
    for (let i = 0; i < 11; i++) {
      events.push(event('feedback.dialogue-action-agreed', `dialogue-big-${i}`, 5, at(5, 12), { dialogueId: 'd', learnerId: `big-${i}`, actionId: `a${i}`, ownerId: `big-${i}` }));
    }
    events.push(event('feedback.dialogue-reopened', 'dialogue-big-11', 5, at(7), { dialogueId: 'd', learnerId: 'big-11' }));
    const dialogues = view(table(analytics(events), 'dialogues'));
    expect(dialogues['big']).toMatchObject({ closed: 11, closedWithActionItems: 11, shareClosedWithActionItems: 50 });
  });

  it('counts goals by status and the median time to achievement', () => {
    const goals = view(table(analytics(school()), 'goals'));
    // 8 active goals of 8 learners, 4 achieved by 4: both below k = 10
    expect(goals['big']).toEqual({ set: 12, active: 'suppressed', achieved: 'suppressed', abandoned: 0, deferred: 0, medianDaysToAchievement: 'suppressed' });
    // with k = 4 they may be shown
    const lowK = view(table(analytics(school(), {}, 4), 'goals'));
    expect(lowK['big']).toMatchObject({ active: 8, achieved: 4, medianDaysToAchievement: 10 });
  });

  it('is the same whatever the order of the streams and with every event delivered twice', () => {
    const events = school();
    const expected = analytics(events);
    const byStream = new Map<string, EventEnvelope[]>();
    for (const e of events) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
    // streams reversed (dialogues before enrolments and cohorts), each stream in its own order
    const reversed = [...byStream.values()].reverse().flat();
    expect(analytics(reversed)).toEqual(expected);
    // round-robin interleaving across streams
    const queues = [...byStream.values()].map((q) => [...q]);
    const interleaved: EventEnvelope[] = [];
    while (queues.some((q) => q.length)) for (const q of queues) if (q.length) interleaved.push(q.shift()!);
    expect(analytics(interleaved)).toEqual(expected);
    expect(analytics([...events, ...events.slice(0, 50), ...events])).toEqual(expected);
    // an older event of a stream arriving after a newer one changes nothing
    expect(analytics([...events, events.find((e) => e.type === 'feedback.dialogue-opened')!])).toEqual(expected);
  });

  it('a competency filter shows numbers only when neither the filtered group nor its difference to the unfiltered one is below k', () => {
    const ics = view(table(analytics(school(), { competency: 'ICS' }), 'dialogues'));
    // 12 ICS dialogues; the difference to the unfiltered 22 is 10 PROF dialogues of 10 learners: safe
    expect(ics['big']).toMatchObject({ dialogues: 12, learnersWithDialogue: 12 });
    const prof = view(table(analytics(school(), { competency: 'PROF' }), 'dialogues'));
    expect(prof['big']).toMatchObject({ dialogues: 10 });
    // with 9 PROF dialogues instead of 10:
    const fewer = school().filter((e) => !(e.streamId === 'dialogue-big-9-prof'));
    const profFewer = view(table(analytics(fewer, { competency: 'PROF' }), 'dialogues'));
    // 9 PROF learners: below k, suppressed
    expect(profFewer['big'].dialogues).toBe('suppressed');
  });

  it('differencing two totals reveals no group below k: unfiltered minus filtered is checked for every table', () => {
    // 3 learners of the big cohort have a dialogue naming SURG: ICS-or-SURG vs ICS would single them out
    const events = [...school(), ...[0, 1, 2].map((i) => event('feedback.dialogue-opened', `dialogue-big-${i}-surg`, 1, at(3), {
      dialogueId: `s${i}`, learnerId: `big-${i}`, coachId: 'coach-b', topic: 't', competencies: ['ICS', 'SURG'],
    }))];
    const all = analytics(events);
    const surg = analytics(events, { competency: 'SURG' });
    const prof = analytics(events, { competency: 'PROF' });
    expect(view(table(surg, 'dialogues'))['big'].dialogues).toBe('suppressed');
    expect(view(table(surg, 'dialogues'))['total'].dialogues).toBe('suppressed');
    expect(view(table(all, 'competency-coverage'))['big'].SURG).toBe('suppressed');
    // PROF's difference to the whole (ICS and SURG dialogues) describes all 26 learners: published
    expect(view(table(prof, 'dialogues'))['big'].dialogues).toBe(10);
  });

  it('a narrow period filter that isolates a few learners is suppressed; wide ones are not', () => {
    // one learner of the big cohort opens a dialogue in November: alone in that month
    const events = [...school(), event('feedback.dialogue-opened', 'dialogue-big-0-nov', 1, new Date(Date.UTC(2026, 10, 3)).toISOString(), {
      dialogueId: 'n', learnerId: 'big-0', coachId: 'coach-b', topic: 't', competencies: ['ICS'],
    })];
    const november = analytics(events, { period: '2026-11' });
    expect(view(table(november, 'dialogues'))['big'].dialogues).toBe('suppressed');
    expect(view(table(november, 'engagement'))['2026-11'].dialoguesOpened).toBe('suppressed');
    const september = analytics(events, { period: '2026-09' });
    expect(view(table(september, 'dialogues'))['big'].dialogues).toBe(12);
    // the period row of the trend equals the same row without the filter
    expect(table(september, 'engagement').rows[0]).toEqual(table(analytics(events), 'engagement').rows.find((r) => r.id === '2026-09'));
  });

  it('a cohort filter shows the slice of the school-wide table, never a recomputed smaller one', () => {
    const whole = table(analytics(school()), 'dialogues');
    const small = table(analytics(school(), { cohortId: 'small' }), 'dialogues');
    expect(small.rows.map((r) => r.id)).toEqual(['small', 'total']);
    expect(small.rows).toEqual(whole.rows.filter((r) => r.id === 'small' || r.total));
    expect(small.rows[0].cells.every((c) => c.suppressed || c.value === 0 || c.value === null)).toBe(true);
  });

  it('competency coverage per cohort as heat-map cells', () => {
    const coverage = view(table(analytics(school()), 'competency-coverage'));
    expect(coverage['big']).toEqual({ ICS: 12, PROF: 10 });
    expect(coverage['small']).toEqual({ ICS: 'suppressed', PROF: 0 });
    expect(coverage['total']).toEqual({ ICS: 26, PROF: 10 });
  });

  it('coaching: learners per coach against capacity, meetings held vs expected, relationships behind cadence', () => {
    const events = [...school(), ...Array.from({ length: 12 }, (_, i) => [
      event('coaching.meeting-scheduled', `meeting-big-${i}`, 1, at(3), { meetingId: `m${i}`, relationshipId: 'r', learnerId: `big-${i}`, coachId: i % 2 ? 'coach-a' : 'coach-b', startsAt: at(25), durationMinutes: 30 }),
      event('coaching.meeting-held', `meeting-big-${i}`, 2, at(25), { meetingId: `m${i}`, learnerId: `big-${i}`, coachId: i % 2 ? 'coach-a' : 'coach-b', agenda: [], notes: [] }),
    ]).flat()];
    const coaching = view(table(analytics(events), 'coaching'));
    // assigned on Sept 1, cadence 28 days, as of Oct 20: one meeting expected per learner; big held theirs on Sept 25
    expect(coaching['big']).toMatchObject({ withCoach: 12, meetingsHeld: 12, meetingsExpected: 12, behindCadence: 0, shareHeld: 100 });
    expect(coaching['total']).toMatchObject({ withCoach: 26, meetingsExpected: 26, behindCadence: 14 });
    const load = view(table(analytics(events), 'coach-load'));
    // coach-a has 13 learners (capacity 10), coach-b 13: both over capacity
    expect(load['over']).toEqual({ coaches: 2, learners: 26, capacity: 20 });
    expect(load['under']).toEqual({ coaches: 0, learners: 0, capacity: 0 });
  });

  it('names no learner anywhere in what it returns', () => {
    const text = JSON.stringify(analytics(school()));
    expect(text).not.toMatch(/big-\d|mid-\d|small-\d/);
  });

  it('buckets instants into ISO weeks, months and terms', () => {
    expect(periodOf('2026-09-02T09:00:00.000Z', 'week')).toBe('2026-W36');
    expect(periodOf('2027-01-01T09:00:00.000Z', 'week')).toBe('2026-W53');
    expect(periodOf('2026-09-02T09:00:00.000Z', 'month')).toBe('2026-09');
    expect(periodOf('2026-09-02T09:00:00.000Z', 'term')).toBe('2026-T3');
    expect(periodOf('2026-02-02T09:00:00.000Z', 'term')).toBe('2026-T1');
  });
});

describe('schools compared, for institution admins', () => {
  it('shows each school\'s all-cohort figures as its own tables do, suppressed by its own k, with no institution total', () => {
    const med = analytics(school());
    const lowK = { ...analytics(school(), {}, 4), schoolId: 'dent' };
    const empty = computeSchoolAnalytics('nurs', [], { granularity: 'month' }, { asOf });
    const { schools, table: compared } = compareSchools([med, lowK, empty], asOf, { granularity: 'month' });
    expect(schools).toEqual(['med', 'dent', 'nurs']);
    const rows = view(compared);
    expect(rows['med']).toMatchObject({
      'dialogues.learners': 26, 'dialogues.perLearner': 1.38, 'dialogues.shareClosed': 33.3, 'goals.set': 12,
      // 4 goals achieved by 4 learners: below med's k = 10, as in med's own goals table
      'goals.achieved': 'suppressed', 'goals.medianDaysToAchievement': 'suppressed', 'coaching.withCoach': 26,
    });
    expect(rows['dent']).toMatchObject({ 'goals.achieved': 4, 'goals.medianDaysToAchievement': 10 });
    expect(rows['nurs']).toMatchObject({ 'dialogues.learners': 0, 'goals.set': 0 });
    expect(compared.rows.some((r) => r.total)).toBe(false);
    // computed from only the tables it reads: the same rows
    const medOnlyCompared = computeSchoolAnalytics('med', facts(school()), { granularity: 'month' }, { asOf, tables: COMPARED_TABLES });
    expect(medOnlyCompared.tables.map((t) => t.id)).toEqual(COMPARED_TABLES);
    expect(compareSchools([medOnlyCompared], asOf, { granularity: 'month' }).table.rows[0]).toEqual(compared.rows[0]);
    const goals = table(med, 'goals');
    expect(compared.rows[0].cells[compared.columns.findIndex((c) => c.id === 'goals.set')]).toEqual(goals.rows.find((r) => r.total)!.cells[0]);
  });
});
