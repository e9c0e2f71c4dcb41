import { spec } from '@cbme/decider';
import { coachingRelationshipDecider, RelationshipCommand, RelationshipEvent } from './coaching-relationship.decider';

const given = spec(coachingRelationshipDecider).given;
type AssignData = Extract<RelationshipCommand, { type: 'AssignCoach' }>['data'];
const assign = (over: Partial<AssignData> = {}): RelationshipCommand => ({
  type: 'AssignCoach',
  data: { relationshipId: 'r1', learnerId: 'lea', coachId: 'coa', learnerIsLearnerInSchool: true, coachIsCoachInSchool: true, coachLoad: 0, coachCapacity: 10, ...over },
});
const assigned: RelationshipEvent = { type: 'coaching.coach-assigned', data: { relationshipId: 'r1', learnerId: 'lea', coachId: 'coa' } };
const transfer = (over: object = {}): RelationshipCommand => ({
  type: 'TransferLearner',
  data: { newRelationshipId: 'r2', toCoachId: 'other', reason: 'learner moved campus', coachIsCoachInSchool: true, coachLoad: 0, coachCapacity: 10, ...over },
});
const ended: RelationshipEvent = { type: 'coaching.relationship-ended', data: { relationshipId: 'r1', learnerId: 'lea', coachId: 'coa', reason: 'graduated' } };

