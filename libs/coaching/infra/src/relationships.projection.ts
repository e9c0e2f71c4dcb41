import { CoachAssigned } from '@cbme/contracts';
import { Relationships, RelationshipView } from '@cbme/coaching-application';
import { StoredEvent, VersionedReadModel } from '@cbme/event-sourcing';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';

type RelationshipDocument = RelationshipView & { _id: string; schoolId: string; version: number };

const relationshipSchema = new Schema<RelationshipDocument>(
  { _id: String, schoolId: String, relationshipId: String, learnerId: String, coachId: String, status: String, assignedAt: String, assignedBy: String, version: Number },
  { versionKey: false, collection: 'relationships_view' },
);
relationshipSchema.index({ schoolId: 1, coachId: 1 });
relationshipSchema.index({ schoolId: 1, learnerId: 1 });

/** Coaching relationships per school, from this service's own events. */
@Injectable()
export class RelationshipsProjection extends VersionedReadModel<RelationshipDocument> implements Relationships {
  readonly name = 'relationships';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'RelationshipView', relationshipSchema);
  }

  protected changesOf(events: StoredEvent[]) {
    return events.filter((e) => e.type === 'coaching.coach-assigned').map((e) => {
      const { relationshipId, learnerId, coachId } = e.data as CoachAssigned;
      return {
        id: relationshipId,
        version: e.streamVersion,
        set: { schoolId: e.tenant.schoolId, relationshipId, learnerId, coachId, status: 'active', assignedAt: e.occurredAt, assignedBy: e.actor.userId },
      };
    });
  }

  async list(schoolId: string, filter: { coachId?: string; learnerId?: string }): Promise<RelationshipView[]> {
    const query = { schoolId, ...(filter.coachId ? { coachId: filter.coachId } : {}), ...(filter.learnerId ? { learnerId: filter.learnerId } : {}) };
    const docs = await this.model.find(query).sort({ assignedAt: 1 }).lean();
    return docs.map(({ _id, schoolId: _s, version: _v, ...view }) => view);
  }
}
