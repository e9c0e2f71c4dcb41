import { IsEmail, IsIn, IsOptional, Matches } from 'class-validator';
import { readSettings } from '../config/service-config';

/** How a service sends its notifications (coaching's meeting reminders, feedback's plan reviews). */
export class NotificationConfig {
  /** email: SMTP (the default); log: write them to the log (a local demo without a mail server) */
  @IsIn(['email', 'log'], { message: 'NOTIFY_CHANNEL must be email or log' })
  NOTIFY_CHANNEL: 'email' | 'log' = 'email';

  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL = 'smtp://127.0.0.1:1025';

  /** the sender; unset: `<service>@localhost` */
  @IsOptional() @IsEmail({ require_tld: false }, { message: 'NOTIFY_FROM must be an e-mail address' })
  NOTIFY_FROM?: string;
}

export interface NotificationSettings {
  channel: 'email' | 'log';
  smtpUrl: string;
  from: string;
}

export function loadNotificationSettings(service: string, env: NodeJS.ProcessEnv = process.env): NotificationSettings {
  const own = readSettings(NotificationConfig, service, env);
  return { channel: own.NOTIFY_CHANNEL, smtpUrl: own.SMTP_URL, from: own.NOTIFY_FROM ?? `${service}@localhost` };
}
