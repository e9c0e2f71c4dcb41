import { Role } from '@cbme/contracts';
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';

export interface SchoolMember {
  userId: string;
  email: string;
  displayName: string;
  deactivated: boolean;
  roles: Role[];
}

export interface SchoolMembers {
  list(schoolId: string, role?: Role): Promise<SchoolMember[]>;
}
export const SCHOOL_MEMBERS = Symbol('SCHOOL_MEMBERS');

export class ListSchoolMembersQuery {
  constructor(readonly schoolId: string, readonly role?: Role) {}
}

@QueryHandler(ListSchoolMembersQuery)
export class ListSchoolMembersHandler implements IQueryHandler<ListSchoolMembersQuery> {
  constructor(@Inject(SCHOOL_MEMBERS) private readonly members: SchoolMembers) {}

  async execute({ schoolId, role }: ListSchoolMembersQuery) {
    return { schoolId, members: await this.members.list(schoolId, role) };
  }
}
