import { LearnerActivityLog } from '@cbme/coaching-application';
import { activityOf, LearnerActivity } from '@cbme/coaching-domain';
import { StoredEvent, VersionedChange, VersionedReadModel } from '@cbme/event-sourcing';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';

type ActivityDocument = LearnerActivity & { _id: string; schoolId: string; version: number };

const activitySchema = new Schema<ActivityDocument>(
  { _id: String, schoolId: String, eventId: String, learnerId: String, kind: String, occurredAt: String, subjectId: String, competencies: [String], version: Number },
  { versionKey: false, collection: 'learner_activity' },
);

/** What learners did in the feedback service (kinds and references only), for "since we last met". */
@Injectable()
export class LearnerActivityProjection extends VersionedReadModel<ActivityDocument> implements LearnerActivityLog {
  readonly name = 'learner-activity';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'LearnerActivity', activitySchema);
  }

  protected changesOf(events: StoredEvent[]): VersionedChange[] {
    return events.flatMap((e) => {
      const activity = activityOf({ eventId: e.eventId, type: e.type, occurredAt: e.occurredAt, data: e.data as Record<string, unknown> });
      return activity?.learnerId ? [{ id: e.eventId, version: e.streamVersion, set: { schoolId: e.tenant.schoolId, ...activity } }] : [];
    });
  }

  async of(schoolId: string, learnerId: string): Promise<LearnerActivity[]> {
    return (await this.model.find({ schoolId, learnerId }).lean()).map(({ _id, schoolId: _s, version: _v, ...activity }) => activity);
  }
}
