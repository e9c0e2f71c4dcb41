import { CohortCreated, InstitutionCreated, SchoolCreated } from '@cbme/contracts';
import { Decider, invalidState, notFound } from '@cbme/decider';

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

export type CohortEvent = { type: 'identity.cohort-created'; data: CohortCreated };
export type CohortCommand = { type: 'CreateCohort'; data: CohortCreated & { schoolExists: boolean } };

export const cohortDecider: Decider<CohortCommand, CohortEvent, { exists: boolean }> = {
  decide({ data: { schoolExists, ...cohort } }, state) {
    if (!schoolExists) throw notFound(`unknown school ${cohort.schoolId}`);
    if (state.exists) throw invalidState(`cohort ${cohort.cohortId} already exists in ${cohort.schoolId}`);
    return [{ type: 'identity.cohort-created', data: cohort }];
  },
  evolve: () => ({ exists: true }),
  initialState: { exists: false },
};

export const cohortStreamId = (schoolId: string, cohortId: string) => `identity-cohort-${schoolId}-${cohortId}`;
