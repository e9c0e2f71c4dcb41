import { CoachCapacitySet, ProgramConfigured } from '@cbme/contracts';
import { Decider, ruleViolated } from '@cbme/decider';

/** A school's coaching program: how often coach and learner are expected to meet, and a coach's default capacity. */
export type ProgramEvent = { type: 'coaching.program-configured'; data: ProgramConfigured };
export type ProgramCommand = { type: 'ConfigureProgram'; data: ProgramConfigured };
export type ProgramState = ProgramConfigured | null;

/** Used until a lead configures the program: a meeting every 8 weeks, 12 learners per coach. */
export const DEFAULT_PROGRAM: ProgramConfigured = { meetingCadenceDays: 56, defaultCoachCapacity: 12 };

export const coachingProgramDecider: Decider<ProgramCommand, ProgramEvent, ProgramState> = {
  decide: ({ data }, state) =>
    state?.meetingCadenceDays === data.meetingCadenceDays && state.defaultCoachCapacity === data.defaultCoachCapacity ? [] : [{ type: 'coaching.program-configured', data }],
  evolve: (_state, event) => event.data,
  initialState: null,
};

export const programStreamId = (schoolId: string) => `coaching-program-${schoolId}`;

/** A coach's capacity in one school; without one, the program's default applies. */
export type CoachCapacityEvent = { type: 'coaching.coach-capacity-set'; data: CoachCapacitySet };
export type CoachCapacityCommand = { type: 'SetCoachCapacity'; data: CoachCapacitySet & { coachIsCoachInSchool: boolean } };

export const coachCapacityDecider: Decider<CoachCapacityCommand, CoachCapacityEvent, number | null> = {
  decide: ({ data: { coachIsCoachInSchool, coachId, capacity, reason } }, state) => {
    if (!coachIsCoachInSchool) throw ruleViolated(`${coachId} is not a coach in this school`);
    if (state === capacity) return [];
    // why it changed is kept with the change when the lead gave it
    return [{ type: 'coaching.coach-capacity-set', data: { coachId, capacity, ...(reason?.trim() ? { reason: reason.trim() } : {}) } }];
  },
  evolve: (_state, event) => event.data.capacity,
  initialState: null,
};

export const coachCapacityStreamId = (schoolId: string, coachId: string) => `coaching-coach-${schoolId}-${coachId}`;
