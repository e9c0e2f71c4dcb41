import { CoachCapacitySet, ProgramConfigured } from '@cbme/contracts';
import { CoachCapacityView, CoachingSettings, ProgramSettings } from '@cbme/coaching-application';
import { DEFAULT_PROGRAM } from '@cbme/coaching-domain';
import { StoredEvent, VersionedChange, VersionedReadModel } from '@cbme/event-sourcing';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';

/** `program:<school>` holds the program's settings; `capacity:<school>:<coach>` a coach's own capacity. */
interface SettingDocument {
  _id: string;
  meetingCadenceDays?: number;
  defaultCoachCapacity?: number;
  capacity?: number;
  /** who set the coach's capacity, when, and why (v1 events carry no reason) */
  setBy?: string;
  setAt?: string;
  reason?: string;
  version: number;
}

const settingSchema = new Schema<SettingDocument>(
  { _id: String, meetingCadenceDays: Number, defaultCoachCapacity: Number, capacity: Number, setBy: String, setAt: String, reason: String, version: Number },
  { versionKey: false, collection: 'coaching_settings' },
);

/** Each school's coaching program and each coach's capacity, from this service's own events. */
@Injectable()
export class CoachingSettingsProjection extends VersionedReadModel<SettingDocument> implements CoachingSettings {
  readonly name = 'coaching-settings';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'CoachingSetting', settingSchema);
  }

  protected changesOf(events: StoredEvent[]): VersionedChange[] {
    return events.flatMap((e): VersionedChange[] => {
      if (e.type === 'coaching.program-configured') {
        const { meetingCadenceDays, defaultCoachCapacity } = e.data as ProgramConfigured;
        return [{ id: `program:${e.tenant.schoolId}`, version: e.streamVersion, set: { meetingCadenceDays, defaultCoachCapacity } }];
      }
      if (e.type === 'coaching.coach-capacity-set') {
        const { coachId, capacity, reason } = e.data as CoachCapacitySet;
        // an empty reason replaces an earlier one: the reason belongs to the capacity it came with
        return [{ id: `capacity:${e.tenant.schoolId}:${coachId}`, version: e.streamVersion, set: { capacity, setBy: e.actor.userId, setAt: e.occurredAt, reason: reason ?? '' } }];
      }
      return [];
    });
  }

  async program(schoolId: string): Promise<ProgramSettings> {
    const doc = await (await this.live()).findById(`program:${schoolId}`).lean();
    return doc?.meetingCadenceDays ? { meetingCadenceDays: doc.meetingCadenceDays, defaultCoachCapacity: doc.defaultCoachCapacity! } : DEFAULT_PROGRAM;
  }

  async capacitiesOf(schoolId: string, coachIds: string[]): Promise<CoachCapacityView[]> {
    const [program, own] = await Promise.all([this.program(schoolId), this.findByIds(coachIds.map((coachId) => `capacity:${schoolId}:${coachId}`))]);
    const byId = new Map(own.map((doc) => [doc._id, doc]));
    return coachIds.map((coachId) => {
      const doc = byId.get(`capacity:${schoolId}:${coachId}`);
      if (doc?.capacity === undefined) return { coachId, capacity: program.defaultCoachCapacity };
      // documents projected before who and when were kept have neither until the projection is rebuilt
      const set = doc.setBy && doc.setAt ? { set: { by: doc.setBy, at: doc.setAt, ...(doc.reason ? { reason: doc.reason } : {}) } } : {};
      return { coachId, capacity: doc.capacity, ...set };
    });
  }

  async capacityOf(schoolId: string, coachId: string): Promise<number> {
    const own = await (await this.live()).findById(`capacity:${schoolId}:${coachId}`).lean();
    return own?.capacity ?? (await this.program(schoolId)).defaultCoachCapacity;
  }
}
