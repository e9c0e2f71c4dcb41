import { foldEvents, spec } from '@cbme/decider';
import { behindCadence, cadenceStatus, lastHeldAt } from './coaching-cadence';
import { coachDepartureDecider } from './coach-departure.decider';
import { coachCapacityDecider, coachingProgramDecider } from './coaching-program.decider';
import { learningCommunityDecider } from './learning-community.decider';
import { activityOf, describeSinceLastMet, sinceLastMet } from './since-last-met';

describe('cadence', () => {
  const rel = { relationshipId: 'r1', learnerId: 'l', coachId: 'c', startedAt: '2026-01-01T00:00:00.000Z' };
  it('is due a cadence after the last held meeting, or after the start', () => {
    expect(cadenceStatus(rel, 56, '2026-02-01T00:00:00.000Z')).toMatchObject({ dueBy: '2026-02-26T00:00:00.000Z', behind: false });
    expect(cadenceStatus({ ...rel, lastHeldAt: '2026-02-20T00:00:00.000Z' }, 56, '2026-04-01T00:00:00.000Z')).toMatchObject({ dueBy: '2026-04-17T00:00:00.000Z', behind: false });
    expect(behindCadence([rel, { ...rel, relationshipId: 'r2', lastHeldAt: '2026-03-01T00:00:00.000Z' }], 56, '2026-03-10T00:00:00.000Z').map((s) => s.relationship.relationshipId)).toEqual(['r1']);
  });
});

describe('program and capacity', () => {
  it('records a change and ignores a repeat', () => {
    const cmd = { type: 'ConfigureProgram' as const, data: { meetingCadenceDays: 42, defaultCoachCapacity: 8 } };
    const events = spec(coachingProgramDecider).given([]).when(cmd).events();
    expect(events).toHaveLength(1);
    expect(spec(coachingProgramDecider).given(events).when(cmd).events()).toEqual([]);
    expect(spec(coachCapacityDecider).given([]).when({ type: 'SetCoachCapacity', data: { coachId: 'x', capacity: 3, coachIsCoachInSchool: false } }).error()).toMatchObject({ kind: 'rule-violated' });
  });
});

describe('coach capacity', () => {
  const given = spec(coachCapacityDecider).given;
  const set = (capacity: number, reason?: string) => ({ type: 'SetCoachCapacity' as const, data: { coachId: 'x', capacity, reason, coachIsCoachInSchool: true } });
  it('keeps why the capacity changed, trimmed, and leaves it out when none was given', () => {
    expect(given([]).when(set(4, ' part-time this term ')).events()).toEqual([{ type: 'coaching.coach-capacity-set', data: { coachId: 'x', capacity: 4, reason: 'part-time this term' } }]);
    expect(given([]).when(set(4, ' ')).events()).toEqual([{ type: 'coaching.coach-capacity-set', data: { coachId: 'x', capacity: 4 } }]);
  });
  it('records nothing when the capacity does not change', () => {
    expect(given([{ type: 'coaching.coach-capacity-set', data: { coachId: 'x', capacity: 4 } }]).when(set(4, 'again')).events()).toEqual([]);
  });
});

describe('learning community', () => {
  const created = { type: 'coaching.community-created' as const, data: { communityId: 'house-osler', name: 'Osler House' } };
  it('tracks coach membership and refuses what makes no sense', () => {
    const given = spec(learningCommunityDecider).given;
    const joined = given([created]).when({ type: 'AddCoachToCommunity', data: { coachId: 'c1', coachIsCoachInSchool: true } }).events();
    expect(foldEvents(learningCommunityDecider, [created, ...joined]).coaches).toEqual(['c1']);
    expect(given([created, ...joined]).when({ type: 'AddCoachToCommunity', data: { coachId: 'c1', coachIsCoachInSchool: true } }).error()).toMatchObject({ kind: 'invalid-state' });
    expect(given([created]).when({ type: 'RemoveCoachFromCommunity', data: { coachId: 'c1' } }).error()).toMatchObject({ kind: 'not-found' });
    expect(given([]).when({ type: 'RemoveCoachFromCommunity', data: { coachId: 'c1' } }).error()).toMatchObject({ kind: 'not-found', message: 'no such learning community' });
    expect(given([created]).when({ type: 'CreateCommunity', data: created.data }).error()).toMatchObject({ kind: 'invalid-state' });
  });
});

