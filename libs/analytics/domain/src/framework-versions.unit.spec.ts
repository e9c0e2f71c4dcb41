import { EventEnvelope } from '@cbme/contracts';
import { applyEvents, Fact } from './analytics-facts';
import { AnalyticsFilters, AnalyticsTable, computeSchoolAnalytics, FrameworkVersion } from './school-analytics';

let seq = 0;
const event = (type: string, streamId: string, streamVersion: number, data: object): EventEnvelope => ({
  eventId: `e${++seq}`, type, schemaVersion: 1, envelopeVersion: 2, streamId, streamVersion, occurredAt: '2026-09-02T09:00:00.000Z', recordedAt: '2026-09-02T09:00:00.000Z',
  tenant: { institutionId: 'inst', schoolId: 'med' }, actor: { userId: 'u', role: 'school-admin' }, correlationId: 'c', causationId: null, data,
});
const framework = [
  event('feedback.framework-version-published', 'feedback-frameworks-med', 1, { frameworkId: 'epas', name: 'EPAs', version: 1, competencies: [{ code: 'A', name: 'a' }, { code: 'B', name: 'b' }, { code: 'D', name: 'd' }], retired: [], source: 'defined' }),
  event('feedback.framework-version-published', 'feedback-frameworks-med', 2, { frameworkId: 'epas', name: 'EPAs', version: 2, competencies: [{ code: 'C', name: 'c' }], retired: [], source: 'defined' }),
  // A and B merge into C; D is left without a mapping
  event('feedback.framework-crosswalk-published', 'feedback-frameworks-med', 3, { frameworkId: 'epas', fromVersion: 1, toVersion: 2, mappings: [{ from: 'A', to: ['C'] }, { from: 'B', to: ['C'] }], unmapped: ['D'] }),
];
/** one cohort; `a` learners have a goal on A, `b` learners a goal on B (other learners), and 11 a goal on D */
function school(a: number, b: number): EventEnvelope[] {
  const events = [event('identity.cohort-created', 'cohort-med-c1', 1, { cohortId: 'c1', schoolId: 'med', program: 'MD', graduationYear: 2028 }), ...framework];
  const goal = (learner: string, code: string) => [
    event('identity.learner-enrolled', `user-${learner}`, 1, { userId: learner, schoolId: 'med', cohortId: 'c1' }),
    event('feedback.goal-set', `goal-${learner}`, 1, { goalId: `g-${learner}`, learnerId: learner, competencies: [code], targetDate: '2027-01-01', visibility: 'shared' }),
    event('feedback.dialogue-opened', `dialogue-${learner}`, 1, { dialogueId: `d-${learner}`, learnerId: learner, coachId: 'coach', topic: 't', competencies: [code] }),
  ];
  for (let i = 0; i < a; i++) events.push(...goal(`a${i}`, 'A'));
  for (let i = 0; i < b; i++) events.push(...goal(`b${i}`, 'B'));
  for (let i = 0; i < 11; i++) events.push(...goal(`d${i}`, 'D'));
  return events;
}
const facts = (events: EventEnvelope[]): Fact[] => [...applyEvents(new Map(), events).values()];
const v2: FrameworkVersion = { frameworkId: 'epas', version: 2 };
const analytics = (events: EventEnvelope[], filters: Partial<AnalyticsFilters> = {}, frameworkVersion?: FrameworkVersion) =>
  computeSchoolAnalytics('med', facts(events), { granularity: 'month', ...filters }, { asOf: '2026-10-01T00:00:00.000Z', minimumGroupSize: 10, frameworkVersion });
const cells = (t: AnalyticsTable | undefined, rowId: string) => t?.rows.find((r) => r.id === rowId)?.cells.map((c) => (c.suppressed ? 'suppressed' : c.value));
const table = (result: ReturnType<typeof analytics>, id: string) => result.tables.find((t) => t.id === id);

describe('analytics under a framework version', () => {
  it('counts old evidence under the new codes; a code without a mapping keeps its own row and is reported', () => {
    const result = analytics(school(11, 12), {}, v2);
    expect(cells(table(result, 'goals-by-competency'), 'C')).toEqual([23, 0, 23]);
    expect(cells(table(result, 'goals-by-competency'), 'D')).toEqual([11, 0, 11]);
    expect(table(result, 'goals-by-competency')?.rows.map((r) => r.id)).toEqual(['C', 'D']);
    expect(result.frameworkVersion).toEqual({ frameworkId: 'epas', version: 2, unmapped: ['D'] });
    expect(result.competencies).toEqual(['C', 'D']);
    // as recorded, nothing changes
    expect(table(analytics(school(11, 12)), 'goals-by-competency')?.rows.map((r) => r.id)).toEqual(['A', 'B', 'D']);
  });

  it('does not let a merged cell uncover a suppressed one by subtraction (C - B = A)', () => {
    const recorded = analytics(school(3, 12));
    expect(cells(table(recorded, 'goals-by-competency'), 'A')).toEqual(['suppressed', 0, 'suppressed']);
    expect(cells(table(recorded, 'goals-by-competency'), 'B')).toEqual([12, 0, 12]);
    // C alone describes 15 learners, but 15 - 12 would give A's 3
    expect(cells(table(analytics(school(3, 12), {}, v2), 'goals-by-competency'), 'C')).toEqual(['suppressed', 0, 'suppressed']);
    const coverage = table(analytics(school(3, 12), {}, v2), 'competency-coverage');
    expect(cells(coverage, 'total')?.[coverage!.columns.findIndex((c) => c.id === 'C')]).toBe('suppressed');
  });

  it('does the same for a competency filter: dialogues naming C against dialogues naming B', () => {
    const dialogues = (filters: Partial<AnalyticsFilters>, version?: FrameworkVersion) => cells(table(analytics(school(3, 12), filters, version), 'dialogues'), 'total')?.[1];
    expect(dialogues({ competency: 'B' })).toBe(12);
    expect(dialogues({ competency: 'C' }, v2)).toBe('suppressed');
    // with both sources published, the merged figure is published
    expect(cells(table(analytics(school(11, 12), { competency: 'C' }, v2), 'dialogues'), 'total')?.[1]).toBe(23);
  });

  it('gives the same tables whatever order the events arrived in (a rebuild)', () => {
    const events = school(3, 12);
    expect(analytics([...events].reverse(), {}, v2)).toEqual(analytics(events, {}, v2));
  });
});
