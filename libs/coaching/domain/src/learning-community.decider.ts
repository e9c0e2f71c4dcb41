import { CommunityCoachJoined, CommunityCoachLeft, CommunityCreated } from '@cbme/contracts';
import { assertNever, Decider, invalidState, notFound, ruleViolated } from '@cbme/decider';

/** A learning community ("house"): coaches who meet as a group; their learners belong to it through them. */
export type CommunityEvent =
  | { type: 'coaching.community-created'; data: CommunityCreated }
  | { type: 'coaching.community-coach-joined'; data: CommunityCoachJoined }
  | { type: 'coaching.community-coach-left'; data: CommunityCoachLeft };

export type CommunityCommand =
  | { type: 'CreateCommunity'; data: CommunityCreated }
  | { type: 'AddCoachToCommunity'; data: { coachId: string; coachIsCoachInSchool: boolean } }
  | { type: 'RemoveCoachFromCommunity'; data: { coachId: string } };

export interface CommunityState {
  communityId: string | null;
  coaches: string[];
}

function decide(command: CommunityCommand, state: CommunityState): CommunityEvent[] {
  if (command.type === 'CreateCommunity') {
    if (state.communityId) throw invalidState(`community ${state.communityId} already exists`);
    return [{ type: 'coaching.community-created', data: command.data }];
  }
  if (!state.communityId) throw notFound('no such learning community');
  const { coachId } = command.data;
  switch (command.type) {
    case 'AddCoachToCommunity':
      if (!command.data.coachIsCoachInSchool) throw ruleViolated(`${coachId} is not a coach in this school`);
      if (state.coaches.includes(coachId)) throw invalidState(`${coachId} is already a member`);
      return [{ type: 'coaching.community-coach-joined', data: { communityId: state.communityId, coachId } }];
    case 'RemoveCoachFromCommunity':
      if (!state.coaches.includes(coachId)) throw notFound(`${coachId} is not a member of this community`);
      return [{ type: 'coaching.community-coach-left', data: { communityId: state.communityId, coachId } }];
    default:
      return assertNever(command);
  }
}

function evolve(state: CommunityState, event: CommunityEvent): CommunityState {
  switch (event.type) {
    case 'coaching.community-created':
      return { communityId: event.data.communityId, coaches: [] };
    case 'coaching.community-coach-joined':
      return { ...state, coaches: [...state.coaches, event.data.coachId] };
    case 'coaching.community-coach-left':
      return { ...state, coaches: state.coaches.filter((c) => c !== event.data.coachId) };
    default:
      return assertNever(event);
  }
}

export const learningCommunityDecider: Decider<CommunityCommand, CommunityEvent, CommunityState> = {
  decide,
  evolve,
  initialState: { communityId: null, coaches: [] },
};

export const communityStreamId = (schoolId: string, communityId: string) => `coaching-community-${schoolId}-${communityId}`;
