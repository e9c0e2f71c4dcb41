import { AnalyticsSettingsReadModel } from '@cbme/analytics-application';
import { VersionedReadModel, StoredEvent } from '@cbme/event-sourcing';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';

interface SettingsDocument {
  _id: string;
  minimumGroupSize: number;
  version: number;
}

const settingsSchema = new Schema<SettingsDocument>({ _id: String, minimumGroupSize: Number, version: Number }, { versionKey: false, autoIndex: false });

/** Each school's analytics settings, from analytics' own events (one document per school). */
@Injectable()
export class AnalyticsSettingsProjection extends VersionedReadModel<SettingsDocument> implements AnalyticsSettingsReadModel {
  readonly name = 'analytics-settings';
  /** the k threshold and such settings: no personal text */
  readonly keepsPersonalText = false;

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'analytics-settings', settingsSchema, (generation) => `analytics_settings_g${generation}`);
  }

  protected changesOf(events: StoredEvent[]) {
    return events.filter((e) => e.type === 'analytics.minimum-group-size-set').map((e) => ({
      id: e.tenant.schoolId,
      version: e.streamVersion,
      set: { minimumGroupSize: (e.data as { minimumGroupSize: number }).minimumGroupSize },
    }));
  }

  async minimumGroupSize(schoolId: string): Promise<number | null> {
    return (await (await this.live()).findById(schoolId).lean())?.minimumGroupSize ?? null;
  }
}
