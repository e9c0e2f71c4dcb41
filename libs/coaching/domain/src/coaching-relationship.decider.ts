import { CoachAssigned } from '@cbme/contracts';
import { Decider, invalidState, ruleViolated } from '@cbme/decider';

/**
 * One stream per learner and school holds the learner's whole coaching history,
 * so "at most one current coach" is a rule of a single stream.
 */
export type RelationshipEvent = { type: 'coaching.coach-assigned'; data: CoachAssigned };

/** What the handler knows about the people, from identity events projected in this service. */
export interface PeopleFacts {
  learnerIsLearnerInSchool: boolean;
  coachIsCoachInSchool: boolean;
}

export type RelationshipCommand = { type: 'AssignCoach'; data: CoachAssigned & PeopleFacts };

export interface RelationshipState {
  current: { relationshipId: string; coachId: string } | null;
  history: string[];
}

export const coachingRelationshipDecider: Decider<RelationshipCommand, RelationshipEvent, RelationshipState> = {
  decide(command, state) {
    const { learnerIsLearnerInSchool, coachIsCoachInSchool, ...assignment } = command.data;
    if (!learnerIsLearnerInSchool) throw ruleViolated(`${assignment.learnerId} is not a learner in this school`);
    if (!coachIsCoachInSchool) throw ruleViolated(`${assignment.coachId} is not a coach in this school`);
    if (assignment.coachId === assignment.learnerId) throw ruleViolated('a learner cannot coach themselves');
    if (state.current) {
      throw invalidState(`${assignment.learnerId} already has coach ${state.current.coachId}; transfer instead`);
    }
    return [{ type: 'coaching.coach-assigned', data: assignment }];
  },
  evolve: (state, event) => ({
    current: { relationshipId: event.data.relationshipId, coachId: event.data.coachId },
    history: [...state.history, event.data.relationshipId],
  }),
  initialState: { current: null, history: [] },
};

export const learnerCoachingStreamId = (schoolId: string, learnerId: string) => `coaching-learner-${schoolId}-${learnerId}`;
