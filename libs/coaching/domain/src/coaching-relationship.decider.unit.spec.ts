import { spec } from '@cbme/decider';
import { coachingRelationshipDecider, RelationshipCommand } from './coaching-relationship.decider';

const given = spec(coachingRelationshipDecider).given;
const assign = (over: Partial<RelationshipCommand['data']> = {}): RelationshipCommand => ({
  type: 'AssignCoach',
  data: { relationshipId: 'r1', learnerId: 'lea', coachId: 'coa', learnerIsLearnerInSchool: true, coachIsCoachInSchool: true, ...over },
});

describe('coaching relationship', () => {
  it('assigns a coach to a learner without one', () => {
    expect(given([]).when(assign()).events()).toEqual([{ type: 'coaching.coach-assigned', data: { relationshipId: 'r1', learnerId: 'lea', coachId: 'coa' } }]);
  });

  it('refuses a second current coach', () => {
    const past = given([]).when(assign()).events();
    expect(given(past).when(assign({ relationshipId: 'r2', coachId: 'other' })).error()).toMatchObject({ kind: 'invalid-state', message: 'lea already has coach coa; transfer instead' });
  });

  it.each([
    [{ learnerIsLearnerInSchool: false }, 'lea is not a learner in this school'],
    [{ coachIsCoachInSchool: false }, 'coa is not a coach in this school'],
    [{ coachId: 'lea' }, 'a learner cannot coach themselves'],
  ])('refuses %p', (over, message) => {
    expect(given([]).when(assign(over)).error()).toMatchObject({ kind: 'rule-violated', message });
  });
});
