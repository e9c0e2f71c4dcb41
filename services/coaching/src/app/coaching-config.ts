import { readSettings, ResolvedConfig } from '@cbme/service-runtime';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, Matches, Min } from 'class-validator';

/** Settings only coaching reads, on top of every service's (see ServiceConfig). */
export class CoachingConfig {
  /** email: SMTP (the default); log: write reminders to the log (a local demo without a mail server) */
  @IsIn(['email', 'log'], { message: 'NOTIFY_CHANNEL must be email or log' })
  NOTIFY_CHANNEL: 'email' | 'log' = 'email';

  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL = 'smtp://127.0.0.1:1025';

  @IsEmail({ require_tld: false }, { message: 'NOTIFY_FROM must be an e-mail address' })
  NOTIFY_FROM = 'coaching@localhost';

  /** how long before a meeting its reminders go out */
  @Type(() => Number) @IsInt({ message: 'REMINDER_LEAD_SECONDS must be a whole number >= 0' }) @Min(0, { message: 'REMINDER_LEAD_SECONDS must be a whole number >= 0' })
  REMINDER_LEAD_SECONDS = 24 * 3600;

  /** how often relationships are checked against the program's meeting cadence */
  @Type(() => Number) @IsInt({ message: 'CADENCE_CHECK_SECONDS must be a whole number >= 1' }) @Min(1, { message: 'CADENCE_CHECK_SECONDS must be a whole number >= 1' })
  CADENCE_CHECK_SECONDS = 3600;
}

export interface CoachingSettingsFromEnv {
  channel: 'email' | 'log';
  smtpUrl: string;
  from: string;
  reminderLeadSeconds: number;
  cadenceCheckSeconds: number;
  institutionId: string;
}

export function loadCoachingSettings(config: ResolvedConfig, env: NodeJS.ProcessEnv = process.env): CoachingSettingsFromEnv {
  const own = readSettings(CoachingConfig, config.service, env);
  return {
    channel: own.NOTIFY_CHANNEL, smtpUrl: own.SMTP_URL, from: own.NOTIFY_FROM,
    reminderLeadSeconds: own.REMINDER_LEAD_SECONDS, cadenceCheckSeconds: own.CADENCE_CHECK_SECONDS, institutionId: config.institutionId,
  };
}
