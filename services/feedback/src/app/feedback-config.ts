import { readSettings, ResolvedConfig } from '@cbme/service-runtime';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, Max, Min } from 'class-validator';

/** Settings only feedback reads, on top of every service's (see ServiceConfig). */
export class FeedbackConfig {
  /** how long before a development plan's review is due its reminder goes out (0: when it is due) */
  @Type(() => Number) @IsInt({ message: 'PLAN_REVIEW_LEAD_SECONDS must be a whole number >= 0' }) @Min(0, { message: 'PLAN_REVIEW_LEAD_SECONDS must be a whole number >= 0' })
  PLAN_REVIEW_LEAD_SECONDS = 0;

  /** how far apart (on the 1-5 scale) a self-rating and others' view must be for the gap to be flagged */
  @Type(() => Number) @IsNumber({}, { message: 'SELF_VS_OTHERS_GAP_THRESHOLD must be a number from 0.1 to 4' })
  @Min(0.1, { message: 'SELF_VS_OTHERS_GAP_THRESHOLD must be a number from 0.1 to 4' }) @Max(4, { message: 'SELF_VS_OTHERS_GAP_THRESHOLD must be a number from 0.1 to 4' })
  SELF_VS_OTHERS_GAP_THRESHOLD = 1;
}

export interface FeedbackSettingsFromEnv {
  planReviewLeadSeconds: number;
  gapThreshold: number;
}

export function loadFeedbackSettings(config: ResolvedConfig, env: NodeJS.ProcessEnv = process.env): FeedbackSettingsFromEnv {
  const own = readSettings(FeedbackConfig, config.service, env);
  return { planReviewLeadSeconds: own.PLAN_REVIEW_LEAD_SECONDS, gapThreshold: own.SELF_VS_OTHERS_GAP_THRESHOLD };
}
