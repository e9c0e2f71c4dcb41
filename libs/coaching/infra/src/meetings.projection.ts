import { MeetingRescheduled, MeetingScheduled } from '@cbme/contracts';
import { Meetings, MeetingStatusView, MeetingView } from '@cbme/coaching-application';
import { StoredEvent, VersionedChange, VersionedReadModel } from '@cbme/event-sourcing';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';
import { recordedLater } from './relationships.projection';

type MeetingDocument = MeetingView & { _id: string; schoolId: string; version: number };

const meetingSchema = new Schema<MeetingDocument>(
  {
    _id: String, schoolId: String, meetingId: String, relationshipId: String, learnerId: String, coachId: String, startsAt: String, durationMinutes: Number,
    location: String, status: String, heldAt: String, recordedAt: String, version: Number,
  },
  { versionKey: false, collection: 'meetings_view' },
);

const SETTLED: Record<string, MeetingStatusView> = { 'coaching.meeting-cancelled': 'cancelled', 'coaching.meeting-held': 'held', 'coaching.meeting-missed': 'missed' };

/** Which meeting an event changes, and how (also used by the coaching overview). */
export function meetingChanges(e: StoredEvent): VersionedChange[] {
  const meetingId = (e.data as { meetingId?: string }).meetingId;
  if (!meetingId || !e.type.startsWith('coaching.meeting-')) return [];
  const id = `${e.tenant.schoolId}:${meetingId}`;
  if (e.type === 'coaching.meeting-scheduled') {
    const d = e.data as MeetingScheduled;
    return [{ id, version: e.streamVersion, set: { schoolId: e.tenant.schoolId, ...d, status: 'scheduled', ...recordedLater(e) } }];
  }
  if (e.type === 'coaching.meeting-rescheduled') return [{ id, version: e.streamVersion, set: { startsAt: (e.data as MeetingRescheduled).startsAt } }];
  const status = SETTLED[e.type];
  if (!status) return [];
  return [{ id, version: e.streamVersion, set: { status, ...(status === 'held' ? { heldAt: e.occurredAt } : {}) } }];
}

/** Meetings (times and status, no notes) per school, from this service's own events. */
@Injectable()
export class MeetingsProjection extends VersionedReadModel<MeetingDocument> implements Meetings {
  readonly name = 'meetings';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'MeetingView', meetingSchema);
  }

  protected changesOf(events: StoredEvent[]): VersionedChange[] {
    return events.flatMap(meetingChanges);
  }

  async list(schoolId: string, filter: { coachId?: string; learnerId?: string; status?: MeetingStatusView }): Promise<MeetingView[]> {
    return (await (await this.live()).find({ schoolId, ...filter }).lean()).map(toView);
  }

  async scheduledOfCoachEverywhere(coachId: string) {
    return (await (await this.live()).find({ coachId, status: 'scheduled' }).lean()).map((doc) => ({ ...toView(doc), schoolId: doc.schoolId }));
  }
}

function toView({ _id, schoolId: _s, version: _v, ...view }: MeetingDocument): MeetingView {
  return view;
}
