import { Role, RoleGranted, RoleRevoked } from '@cbme/contracts';
import { Directory } from '@cbme/coaching-application';
import { StoredEvent, VersionedReadModel } from '@cbme/event-sourcing';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';

interface MembershipDocument { _id: string; schoolId: string; userId: string; role: Role; revoked: boolean; version: number }

const membershipSchema = new Schema<MembershipDocument>(
  { _id: String, schoolId: String, userId: String, role: String, revoked: Boolean, version: Number },
  { versionKey: false, collection: 'directory_memberships' },
);
membershipSchema.index({ schoolId: 1, userId: 1 });

/** Roles per school from identity's role-granted and role-revoked events in this service's inbox. */
@Injectable()
export class DirectoryProjection extends VersionedReadModel<MembershipDocument> implements Directory {
  readonly name = 'directory';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'DirectoryMembership', membershipSchema);
  }

  protected changesOf(events: StoredEvent[]) {
    return events.filter((e) => e.type === 'identity.role-granted' || e.type === 'identity.role-revoked').map((e) => {
      const { userId, schoolId, role } = e.data as RoleGranted | RoleRevoked;
      return { id: `${schoolId}:${userId}:${role}`, version: e.streamVersion, set: { schoolId, userId, role, revoked: e.type === 'identity.role-revoked' } };
    });
  }

  async rolesOf(schoolId: string, userId: string): Promise<Role[]> {
    return (await this.model.find({ schoolId, userId }).lean()).filter((m) => !m.revoked).map((m) => m.role);
  }
}
