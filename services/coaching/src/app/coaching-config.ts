import { readSettings, ResolvedConfig } from '@cbme/service-runtime';
import { Type } from 'class-transformer';
import { IsInt, Min } from 'class-validator';

/** Settings only coaching reads, on top of every service's (see ServiceConfig) and the notifications' (NotificationConfig). */
export class CoachingConfig {
  /** how long before a meeting its reminders go out */
  @Type(() => Number) @IsInt({ message: 'REMINDER_LEAD_SECONDS must be a whole number >= 0' }) @Min(0, { message: 'REMINDER_LEAD_SECONDS must be a whole number >= 0' })
  REMINDER_LEAD_SECONDS = 24 * 3600;

  /** how often relationships are checked against the program's meeting cadence */
  @Type(() => Number) @IsInt({ message: 'CADENCE_CHECK_SECONDS must be a whole number >= 1' }) @Min(1, { message: 'CADENCE_CHECK_SECONDS must be a whole number >= 1' })
  CADENCE_CHECK_SECONDS = 3600;
}

export interface CoachingSettingsFromEnv {
  reminderLeadSeconds: number;
  cadenceCheckSeconds: number;
  institutionId: string;
}

export function loadCoachingSettings(config: ResolvedConfig, env: NodeJS.ProcessEnv = process.env): CoachingSettingsFromEnv {
  const own = readSettings(CoachingConfig, config.service, env);
  return {
    reminderLeadSeconds: own.REMINDER_LEAD_SECONDS, cadenceCheckSeconds: own.CADENCE_CHECK_SECONDS, institutionId: config.institutionId,
  };
}
