import { CoachAssigned, LearnerTransferred, ReassignmentFlagged, RelationshipEnded, RelationshipPaused } from '@cbme/contracts';
import { RelationshipFilter, Relationships, RelationshipView } from '@cbme/coaching-application';
import { StoredEvent, VersionedChange, VersionedReadModel } from '@cbme/event-sourcing';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';

type RelationshipDocument = RelationshipView & { _id: string; schoolId: string; version: number };

const relationshipSchema = new Schema<RelationshipDocument>(
  {
    _id: String, schoolId: String, relationshipId: String, learnerId: String, coachId: String, status: String, startedAt: String, recordedAt: String, assignedBy: String,
    capacityOverride: String, endedAt: String, endReason: String, note: String, pausedReason: String, needsReassignment: Boolean, version: Number,
  },
  { versionKey: false, collection: 'relationships_view' },
);

/** When an event was recorded after it occurred (a history import), the views show both. */
export const recordedLater = (e: StoredEvent) => (e.recordedAt !== e.occurredAt ? { recordedAt: e.recordedAt } : {});

const started = (e: StoredEvent, relationshipId: string, learnerId: string, coachId: string, capacityOverride?: string) => ({
  id: relationshipId, version: e.streamVersion,
  set: { schoolId: e.tenant.schoolId, relationshipId, learnerId, coachId, status: 'active', startedAt: e.occurredAt, ...recordedLater(e), assignedBy: e.actor.userId, ...(capacityOverride ? { capacityOverride } : {}) },
});

/** Which relationships an event changes, and how (also used by the coaching overview). */
export function relationshipChanges(e: StoredEvent): VersionedChange[] {
  const v = e.streamVersion;
  switch (e.type) {
    case 'coaching.coach-assigned': {
      const d = e.data as CoachAssigned;
      return [started(e, d.relationshipId, d.learnerId, d.coachId, d.capacityOverride)];
    }
    case 'coaching.learner-transferred': {
      const d = e.data as LearnerTransferred;
      return [
        { id: d.relationshipId, version: v, set: { status: 'ended', endedAt: e.occurredAt, endReason: 'transferred', note: d.reason } },
        started(e, d.newRelationshipId, d.learnerId, d.toCoachId, d.capacityOverride),
      ];
    }
    case 'coaching.relationship-paused':
      return [{ id: (e.data as RelationshipPaused).relationshipId, version: v, set: { status: 'paused', pausedReason: (e.data as RelationshipPaused).reason } }];
    case 'coaching.relationship-resumed':
      return [{ id: (e.data as RelationshipPaused).relationshipId, version: v, set: { status: 'active' } }];
    case 'coaching.relationship-ended': {
      const d = e.data as RelationshipEnded;
      return [{ id: d.relationshipId, version: v, set: { status: 'ended', endedAt: e.occurredAt, endReason: d.reason, ...(d.note ? { note: d.note } : {}) } }];
    }
    case 'coaching.reassignment-flagged':
      return [{ id: (e.data as ReassignmentFlagged).relationshipId, version: v, set: { needsReassignment: true } }];
    default:
      return [];
  }
}

/** Every coaching relationship, current and past, per school, from this service's own events. */
@Injectable()
export class RelationshipsProjection extends VersionedReadModel<RelationshipDocument> implements Relationships {
  readonly name = 'relationships';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'RelationshipView', relationshipSchema);
  }

  protected changesOf(events: StoredEvent[]): VersionedChange[] {
    return events.flatMap(relationshipChanges);
  }

  async list(schoolId: string, filter: RelationshipFilter): Promise<RelationshipView[]> {
    const query = {
      schoolId,
      ...(filter.coachId ? { coachId: filter.coachId } : {}),
      ...(filter.learnerId ? { learnerId: filter.learnerId } : {}),
      ...(filter.currentOnly ? { status: { $in: ['active', 'paused'] } } : {}),
    };
    return (await (await this.live()).find(query).sort({ startedAt: 1 }).lean()).map(toView);
  }

  async currentOfCoachEverywhere(coachId: string) {
    return (await (await this.live()).find({ coachId, status: { $in: ['active', 'paused'] } }).lean()).map((doc) => ({ ...toView(doc), schoolId: doc.schoolId }));
  }

  async currentEverywhere() {
    return (await (await this.live()).find({ status: { $in: ['active', 'paused'] } }).lean()).map((doc) => ({ ...toView(doc), schoolId: doc.schoolId }));
  }
}

function toView({ _id, schoolId: _s, version: _v, ...view }: RelationshipDocument): RelationshipView {
  return view;
}
