import { Role, RoleGranted } from '@cbme/contracts';
import { Directory } from '@cbme/coaching-application';
import { Projection, StoredEvent, upsertNewer } from '@cbme/event-sourcing';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Model, Schema } from 'mongoose';

interface MembershipDocument { _id: string; schoolId: string; userId: string; role: Role; version: number }

const membershipSchema = new Schema<MembershipDocument>(
  { _id: String, schoolId: String, userId: String, role: String, version: Number },
  { versionKey: false, collection: 'directory_memberships' },
);
membershipSchema.index({ schoolId: 1, userId: 1 });

/** Roles per school from identity's role-granted events in this service's inbox. */
@Injectable()
export class DirectoryProjection implements Projection, Directory {
  readonly name = 'directory';
  private readonly memberships: Model<MembershipDocument>;

  constructor(@InjectConnection() connection: Connection) {
    this.memberships = connection.model<MembershipDocument>('DirectoryMembership', membershipSchema);
  }

  async apply(events: StoredEvent[]): Promise<void> {
    await upsertNewer(this.memberships, events.filter((e) => e.type === 'identity.role-granted').map((e) => {
      const { userId, schoolId, role } = e.data as RoleGranted;
      return { id: `${schoolId}:${userId}:${role}`, version: e.streamVersion, set: { schoolId, userId, role } };
    }));
  }

  async reset(): Promise<void> {
    await this.memberships.deleteMany({});
  }

  async rolesOf(schoolId: string, userId: string): Promise<Role[]> {
    return (await this.memberships.find({ schoolId, userId }).lean()).map((m) => m.role);
  }
}
