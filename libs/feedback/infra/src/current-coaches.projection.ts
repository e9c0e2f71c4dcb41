import { CoachAssigned } from '@cbme/contracts';
import { StoredEvent, VersionedReadModel } from '@cbme/event-sourcing';
import { CurrentCoaches } from '@cbme/feedback-application';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';

interface CurrentCoachDocument {
  _id: string;
  schoolId: string;
  learnerId: string;
  coachId: string;
  version: number;
}

const currentCoachSchema = new Schema<CurrentCoachDocument>(
  { _id: String, schoolId: String, learnerId: String, coachId: String, version: Number },
  { versionKey: false, collection: 'current_coaches' },
);

/** This service's own copy of who coaches whom, from coaching events in its inbox (no call to coaching). */
@Injectable()
export class CurrentCoachesProjection extends VersionedReadModel<CurrentCoachDocument> implements CurrentCoaches {
  readonly name = 'current-coaches';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'CurrentCoach', currentCoachSchema);
  }

  protected changesOf(events: StoredEvent[]) {
    return events
      .filter((e) => e.type === 'coaching.coach-assigned')
      .map((e) => {
        const { learnerId, coachId } = e.data as CoachAssigned;
        return { id: `${e.tenant.schoolId}:${learnerId}`, version: e.streamVersion, set: { schoolId: e.tenant.schoolId, learnerId, coachId } };
      });
  }

  async currentCoachOf(schoolId: string, learnerId: string): Promise<string | null> {
    const doc = await this.model.findById(`${schoolId}:${learnerId}`).lean();
    return doc?.coachId ?? null;
  }
}
