export * from './identity.commands';
export * from './school-members.port';

import {
  ChangeEnrollmentHandler, CreateCohortHandler, CreateInstitutionHandler, CreateSchoolHandler, DeactivateUserHandler, GrantRoleHandler, RegisterUserHandler,
  ImportRosterHandler, RevokeRoleHandler,
} from './identity.commands';
import { ListSchoolMembersHandler } from './school-members.port';

export const IDENTITY_HANDLERS = [CreateInstitutionHandler, CreateSchoolHandler, RegisterUserHandler, GrantRoleHandler, RevokeRoleHandler, DeactivateUserHandler, CreateCohortHandler, ChangeEnrollmentHandler, ImportRosterHandler, ListSchoolMembersHandler];
