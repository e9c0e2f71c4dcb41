import { Role, RoleGranted, RoleRevoked, ROLES, UserDeactivated, UserRegistered } from '@cbme/contracts';
import { PoisonEventError, StoredEvent, VersionedChange, VersionedReadModel } from '@cbme/event-sourcing';
import { Contacts, SchoolMembers } from '@cbme/feedback-application';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';

/**
 * `member:<school>:<user>` documents say which roles a user holds in a school (a field per role: one lookup answers
 * "which roles", asked on most commands); `user:<user>` documents say how to reach the user and whether the account
 * was deactivated.
 */
type MemberDocument = {
  _id: string;
  kind: 'member' | 'user';
  schoolId?: string;
  userId: string;
  deactivated?: boolean;
  email?: string;
  displayName?: string;
  version: number;
} & Partial<Record<Role, boolean>>;

const memberSchema = new Schema<MemberDocument>(
  { _id: String, kind: String, schoolId: String, userId: String, deactivated: Boolean, email: String, displayName: String, version: Number, ...Object.fromEntries(ROLES.map((role) => [role, Boolean])) },
  { versionKey: false, collection: 'school_roles' },
);

const memberId = (schoolId: string, userId: string) => `member:${schoolId}:${userId}`;

export const MEMBER_EVENT_TYPES = ['identity.user-registered', 'identity.role-granted', 'identity.role-revoked', 'identity.user-deactivated'] as const;

/**
 * Who holds which role in which school, from identity's events in this service's inbox: the known learners
 * an assessment import is checked against, the staff a learner may name as an assessor, and where reminders go.
 */
@Injectable()
export class SchoolMembersProjection extends VersionedReadModel<MemberDocument> implements SchoolMembers, Contacts {
  readonly name = 'school-roles';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'SchoolMember', memberSchema);
  }

  protected changesOf(events: StoredEvent[]): VersionedChange[] {
    return events.flatMap((e): VersionedChange[] => {
      if (e.type === 'identity.user-registered') {
        const { userId, email, displayName } = e.data as UserRegistered;
        return [{ id: `user:${userId}`, version: e.streamVersion, set: { kind: 'user', userId, email, displayName } }];
      }
      if (e.type === 'identity.user-deactivated') {
        const { userId } = e.data as UserDeactivated;
        return [{ id: `user:${userId}`, version: e.streamVersion, set: { kind: 'user', userId, deactivated: true } }];
      }
      if (e.type !== 'identity.role-granted' && e.type !== 'identity.role-revoked') return [];
      // a user's roles all change through their own stream: one document per school and user stays correct under the version guard
      const { userId, schoolId, role } = e.data as RoleGranted | RoleRevoked;
      if (!ROLES.includes(role)) throw new PoisonEventError(`unknown role ${String(role)}`);
      return [{ id: memberId(schoolId, userId), version: e.streamVersion, set: { kind: 'member', schoolId, userId, [role]: e.type === 'identity.role-granted' } }];
    });
  }

  async rolesOf(schoolId: string, userId: string): Promise<Role[]> {
    const model = await this.live();
    const [member, user] = await Promise.all([model.findById(memberId(schoolId, userId)).lean(), model.findById(`user:${userId}`).lean()]);
    if (!member || user?.deactivated) return [];
    return ROLES.filter((role) => member[role] === true);
  }

  async contactOf(userId: string): Promise<{ email: string; displayName: string } | null> {
    const user = await (await this.live()).findById(`user:${userId}`).lean();
    return user?.email && !user.deactivated ? { email: user.email, displayName: user.displayName ?? userId } : null;
  }
}
