import { InstitutionCreated, SchoolCreated } from '@cbme/contracts';
import { Decider, invalidState } from '@cbme/decider';

export type SchoolEvent = { type: 'identity.school-created'; data: SchoolCreated };
export type SchoolCommand = { type: 'CreateSchool'; data: SchoolCreated };
export type SchoolState = { exists: false } | { exists: true; institutionId: string; name: string };

export const schoolDecider: Decider<SchoolCommand, SchoolEvent, SchoolState> = {
  decide(command, state) {
    if (state.exists) throw invalidState(`school ${command.data.schoolId} already exists`);
    return [{ type: 'identity.school-created', data: command.data }];
  },
  evolve: (_state, event) => ({ exists: true, institutionId: event.data.institutionId, name: event.data.name }),
  initialState: { exists: false },
};

export const schoolStreamId = (schoolId: string) => `identity-school-${schoolId}`;

export type InstitutionEvent = { type: 'identity.institution-created'; data: InstitutionCreated };
export type InstitutionCommand = { type: 'CreateInstitution'; data: InstitutionCreated };

export const institutionDecider: Decider<InstitutionCommand, InstitutionEvent, { exists: boolean }> = {
  decide(command, state) {
    if (state.exists) throw invalidState(`institution ${command.data.institutionId} already exists`);
    return [{ type: 'identity.institution-created', data: command.data }];
  },
  evolve: () => ({ exists: true }),
  initialState: { exists: false },
};

export const institutionStreamId = (institutionId: string) => `identity-institution-${institutionId}`;
