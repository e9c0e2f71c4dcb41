import { Role, RoleGranted, RoleRevoked, ROLES, UserRegistered } from '@cbme/contracts';
import { Directory } from '@cbme/coaching-application';
import { StoredEvent, VersionedChange, VersionedReadModel } from '@cbme/event-sourcing';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';

/** `membership:<school>:<user>:<role>` documents hold a role; `user:<user>` documents hold how to reach the user. */
interface DirectoryDocument {
  _id: string;
  kind: 'membership' | 'user';
  schoolId?: string;
  userId: string;
  role?: Role;
  revoked?: boolean;
  email?: string;
  displayName?: string;
  version: number;
}

const directorySchema = new Schema<DirectoryDocument>(
  { _id: String, kind: String, schoolId: String, userId: String, role: String, revoked: Boolean, email: String, displayName: String, version: Number },
  { versionKey: false, collection: 'directory' },
);

/** Which user or membership an identity event changes (also used by the people overview). */
export function directoryChanges(e: StoredEvent): VersionedChange[] {
  if (e.type === 'identity.user-registered') {
    const { userId, email, displayName } = e.data as UserRegistered;
    return [{ id: `user:${userId}`, version: e.streamVersion, set: { kind: 'user', userId, email, displayName } }];
  }
  if (e.type !== 'identity.role-granted' && e.type !== 'identity.role-revoked') return [];
  const { userId, schoolId, role } = e.data as RoleGranted | RoleRevoked;
  return [{ id: `membership:${schoolId}:${userId}:${role}`, version: e.streamVersion, set: { kind: 'membership', schoolId, userId, role, revoked: e.type === 'identity.role-revoked' } }];
}

/** People, their roles per school and their contact, from identity's events in this service's inbox. */
@Injectable()
export class DirectoryProjection extends VersionedReadModel<DirectoryDocument> implements Directory {
  readonly name = 'directory';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'DirectoryEntry', directorySchema);
  }

  protected changesOf(events: StoredEvent[]): VersionedChange[] {
    return events.flatMap(directoryChanges);
  }

  /** a lookup per role there is (by `_id`), not a filter on school and user: asked on every assignment */
  async rolesOf(schoolId: string, userId: string): Promise<Role[]> {
    return (await this.findByIds(ROLES.map((role) => `membership:${schoolId}:${userId}:${role}`))).filter((m) => !m.revoked).map((m) => m.role as Role);
  }

  async displayNamesOf(userIds: string[]): Promise<Map<string, string>> {
    const docs = await this.findByIds([...new Set(userIds)].map((userId) => `user:${userId}`));
    return new Map(docs.flatMap((d) => (d.displayName ? [[d.userId, d.displayName] as const] : [])));
  }

  async contactOf(userId: string): Promise<{ email: string; displayName: string } | null> {
    const doc = await this.model.findById(`user:${userId}`).lean();
    return doc?.email ? { email: doc.email, displayName: doc.displayName ?? userId } : null;
  }
}
