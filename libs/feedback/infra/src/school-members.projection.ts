import { Role, RoleGranted, RoleRevoked, ROLES, UserDeactivated, UserRegistered } from '@cbme/contracts';
import { StoredEvent, VersionedChange, VersionedReadModel } from '@cbme/event-sourcing';
import { PeopleDirectory, SchoolMembers } from '@cbme/feedback-application';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';

/**
 * `membership:<school>:<user>:<role>` documents hold a role; `user:<user>` documents say an account was deactivated;
 * `contact:<user>` documents hold a person's name and address (for mail about feedback requests).
 */
interface MemberDocument {
  _id: string;
  kind: 'membership' | 'user' | 'contact';
  email?: string;
  displayName?: string;
  schoolId?: string;
  userId: string;
  role?: Role;
  revoked?: boolean;
  deactivated?: boolean;
  version: number;
}

const memberSchema = new Schema<MemberDocument>(
  { _id: String, kind: String, schoolId: String, userId: String, role: String, revoked: Boolean, deactivated: Boolean, email: String, displayName: String, version: Number },
  { versionKey: false, collection: 'school_members' },
);

export const MEMBER_EVENT_TYPES = ['identity.role-granted', 'identity.role-revoked', 'identity.user-deactivated', 'identity.user-registered'] as const;

/**
 * Who holds which role in which school, from identity's events in this service's inbox: the known learners
 * an assessment import is checked against, and the staff a learner may name as an assessor.
 */
@Injectable()
export class SchoolMembersProjection extends VersionedReadModel<MemberDocument> implements SchoolMembers, PeopleDirectory {
  readonly name = 'school-members';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'SchoolMember', memberSchema);
  }

  protected changesOf(events: StoredEvent[]): VersionedChange[] {
    return events.flatMap((e): VersionedChange[] => {
      if (e.type === 'identity.user-registered') {
        const { userId, email, displayName } = e.data as UserRegistered;
        return [{ id: `contact:${userId}`, version: e.streamVersion, set: { kind: 'contact', userId, email, displayName } }];
      }
      if (e.type === 'identity.user-deactivated') {
        const { userId } = e.data as UserDeactivated;
        return [{ id: `user:${userId}`, version: e.streamVersion, set: { kind: 'user', userId, deactivated: true } }];
      }
      if (e.type !== 'identity.role-granted' && e.type !== 'identity.role-revoked') return [];
      const { userId, schoolId, role } = e.data as RoleGranted | RoleRevoked;
      return [{ id: `membership:${schoolId}:${userId}:${role}`, version: e.streamVersion, set: { kind: 'membership', schoolId, userId, role, revoked: e.type === 'identity.role-revoked' } }];
    });
  }

  /** a lookup per role there is (by `_id`), not a filter on school and user: asked on most commands */
  async rolesOf(schoolId: string, userId: string): Promise<Role[]> {
    const [memberships, user] = await Promise.all([
      this.findByIds(ROLES.map((role) => `membership:${schoolId}:${userId}:${role}`)),
      this.model.findById(`user:${userId}`).lean(),
    ]);
    if (user?.deactivated) return [];
    return memberships.filter((m) => !m.revoked).map((m) => m.role as Role);
  }

  async contactOf(userId: string): Promise<{ email: string; displayName: string } | null> {
    const doc = await this.model.findById(`contact:${userId}`).lean();
    return doc?.email ? { email: doc.email, displayName: doc.displayName ?? userId } : null;
  }
}
