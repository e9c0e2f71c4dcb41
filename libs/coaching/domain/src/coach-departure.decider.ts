import { CoachDepartureCompleted, CoachDepartureStarted, DepartureStep } from '@cbme/contracts';
import { Decider } from '@cbme/decider';

/**
 * The process that follows a coach's deactivation. Its first event fixes the work (which learners to flag,
 * which meetings to cancel), so a crash half-way resumes with the same list; every step is itself idempotent.
 */
export type DepartureEvent =
  | { type: 'coaching.coach-departure-started'; data: CoachDepartureStarted }
  | { type: 'coaching.coach-departure-completed'; data: CoachDepartureCompleted };

export type DepartureCommand =
  | { type: 'StartDeparture'; data: CoachDepartureStarted }
  | { type: 'CompleteDeparture'; data: CoachDepartureCompleted };

export interface DepartureState {
  started: { learnersToReassign: DepartureStep[]; meetingsToCancel: DepartureStep[] } | null;
  completed: boolean;
}

export const coachDepartureDecider: Decider<DepartureCommand, DepartureEvent, DepartureState> = {
  decide(command, state) {
    if (command.type === 'StartDeparture') return state.started ? [] : [{ type: 'coaching.coach-departure-started', data: command.data }];
    return !state.started || state.completed ? [] : [{ type: 'coaching.coach-departure-completed', data: command.data }];
  },
  evolve(state, event) {
    if (event.type === 'coaching.coach-departure-started') return { ...state, started: event.data };
    return { ...state, completed: true };
  },
  initialState: { started: null, completed: false },
};

export const departureStreamId = (coachId: string) => `coaching-departure-${coachId}`;
