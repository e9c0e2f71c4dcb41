export * from './identity.commands';
export * from './school-members.port';

import { CreateInstitutionHandler, CreateSchoolHandler, GrantRoleHandler, RegisterUserHandler } from './identity.commands';
import { ListSchoolMembersHandler } from './school-members.port';

export const IDENTITY_HANDLERS = [CreateInstitutionHandler, CreateSchoolHandler, RegisterUserHandler, GrantRoleHandler, ListSchoolMembersHandler];