describe('coaching relationship', () => {
  it('assigns a coach to a learner without one', () => {
    expect(given([]).when(assign()).events()).toEqual([assigned]);
  });

  it('refuses a second current coach', () => {
    expect(given([assigned]).when(assign({ relationshipId: 'r2', coachId: 'other' })).error()).toMatchObject({ kind: 'invalid-state', message: 'lea already has coach coa; transfer instead' });
  });

  it.each([
    [{ learnerIsLearnerInSchool: false }, 'lea is not a learner in this school'],
    [{ coachIsCoachInSchool: false }, 'coa is not a coach in this school'],
    [{ coachId: 'lea' }, 'a learner cannot coach themselves'],
    [{ coachLoad: 10 }, 'coach coa is at capacity (10 of 10); a coaching lead may override with a reason'],
    [{ coachLoad: 10, capacityOverride: '  ' }, 'coach coa is at capacity (10 of 10); a coaching lead may override with a reason'],
  ])('refuses %p', (over, message) => {
    expect(given([]).when(assign(over)).error()).toMatchObject({ kind: 'rule-violated', message });
  });

  it('an imported assignment of the past is not judged by today\'s capacity', () => {
    const imported: RelationshipCommand = {
      type: 'AssignCoach', data: { relationshipId: 'r1', learnerId: 'lea', coachId: 'coa', learnerIsLearnerInSchool: true, coachIsCoachInSchool: true, importedBy: 'sa-1' },
    };
    const [event] = given([]).when(imported).events();
    expect(event.data).not.toHaveProperty('capacityOverride');
    expect(event.data).not.toHaveProperty('importedBy');
  });

  it('assigns beyond capacity when a lead gives a reason, and records it', () => {
    const [event] = given([]).when(assign({ coachLoad: 12, capacityOverride: 'only coach on the rural track' })).events();
    expect(event.data).toMatchObject({ capacityOverride: 'only coach on the rural track' });
  });

  it('refuses an assignment or a transfer to a full coach without a reason, naming the override field', () => {
    const refusal = { kind: 'rule-violated', field: 'capacityOverride' };
    expect(given([]).when(assign({ coachLoad: 10, coachCapacity: 10 })).error()).toMatchObject(refusal);
    expect(given([assigned]).when(transfer({ coachLoad: 11, coachCapacity: 10 })).error()).toMatchObject(refusal);
  });

  it('transfers to a full coach with a reason and records the override, trimmed', () => {
    const [event] = given([assigned]).when(transfer({ coachLoad: 3, coachCapacity: 3, capacityOverride: ' same house as her sibling ' })).events();
    expect(event.data).toMatchObject({ toCoachId: 'other', capacityOverride: 'same house as her sibling' });
  });

  it('records no override when the coach had room (a seat freed since the form opened)', () => {
    expect(given([]).when(assign({ coachLoad: 9, coachCapacity: 10, capacityOverride: 'continuity' })).events()).toEqual([assigned]);
    expect(given([assigned]).when(transfer({ coachLoad: 2, coachCapacity: 3, capacityOverride: 'continuity' })).events()[0].data).not.toHaveProperty('capacityOverride');
  });

  it('resumes with the reason given, and without one when none was', () => {
    const paused: RelationshipEvent = { type: 'coaching.relationship-paused', data: { relationshipId: 'r1', learnerId: 'lea', coachId: 'coa', reason: 'leave' } };
    expect(given([assigned, paused]).when({ type: 'ResumeRelationship', data: { reason: ' back from leave ' } }).events()).toEqual([
      { type: 'coaching.relationship-resumed', data: { relationshipId: 'r1', learnerId: 'lea', coachId: 'coa', reason: 'back from leave' } },
    ]);
    expect(given([assigned, paused]).when({ type: 'ResumeRelationship', data: { reason: '  ' } }).events()[0].data).not.toHaveProperty('reason');
  });

  it('transfers: ends one relationship and starts the next in one event', () => {
    expect(given([assigned]).when(transfer()).events()).toEqual([
      { type: 'coaching.learner-transferred', data: { relationshipId: 'r1', newRelationshipId: 'r2', learnerId: 'lea', fromCoachId: 'coa', toCoachId: 'other', reason: 'learner moved campus' } },
    ]);
  });

  it('refuses to transfer to the same coach, to a coach at capacity, or without a relationship', () => {
    expect(given([assigned]).when(transfer({ toCoachId: 'coa' })).error()).toMatchObject({ kind: 'invalid-state' });
    expect(given([assigned]).when(transfer({ coachLoad: 3, coachCapacity: 3 })).error()).toMatchObject({ kind: 'rule-violated' });
    expect(given([]).when(transfer()).error()).toMatchObject({ kind: 'not-found', message: 'this learner has no current coaching relationship' });
  });

  it('pauses and resumes, refusing to pause twice or resume an active one', () => {
    const paused = given([assigned]).when({ type: 'PauseRelationship', data: { reason: 'leave of absence' } }).events();
    expect(paused).toEqual([{ type: 'coaching.relationship-paused', data: { relationshipId: 'r1', learnerId: 'lea', coachId: 'coa', reason: 'leave of absence' } }]);
    expect(given([assigned, ...paused]).when({ type: 'PauseRelationship', data: { reason: 'again' } }).error()).toMatchObject({ kind: 'invalid-state' });
    expect(given([assigned, ...paused]).when({ type: 'ResumeRelationship', data: {} }).events()[0].type).toBe('coaching.relationship-resumed');
    expect(given([assigned]).when({ type: 'ResumeRelationship', data: {} }).error()).toMatchObject({ kind: 'invalid-state', message: 'the relationship is not paused' });
  });

  it('ends a relationship, and refuses to end an ended one', () => {
    expect(given([assigned]).when({ type: 'EndRelationship', data: { reason: 'graduated' } }).events()).toEqual([ended]);
    expect(given([assigned, ended]).when({ type: 'EndRelationship', data: { reason: 'other' } }).error()).toMatchObject({
      kind: 'invalid-state', message: "lea's coaching relationship has ended; assign a coach to begin a new one",
    });
    expect(given([assigned, ended]).when({ type: 'PauseRelationship', data: { reason: 'leave' } }).error()).toMatchObject({ kind: 'invalid-state' });
  });

  it('ends nothing when a reaction finds no current relationship', () => {
    expect(given([assigned, ended]).when({ type: 'EndRelationship', data: { reason: 'withdrawn', onlyIfCurrent: true } }).events()).toEqual([]);
  });

  it('keeps the whole history: a new coach may be assigned after an end', () => {
    expect(given([assigned, ended]).when(assign({ relationshipId: 'r3', coachId: 'third' })).events()).toHaveLength(1);
  });

  it('flags for reassignment only the learners of the departing coach', () => {
    expect(given([assigned]).when({ type: 'FlagForReassignment', data: { coachId: 'coa', reason: 'coach deactivated' } }).events().map((e) => e.type)).toEqual([
      'coaching.relationship-ended', 'coaching.reassignment-flagged',
    ]);
    expect(given([assigned]).when({ type: 'FlagForReassignment', data: { coachId: 'someone-else', reason: 'coach deactivated' } }).events()).toEqual([]);
  });

  it('flags a relationship behind cadence once per due date', () => {
    const flag: RelationshipCommand = { type: 'FlagBehindCadence', data: { relationshipId: 'r1', dueBy: '2026-03-01T00:00:00.000Z' } };
    const flagged = given([assigned]).when(flag).events();
    expect(flagged).toHaveLength(1);
    expect(given([assigned, ...flagged]).when(flag).events()).toEqual([]);
    expect(given([assigned, ...flagged]).when({ ...flag, data: { ...flag.data, dueBy: '2026-05-01T00:00:00.000Z' } }).events()).toHaveLength(1);
  });
});
