import { readSettings, ResolvedConfig } from '@cbme/service-runtime';
import { Type } from 'class-transformer';
import { IsInt, Min } from 'class-validator';

/** Settings only feedback reads, on top of every service's (see ServiceConfig) and the notifications' (NotificationConfig). */
export class FeedbackConfig {
  /** how long before a development plan's review is due its reminder goes out (default 3 days; 0: when it is due) */
  @Type(() => Number) @IsInt({ message: 'PLAN_REVIEW_LEAD_SECONDS must be a whole number >= 0' }) @Min(0, { message: 'PLAN_REVIEW_LEAD_SECONDS must be a whole number >= 0' })
  PLAN_REVIEW_LEAD_SECONDS = 3 * 86_400;
}

export interface FeedbackSettingsFromEnv {
  planReviewLeadSeconds: number;
}

export function loadFeedbackSettings(config: ResolvedConfig, env: NodeJS.ProcessEnv = process.env): FeedbackSettingsFromEnv {
  const own = readSettings(FeedbackConfig, config.service, env);
  return { planReviewLeadSeconds: own.PLAN_REVIEW_LEAD_SECONDS };
}
