import { CoachCapacitySet, ProgramConfigured } from '@cbme/contracts';
import { CoachingSettings, ProgramSettings } from '@cbme/coaching-application';
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
  version: number;
}

const settingSchema = new Schema<SettingDocument>(
  { _id: String, meetingCadenceDays: Number, defaultCoachCapacity: Number, capacity: Number, version: Number },
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
        const { coachId, capacity } = e.data as CoachCapacitySet;
        return [{ id: `capacity:${e.tenant.schoolId}:${coachId}`, version: e.streamVersion, set: { capacity } }];
      }
      return [];
    });
  }

  async program(schoolId: string): Promise<ProgramSettings> {
    const doc = await this.model.findById(`program:${schoolId}`).lean();
    return doc?.meetingCadenceDays ? { meetingCadenceDays: doc.meetingCadenceDays, defaultCoachCapacity: doc.defaultCoachCapacity! } : DEFAULT_PROGRAM;
  }

  async capacityOf(schoolId: string, coachId: string): Promise<number> {
    const own = await this.model.findById(`capacity:${schoolId}:${coachId}`).lean();
    return own?.capacity ?? (await this.program(schoolId)).defaultCoachCapacity;
  }
}
