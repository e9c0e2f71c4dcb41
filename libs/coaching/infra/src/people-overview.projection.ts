import { Role } from '@cbme/contracts';
import { LearnerActivityLog, SchoolMembers } from '@cbme/coaching-application';
import { activityOf, LearnerActivity } from '@cbme/coaching-domain';
import { GroupedChange, GroupedReadModel, StoredEvent } from '@cbme/event-sourcing';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { membershipChange } from './directory.projection';

type Entry = { userId: string; revoked: boolean } | LearnerActivity;

const membersOf = (schoolId: string, role: string) => `members:${schoolId}:${role}`;
const activityGroup = (schoolId: string, learnerId: string) => `activity:${schoolId}:${learnerId}`;

/**
 * From other services' events in the inbox, what the home pages need by `_id`: `members:<school>:<role>` holds who
 * holds a role in a school, `activity:<school>:<learner>` what the learner did in feedback (kinds and references
 * only, for "since we last met").
 */
@Injectable()
export class PeopleOverviewProjection extends GroupedReadModel<Entry> implements LearnerActivityLog, SchoolMembers {
  readonly name = 'people-overview';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'people_overview');
  }

  protected changesOf(events: StoredEvent[]): GroupedChange[] {
    return events.flatMap((e): GroupedChange[] => {
      const activity = activityOf({ eventId: e.eventId, type: e.type, occurredAt: e.occurredAt, data: e.data as Record<string, unknown> });
      if (activity?.learnerId) return [{ group: activityGroup(e.tenant.schoolId, activity.learnerId), id: e.eventId, version: e.streamVersion, set: { ...activity } }];
      const membership = membershipChange(e);
      if (!membership) return [];
      const { schoolId, userId, role, holds, version } = membership;
      return [{ group: membersOf(schoolId, role), id: userId, version, set: { userId, revoked: !holds } }];
    });
  }

  async membersWithRole(schoolId: string, role: Role): Promise<string[]> {
    const [members] = await this.entriesOf([membersOf(schoolId, role)]);
    return (members as { userId: string; revoked: boolean }[]).filter((m) => !m.revoked).map((m) => m.userId);
  }

  async of(schoolId: string, learnerId: string): Promise<LearnerActivity[]> {
    return (await this.entriesOf([activityGroup(schoolId, learnerId)]))[0] as LearnerActivity[];
  }
}
