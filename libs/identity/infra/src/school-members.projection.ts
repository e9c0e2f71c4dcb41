import { Role, RoleGranted, RoleRevoked, UserRegistered } from '@cbme/contracts';
import { GenerationalCollection, Projection, ReadModelGenerations, StoredEvent, upsertNewer } from '@cbme/event-sourcing';
import { SchoolMember, SchoolMembers } from '@cbme/identity-application';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';

interface UserDocument { _id: string; email: string; displayName: string; deactivated: boolean; version: number }
interface MembershipDocument { _id: string; schoolId: string; userId: string; role: Role; revoked: boolean; version: number }

const userSchema = new Schema<UserDocument>({ _id: String, email: String, displayName: String, deactivated: Boolean, version: Number }, { versionKey: false, collection: 'users_view' });
const membershipSchema = new Schema<MembershipDocument>({ _id: String, schoolId: String, userId: String, role: String, revoked: Boolean, version: Number }, { versionKey: false, collection: 'memberships_view' });
membershipSchema.index({ schoolId: 1, role: 1 });

/** Users and their roles per school, for school admins and coaching leads. */
@Injectable()
export class SchoolMembersProjection implements Projection, SchoolMembers {
  readonly name = 'school-members';
  readonly generations: ReadModelGenerations;
  private readonly users: GenerationalCollection<UserDocument>;
  private readonly memberships: GenerationalCollection<MembershipDocument>;

  constructor(@InjectConnection() connection: Connection) {
    this.generations = new ReadModelGenerations(connection, this.name);
    this.users = this.generations.collection('UserView', userSchema);
    this.memberships = this.generations.collection('MembershipView', membershipSchema);
  }

  async apply(events: StoredEvent[]): Promise<void> {
    await upsertNewer(await this.users.writer(), events.flatMap((e) => {
      if (e.type === 'identity.user-registered') {
        const { userId, email, displayName } = e.data as UserRegistered;
        return [{ id: userId, version: e.streamVersion, set: { email, displayName, deactivated: false } }];
      }
      if (e.type === 'identity.user-deactivated') return [{ id: (e.data as { userId: string }).userId, version: e.streamVersion, set: { deactivated: true } }];
      return [];
    }));
    await upsertNewer(await this.memberships.writer(), events.filter((e) => e.type === 'identity.role-granted' || e.type === 'identity.role-revoked').map((e) => {
      const { userId, schoolId, role } = e.data as RoleGranted | RoleRevoked;
      return { id: `${schoolId}:${userId}:${role}`, version: e.streamVersion, set: { schoolId, userId, role, revoked: e.type === 'identity.role-revoked' } };
    }));
  }

  /** Empties the generation being written (tests that start afresh). */
  async reset(): Promise<void> {
    await this.generations.clearWriter();
  }

  async list(schoolId: string, role?: Role): Promise<SchoolMember[]> {
    const generation = await this.generations.liveGeneration();
    const memberships = (await this.memberships.of(generation).find({ schoolId, ...(role ? { role } : {}) }).lean()).filter((m) => !m.revoked);
    const userIds = [...new Set(memberships.map((m) => m.userId))];
    const users = await this.users.of(generation).find({ _id: { $in: userIds } }).lean();
    return users
      .map((u) => ({ userId: u._id, email: u.email, displayName: u.displayName, deactivated: u.deactivated ?? false, roles: memberships.filter((m) => m.userId === u._id).map((m) => m.role).sort() }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName));
  }
}