describe('coach departure process', () => {
  const start = { type: 'StartDeparture' as const, data: { coachId: 'c1', learnersToReassign: [{ schoolId: 's', id: 'l1' }], meetingsToCancel: [] } };
  it('fixes its work list once and completes once', () => {
    const given = spec(coachDepartureDecider).given;
    const started = given([]).when(start).events();
    expect(given(started).when({ ...start, data: { ...start.data, learnersToReassign: [] } }).events()).toEqual([]);
    const done = given(started).when({ type: 'CompleteDeparture', data: { coachId: 'c1', learnersFlagged: 1, meetingsCancelled: 0 } }).events();
    expect(done).toHaveLength(1);
    expect(given([...started, ...done]).when({ type: 'CompleteDeparture', data: { coachId: 'c1', learnersFlagged: 1, meetingsCancelled: 0 } }).events()).toEqual([]);
  });
});

describe('since we last met', () => {
  const ev = (type: string, occurredAt: string, data: object) => ({ eventId: `${type}@${occurredAt}`, type, occurredAt, data: { learnerId: 'l1', ...data } });
  const activity = [
    ev('feedback.dialogue-opened', '2026-01-05T00:00:00.000Z', { dialogueId: 'd1', competencies: ['PC'] }),
    ev('feedback.goal-set', '2026-02-05T00:00:00.000Z', { goalId: 'g1', competencies: [] }),
    ev('feedback.goal-status-changed', '2026-02-06T00:00:00.000Z', { goalId: 'g1', from: 'active', to: 'achieved' }),
    ev('feedback.dialogue-entry-added', '2026-02-07T00:00:00.000Z', { dialogueId: 'd1' }),
  ].map(activityOf).filter((a) => a !== null);

  it('keeps what happened after the last meeting, counted by kind', () => {
    expect(activity).toHaveLength(3);
    const summary = sinceLastMet(activity, '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z');
    expect(summary.items.map((i) => i.kind)).toEqual(['goal-set', 'goal-achieved']);
    expect(summary.counts).toMatchObject({ 'goal-set': 1, 'goal-achieved': 1, 'dialogue-opened': 0 });
    expect(describeSinceLastMet(summary)).toBe('since your last meeting (2026-02-01): 1 goal set, 1 goal achieved.');
    expect(sinceLastMet(activity, null, '2026-03-01T00:00:00.000Z').items).toHaveLength(3);
  });

  it('leaves out goals the learner keeps private from the coach', () => {
    expect(activityOf(ev('feedback.goal-set', '2026-02-05T00:00:00.000Z', { goalId: 'g2', competencies: [], visibility: 'private' }))).toBeNull();
    expect(activityOf(ev('feedback.goal-set', '2026-02-05T00:00:00.000Z', { goalId: 'g3', competencies: [], visibility: 'shared' }))).toMatchObject({ kind: 'goal-set' });
  });
});

describe('last held meeting', () => {
  const meetings = [
    { status: 'held', startsAt: '2026-03-01T09:00:00.000Z', heldAt: '2026-03-01T10:00:00.000Z' },
    { status: 'cancelled', startsAt: '2026-04-01T09:00:00.000Z' },
    { status: 'held', startsAt: '2026-05-01T09:00:00.000Z', heldAt: '2026-05-01T10:00:00.000Z' },
  ];

  it('is the latest held one, counting neither cancelled meetings nor those at or after a given time', () => {
    expect(lastHeldAt(meetings)).toBe('2026-05-01T10:00:00.000Z');
    expect(lastHeldAt(meetings, '2026-05-01T09:00:00.000Z')).toBe('2026-03-01T10:00:00.000Z');
    expect(lastHeldAt(meetings.slice(1, 2))).toBeNull();
  });
});
