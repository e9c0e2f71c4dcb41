import { Role, RoleGranted, RoleRevoked, ROLES, UserRegistered } from '@cbme/contracts';
import { Directory } from '@cbme/coaching-application';
import { PoisonEventError, StoredEvent, VersionedChange, VersionedReadModel } from '@cbme/event-sourcing';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';

/**
 * `member:<school>:<user>` documents say which roles a user holds in a school (a field per role: one lookup answers
 * "which roles", as every assignment asks); `user:<user>` documents hold how to reach the user.
 */
type DirectoryDocument = {
  _id: string;
  kind: 'member' | 'user';
  schoolId?: string;
  userId: string;
  email?: string;
  displayName?: string;
  version: number;
} & Partial<Record<Role, boolean>>;

const directorySchema = new Schema<DirectoryDocument>(
  {
    _id: String, kind: String, schoolId: String, userId: String, email: String, displayName: String, version: Number,
    ...Object.fromEntries(ROLES.map((role) => [role, Boolean])),
  },
  { versionKey: false, collection: 'school_directory' },
);

/** A role granted or revoked: who, where, which role, and whether they hold it now (also used by the people overview). */
export function membershipChange(e: StoredEvent): { schoolId: string; userId: string; role: Role; holds: boolean; version: number } | null {
  if (e.type !== 'identity.role-granted' && e.type !== 'identity.role-revoked') return null;
  const { userId, schoolId, role } = e.data as RoleGranted | RoleRevoked;
  if (!ROLES.includes(role)) throw new PoisonEventError(`unknown role ${String(role)}`);
  return { schoolId, userId, role, holds: e.type === 'identity.role-granted', version: e.streamVersion };
}

/**
 * Which document an identity event changes. A user's roles all change through their own stream, so one document per
 * school and user, versioned by that stream, stays correct under the version guard.
 */
function directoryChanges(e: StoredEvent): VersionedChange[] {
  if (e.type === 'identity.user-registered') {
    const { userId, email, displayName } = e.data as UserRegistered;
    return [{ id: `user:${userId}`, version: e.streamVersion, set: { kind: 'user', userId, email, displayName } }];
  }
  const membership = membershipChange(e);
  if (!membership) return [];
  const { schoolId, userId, role, holds, version } = membership;
  return [{ id: memberId(schoolId, userId), version, set: { kind: 'member', schoolId, userId, [role]: holds } }];
}

const memberId = (schoolId: string, userId: string) => `member:${schoolId}:${userId}`;

/** People, their roles per school and their contact, from identity's events in this service's inbox. */
@Injectable()
export class DirectoryProjection extends VersionedReadModel<DirectoryDocument> implements Directory {
  readonly name = 'school-directory';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'DirectoryEntry', directorySchema);
  }

  protected changesOf(events: StoredEvent[]): VersionedChange[] {
    return events.flatMap(directoryChanges);
  }

  async rolesOf(schoolId: string, userId: string): Promise<Role[]> {
    const member = await (await this.live()).findById(memberId(schoolId, userId)).lean();
    return member ? ROLES.filter((role) => member[role] === true) : [];
  }

  async displayNamesOf(userIds: string[]): Promise<Map<string, string>> {
    const docs = await this.findByIds([...new Set(userIds)].map((userId) => `user:${userId}`));
    return new Map(docs.flatMap((d) => (d.displayName ? [[d.userId, d.displayName] as const] : [])));
  }

  async contactOf(userId: string): Promise<{ email: string; displayName: string } | null> {
    const doc = await (await this.live()).findById(`user:${userId}`).lean();
    return doc?.email ? { email: doc.email, displayName: doc.displayName ?? userId } : null;
  }
}
