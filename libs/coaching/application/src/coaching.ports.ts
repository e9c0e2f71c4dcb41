import { Role } from '@cbme/contracts';

/** People and roles per school, as this service learned them from identity's events (no call to identity). */
export interface Directory {
  rolesOf(schoolId: string, userId: string): Promise<Role[]>;
}
export const DIRECTORY = Symbol('DIRECTORY');

export interface RelationshipView {
  relationshipId: string;
  learnerId: string;
  coachId: string;
  status: 'active';
  assignedAt: string;
  assignedBy: string;
}

export interface Relationships {
  list(schoolId: string, filter: { coachId?: string; learnerId?: string }): Promise<RelationshipView[]>;
}
export const RELATIONSHIPS = Symbol('RELATIONSHIPS');
