import { CommunityCoachJoined, CommunityCreated } from '@cbme/contracts';
import { Communities, CommunityView } from '@cbme/coaching-application';
import { StoredEvent, VersionedChange, VersionedReadModel } from '@cbme/event-sourcing';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';

/** `community:<school>:<id>` documents name a community; `member:<school>:<id>:<coach>` documents track one coach's membership. */
interface CommunityDocument {
  _id: string;
  kind: 'community' | 'member';
  schoolId: string;
  communityId: string;
  name?: string;
  createdAt?: string;
  coachId?: string;
  joinedAt?: string;
  leftAt?: string | null;
  version: number;
}

const communitySchema = new Schema<CommunityDocument>(
  { _id: String, kind: String, schoolId: String, communityId: String, name: String, createdAt: String, coachId: String, joinedAt: String, leftAt: String, version: Number },
  { versionKey: false, collection: 'communities_view' },
);

/** Learning communities and their coaches' memberships (joined, left) per school, from this service's own events. */
@Injectable()
export class CommunitiesProjection extends VersionedReadModel<CommunityDocument> implements Communities {
  readonly name = 'communities';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'CommunityView', communitySchema);
  }

  protected changesOf(events: StoredEvent[]): VersionedChange[] {
    return events.flatMap((e): VersionedChange[] => {
      const schoolId = e.tenant.schoolId;
      if (e.type === 'coaching.community-created') {
        const { communityId, name } = e.data as CommunityCreated;
        return [{ id: `community:${schoolId}:${communityId}`, version: e.streamVersion, set: { kind: 'community', schoolId, communityId, name, createdAt: e.occurredAt } }];
      }
      if (e.type !== 'coaching.community-coach-joined' && e.type !== 'coaching.community-coach-left') return [];
      const { communityId, coachId } = e.data as CommunityCoachJoined;
      const joined = e.type === 'coaching.community-coach-joined';
      return [{
        id: `member:${schoolId}:${communityId}:${coachId}`, version: e.streamVersion,
        set: { kind: 'member', schoolId, communityId, coachId, ...(joined ? { joinedAt: e.occurredAt, leftAt: null } : { leftAt: e.occurredAt }) },
      }];
    });
  }

  async list(schoolId: string): Promise<CommunityView[]> {
    const docs = await (await this.live()).find({ schoolId }).lean();
    return docs
      .filter((d) => d.kind === 'community')
      .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''))
      .map((c) => ({
        communityId: c.communityId, name: c.name ?? c.communityId, createdAt: c.createdAt ?? '',
        memberships: docs
          .filter((m) => m.kind === 'member' && m.communityId === c.communityId)
          .map((m) => ({ coachId: m.coachId!, joinedAt: m.joinedAt!, ...(m.leftAt ? { leftAt: m.leftAt } : {}) }))
          .sort((a, b) => a.coachId.localeCompare(b.coachId)),
      }));
  }
}
