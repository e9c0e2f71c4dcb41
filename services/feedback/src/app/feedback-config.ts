import { readSettings, ResolvedConfig } from '@cbme/service-runtime';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const wholeDays = (name: string, minimum: number) => ({ message: `${name} must be a whole number of days >= ${minimum}` });

/** Settings only feedback reads, on top of every service's (see ServiceConfig) and the notifications' (NotificationConfig). */
export class FeedbackConfig {
  /** how long before a development plan's review is due its reminder goes out (default 3 days; 0: when it is due) */
  @Type(() => Number) @IsInt({ message: 'PLAN_REVIEW_LEAD_SECONDS must be a whole number >= 0' }) @Min(0, { message: 'PLAN_REVIEW_LEAD_SECONDS must be a whole number >= 0' })
  PLAN_REVIEW_LEAD_SECONDS = 3 * 86_400;

  /** days after a feedback request is made that its one reminder goes out (0: at once) */
  @Type(() => Number) @IsInt(wholeDays('FEEDBACK_REQUEST_REMINDER_DAYS', 0)) @Min(0, wholeDays('FEEDBACK_REQUEST_REMINDER_DAYS', 0))
  FEEDBACK_REQUEST_REMINDER_DAYS = 7;

  /** days after which an unanswered feedback request expires (and its link with it) */
  @Type(() => Number) @IsInt(wholeDays('FEEDBACK_REQUEST_EXPIRY_DAYS', 1)) @Min(1, wholeDays('FEEDBACK_REQUEST_EXPIRY_DAYS', 1))
  FEEDBACK_REQUEST_EXPIRY_DAYS = 21;

  /** the key that signs external assessors' links; unset: a random key kept in FEEDBACK_LINK_KEY_FILE */
  @IsOptional() @IsString() @MinLength(32, { message: 'FEEDBACK_LINK_SECRET must be at least 32 characters' })
  FEEDBACK_LINK_SECRET?: string;

  @IsOptional() @IsString()
  FEEDBACK_LINK_KEY_FILE?: string;

  /** where the web app is, as the people asked reach it (links in the mail point there) */
  @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: 'WEB_ORIGIN must be an http(s) URL' })
  WEB_ORIGIN = 'http://127.0.0.1:8080';

  /** how far apart (on the 1-5 scale) a self-rating and others' view must be for the gap to be flagged */
  @Type(() => Number) @IsNumber({}, { message: 'SELF_VS_OTHERS_GAP_THRESHOLD must be a number from 0.1 to 4' })
  @Min(0.1, { message: 'SELF_VS_OTHERS_GAP_THRESHOLD must be a number from 0.1 to 4' }) @Max(4, { message: 'SELF_VS_OTHERS_GAP_THRESHOLD must be a number from 0.1 to 4' })
  SELF_VS_OTHERS_GAP_THRESHOLD = 1;
}

export interface FeedbackSettingsFromEnv {
  planReviewLeadSeconds: number;
  gapThreshold: number;
  requests: { reminderAfterDays: number; expiresAfterDays: number; webOrigin: string; linkSecret: string };
}

/** A key of 32 random bytes kept in a file (0600), made on first start, so links stay valid across restarts. */
function keyFromFile(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32).toString('base64url');
  writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}

export function loadFeedbackSettings(config: ResolvedConfig, env: NodeJS.ProcessEnv = process.env): FeedbackSettingsFromEnv {
  const own = readSettings(FeedbackConfig, config.service, env);
  const linkSecret = own.FEEDBACK_LINK_SECRET ?? keyFromFile(own.FEEDBACK_LINK_KEY_FILE ?? path.join('.local', 'feedback-link-keys', `${config.mongoDb}.key`));
  return {
    planReviewLeadSeconds: own.PLAN_REVIEW_LEAD_SECONDS,
    gapThreshold: own.SELF_VS_OTHERS_GAP_THRESHOLD,
    requests: { reminderAfterDays: own.FEEDBACK_REQUEST_REMINDER_DAYS, expiresAfterDays: own.FEEDBACK_REQUEST_EXPIRY_DAYS, webOrigin: own.WEB_ORIGIN.replace(/\/$/, ''), linkSecret },
  };
}
