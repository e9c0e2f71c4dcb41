export * from './identity.commands';
export * from './school-members.port';
export * from './school-directory.port';
export * from './retention.commands';

import {
  ChangeEnrollmentHandler, CreateCohortHandler, CreateInstitutionHandler, CreateSchoolHandler, DeactivateUserHandler, EraseSubjectHandler, GrantRoleHandler, RegisterUserHandler,
  ImportRosterHandler, RevokeRoleHandler,
} from './identity.commands';
import { ListSchoolMembersHandler } from './school-members.port';
import { ListCohortsHandler, ListSchoolsHandler } from './school-directory.port';
import { RETENTION_HANDLERS } from './retention.commands';

export const IDENTITY_HANDLERS = [CreateInstitutionHandler, CreateSchoolHandler, RegisterUserHandler, GrantRoleHandler, RevokeRoleHandler, DeactivateUserHandler, EraseSubjectHandler, CreateCohortHandler, ChangeEnrollmentHandler, ImportRosterHandler, ListSchoolMembersHandler, ListSchoolsHandler, ListCohortsHandler, ...RETENTION_HANDLERS];
