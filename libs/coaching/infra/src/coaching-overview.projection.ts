import { CoachingOverview, MeetingView, RelationshipFilter, RelationshipView } from '@cbme/coaching-application';
import { GroupedChange, GroupedReadModel, StoredEvent } from '@cbme/event-sourcing';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { meetingChanges } from './meetings.projection';
import { relationshipChanges } from './relationships.projection';

type Entry = (RelationshipView | MeetingView) & { schoolId?: string };

const relationshipsOf = (schoolId: string) => `relationships:${schoolId}`;
const meetingsGroup = (schoolId: string, learnerId: string) => `meetings:${schoolId}:${learnerId}`;
const view = <T>({ schoolId: _s, ...entry }: Entry) => entry as T;

/**
 * The coaching read models of the home pages, by `_id`: `relationships:<school>` holds every relationship of a
 * school (current and past), `meetings:<school>:<learner>` every meeting of a learner there. Same changes as the
 * relationships and meetings projections, grouped so that a coach's or a lead's page reads a few documents instead
 * of filtering a collection (FerretDB 1.24 scans every school's documents for any filter but `_id`).
 */
@Injectable()
export class CoachingOverviewProjection extends GroupedReadModel<Entry> implements CoachingOverview {
  readonly name = 'coaching-overview';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'coaching_overview');
  }

  protected changesOf(events: StoredEvent[]): GroupedChange[] {
    return events.flatMap((e) => [
      ...relationshipChanges(e).map((change) => ({ ...change, group: relationshipsOf(e.tenant.schoolId) })),
      ...meetingChanges(e).map((change) => ({ ...change, group: meetingsGroup(e.tenant.schoolId, (e.data as { learnerId: string }).learnerId) })),
    ]);
  }

  async relationships(schoolId: string, filter: RelationshipFilter): Promise<RelationshipView[]> {
    const [all] = await this.entriesOf([relationshipsOf(schoolId)]);
    return all
      .map((entry) => view<RelationshipView>(entry))
      .filter((r) => (!filter.coachId || r.coachId === filter.coachId) && (!filter.learnerId || r.learnerId === filter.learnerId) && (!filter.currentOnly || r.status !== 'ended'))
      .sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''));
  }

  async meetingsOf(schoolId: string, learnerIds: string[]): Promise<MeetingView[][]> {
    return (await this.entriesOf(learnerIds.map((learnerId) => meetingsGroup(schoolId, learnerId)))).map((meetings) => meetings.map((m) => view<MeetingView>(m)));
  }
}
