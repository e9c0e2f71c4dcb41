import { CommunityCoachJoined, CommunityCreated, CommunitySessionHeld } from '@cbme/contracts';
import { CoachAttendanceEntry, CommunitySessionEntry, CommunitySessions, CommunitySessionsView, HeldSessionEntry } from '@cbme/coaching-application';
import { StoredSessionCancelled, StoredSessionRescheduled, StoredSessionScheduled } from '@cbme/coaching-domain';
import { GroupedChange, GroupedReadModel, StoredEvent } from '@cbme/event-sourcing';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection } from 'mongoose';

/** entries of the three kinds of group, told apart by `entry` */
type Entry = { entry: 'community' | 'session' | 'membership' | 'attendance' | 'held' } & Record<string, unknown>;

/** a group's entries of one kind, without the `entry` tag */
const ofKind = <T>(entries: Entry[], kind: Entry['entry']): T[] => entries.flatMap(({ entry, ...fields }) => (entry === kind ? [fields as unknown as T] : []));

const communityGroup = (schoolId: string, communityId: string) => `community:${schoolId}:${communityId}`;
const coachGroup = (schoolId: string, coachId: string) => `coach:${schoolId}:${coachId}`;
const schoolGroup = (schoolId: string) => `school:${schoolId}`;

/**
 * Community sessions, kept for reads by `_id`: per community its name and sessions, per coach their memberships and
 * attendance, per school its held sessions with who attended (for participation). From the community streams.
 */
@Injectable()
export class CommunitySessionsProjection extends GroupedReadModel<Entry> implements CommunitySessions {
  readonly name = 'community-sessions';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'community_sessions_view');
  }

  protected changesOf(events: StoredEvent[]): GroupedChange[] {
    return events.flatMap((e): GroupedChange[] => {
      const schoolId = e.tenant.schoolId;
      const version = e.streamVersion;
      switch (e.type) {
        case 'coaching.community-created': {
          const { communityId, name } = e.data as CommunityCreated;
          return [{ group: communityGroup(schoolId, communityId), id: 'community', version, set: { entry: 'community', name } }];
        }
        case 'coaching.community-coach-joined':
        case 'coaching.community-coach-left': {
          const { communityId, coachId } = e.data as CommunityCoachJoined;
          const current = e.type === 'coaching.community-coach-joined';
          return [{ group: coachGroup(schoolId, coachId), id: `membership:${communityId}`, version, set: { entry: 'membership', communityId, current } }];
        }
        case 'coaching.community-session-scheduled': {
          const { communityId, ...session } = e.data as StoredSessionScheduled;
          return [{ group: communityGroup(schoolId, communityId), id: `session:${session.sessionId}`, version, set: { entry: 'session', ...session, status: 'scheduled' } }];
        }
        case 'coaching.community-session-rescheduled': {
          const { communityId, sessionId, startsAt, durationMinutes, reason } = e.data as StoredSessionRescheduled;
          return [{ group: communityGroup(schoolId, communityId), id: `session:${sessionId}`, version, set: { startsAt, durationMinutes, reason: reason ?? null } }];
        }
        case 'coaching.community-session-cancelled': {
          const { communityId, sessionId, reason } = e.data as StoredSessionCancelled;
          return [{ group: communityGroup(schoolId, communityId), id: `session:${sessionId}`, version, set: { status: 'cancelled', reason } }];
        }
        case 'coaching.community-session-held': {
          const { communityId, sessionId, kind, startsAt, topics, attendees, absentees } = e.data as CommunitySessionHeld;
          const attendance = (coachId: string, attended: boolean): GroupedChange => ({
            group: coachGroup(schoolId, coachId), id: `attendance:${communityId}:${sessionId}`, version, set: { entry: 'attendance', communityId, sessionId, kind, startsAt, attended },
          });
          return [
            { group: communityGroup(schoolId, communityId), id: `session:${sessionId}`, version, set: { status: 'held', topics, attendees, absentees } },
            { group: schoolGroup(schoolId), id: `${communityId}:${sessionId}`, version, set: { entry: 'held', communityId, sessionId, kind, startsAt, attendees, absentees } },
            ...attendees.map((c) => attendance(c, true)),
            ...absentees.map((c) => attendance(c, false)),
          ];
        }
        default:
          return [];
      }
    });
  }

  async communities(schoolId: string, communityIds: string[]): Promise<CommunitySessionsView[]> {
    const groups = await this.entriesOf(communityIds.map((id) => communityGroup(schoolId, id)));
    return communityIds.map((communityId, i) => {
      const entries = groups[i];
      const info = entries.find((e) => e.entry === 'community');
      // a reschedule without a reason clears the one before (stored as null)
      const sessions = ofKind<CommunitySessionEntry & { reason?: string | null }>(entries, 'session').map(({ reason, ...s }) => ({ ...s, ...(reason ? { reason } : {}) }));
      return { communityId, name: info ? (info.name as string) : null, sessions };
    });
  }

  async coach(schoolId: string, coachId: string) {
    const [entries] = await this.entriesOf([coachGroup(schoolId, coachId)]);
    return {
      currentCommunities: entries.flatMap((e) => (e.entry === 'membership' && e.current ? [e.communityId as string] : [])),
      attendance: ofKind<CoachAttendanceEntry>(entries, 'attendance'),
    };
  }

  async held(schoolId: string) {
    const [entries] = await this.entriesOf([schoolGroup(schoolId)]);
    return ofKind<HeldSessionEntry>(entries, 'held');
  }
}
