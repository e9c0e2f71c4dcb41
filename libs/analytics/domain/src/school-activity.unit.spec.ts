import { EventEnvelope } from '@cbme/contracts';
import { applyEvents, evolveFact, Fact, factKeyOf } from './analytics-facts';
import { summarizeSchool, summarizeSchoolForCommittee } from './school-activity';

let seq = 0;
const event = (type: string, streamId: string, streamVersion: number, data: object, schoolId = 'med'): EventEnvelope => ({
  eventId: `e${++seq}`, type, schemaVersion: 1, streamId, streamVersion, occurredAt: '2026-09-01T00:00:00.000Z', envelopeVersion: 2, recordedAt: '2026-09-01T00:00:00.000Z',
  tenant: { institutionId: 'inst', schoolId }, actor: { userId: 'u', role: 'learner' }, correlationId: 'c', causationId: null, data,
});

const history = [
  event('coaching.coach-assigned', 'coaching-learner-med-l1', 1, { relationshipId: 'r1', learnerId: 'l1', coachId: 'c1' }),
  event('coaching.coach-assigned', 'coaching-learner-med-l2', 1, { relationshipId: 'r2', learnerId: 'l2', coachId: 'c1' }),
  event('feedback.dialogue-opened', 'd1', 1, { dialogueId: 'd1', learnerId: 'l1', coachId: 'c1', topic: 't', competencies: [] }),
  event('feedback.dialogue-entry-added', 'd1', 2, { dialogueId: 'd1' }),
  event('feedback.dialogue-closed', 'd1', 3, { dialogueId: 'd1', learnerId: 'l1' }),
  event('feedback.dialogue-opened', 'd2', 1, { dialogueId: 'd2', learnerId: 'l2', coachId: 'c1', topic: 't', competencies: [] }),
  event('feedback.goal-set', 'g1', 1, { goalId: 'g1', learnerId: 'l1' }),
  event('feedback.goal-status-changed', 'g1', 2, { goalId: 'g1', learnerId: 'l1', from: 'active', to: 'achieved' }),
  event('feedback.goal-set', 'g2', 1, { goalId: 'g2', learnerId: 'l2' }),
];

const factsOf = (events: EventEnvelope[]) => [...applyEvents(new Map<string, Fact>(), events).values()].filter((r) => r.schoolId === 'med');
const project = (events: EventEnvelope[]) => summarizeSchool('med', factsOf(events));

describe('school activity projection', () => {
  const expected = {
    schoolId: 'med',
    dialogues: { opened: 2, closed: 1, open: 1 },
    goals: { active: 1, achieved: 1, abandoned: 0, deferred: 0, total: 2 },
    coaching: { learnersWithCoach: 2, coaches: 1, learnersPerCoach: [{ coachId: 'c1', learners: 2 }] },
  };

  it('counts dialogues, goals by status and learners per coach', () => {
    expect(project(history)).toEqual(expected);
  });

  it('is unchanged by duplicates and by a full replay on top', () => {
    expect(project([...history, ...history, history[4], history[2]])).toEqual(expected);
  });

  it('is the same whatever the interleaving across streams', () => {
    const byStream = (id: string) => history.filter((e) => e.streamId === id);
    const interleaved = [...byStream('g1'), ...byStream('d2'), ...byStream('d1'), ...byStream('g2'), ...byStream('coaching-learner-med-l2'), ...byStream('coaching-learner-med-l1')];
    expect(project(interleaved)).toEqual(expected);
  });

  it('keeps schools apart', () => {
    const other = event('feedback.dialogue-opened', 'd9', 1, { dialogueId: 'd9', learnerId: 'x', coachId: 'y' }, 'nursing');
    expect(project([...history, other]).dialogues.opened).toBe(2);
  });
});

describe('events analytics does not fold', () => {
  it.each(['constructor', '__proto__', 'toString', 'coaching.unknown'])('an event of type %s changes no record', (type) => {
    const stray = event(type, 'd1', 4, { dialogueId: 'd1' });
    expect(factKeyOf(stray)).toBeNull();
    expect(evolveFact(undefined, stray)).toBeUndefined();
    expect(project([...history, stray])).toEqual(project(history));
  });
});

describe('school activity as a committee member gets it', () => {
  const asOf = '2026-10-01T00:00:00.000Z';
  const numbers = (value: unknown): unknown[] => (value !== null && typeof value === 'object' ? Object.values(value).flatMap(numbers) : [value]);

  it('shows no figure of 1 to k - 1: the analytics tables\' rule suppresses them', () => {
    const activity = summarizeSchoolForCommittee('med', factsOf(history), { asOf, minimumGroupSize: 10 });
    expect(activity).toEqual({
      schoolId: 'med', minimumGroupSize: 10,
      dialogues: { opened: null, closed: null, open: null },
      // 0 abandoned of 2 goals would tell about those 2 learners too
      goals: { active: null, achieved: null, abandoned: null, deferred: null, total: null },
      coaching: { learnersWithCoach: null, coaches: null },
    });
  });

  it('shows the plain totals (without the per-coach breakdown) where nothing is below k', () => {
    const { coaching: { learnersPerCoach: _perCoach, ...coaching }, ...plain } = project(history);
    expect(summarizeSchoolForCommittee('med', factsOf(history), { asOf, minimumGroupSize: 1 })).toEqual({ ...plain, minimumGroupSize: 1, coaching });
  });

  it('publishes 0 or at least k of learners\' figures, for any k (coaches are counted as the coach-load table does: shown when their learners are k or more)', () => {
    for (const k of [2, 3, 5]) {
      const { coaching: { coaches, ...coaching }, ...activity } = summarizeSchoolForCommittee('med', factsOf(history), { asOf, minimumGroupSize: k });
      const published = numbers({ ...activity, coaching }).filter((v): v is number => typeof v === 'number');
      expect(published.filter((v) => v > 0 && v < k)).toEqual([]);
      // one coach of the 2 learners with a coach
      expect(coaches).toBe(k <= 2 ? 1 : null);
    }
  });
});
