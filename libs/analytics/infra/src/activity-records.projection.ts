import { ActivityRecord, activityChangesOf } from '@cbme/analytics-domain';
import { ActivityRecords } from '@cbme/analytics-application';
import { StoredEvent, VersionedReadModel } from '@cbme/event-sourcing';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';

interface ActivityDocument {
  _id: string;
  kind: ActivityRecord['kind'];
  id: string;
  schoolId: string;
  institutionId: string;
  fields: Record<string, string>;
  version: number;
}

const activitySchema = new Schema<ActivityDocument>(
  { _id: String, kind: String, id: String, schoolId: String, institutionId: String, fields: Schema.Types.Mixed, version: Number },
  { versionKey: false, collection: 'activity_records' },
);
activitySchema.index({ schoolId: 1, kind: 1 });

/** One record per dialogue, goal and relationship, from all services' events in the inbox. */
@Injectable()
export class ActivityRecordsProjection extends VersionedReadModel<ActivityDocument> implements ActivityRecords {
  readonly name = 'school-activity';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'ActivityRecord', activitySchema);
  }

  protected changesOf(events: StoredEvent[]) {
    return events.flatMap(activityChangesOf).map((c) => ({
      id: `${c.kind}:${c.id}`,
      version: c.version,
      // dotted paths merge partial fields (a closed dialogue keeps its learner)
      set: { kind: c.kind, id: c.id, schoolId: c.schoolId, institutionId: c.institutionId, ...Object.fromEntries(Object.entries(c.fields).map(([k, v]) => [`fields.${k}`, v])) },
    }));
  }

  async ofSchool(schoolId: string): Promise<ActivityRecord[]> {
    const docs = await this.model.find({ schoolId }).lean();
    return docs.map((d) => ({ kind: d.kind, id: d.id, fields: d.fields }) as ActivityRecord);
  }
}
