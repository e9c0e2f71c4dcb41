import { IsInt, Max, Min } from 'class-validator';
import { defineEvent } from '../catalog';

/**
 * Analytics' own events, kept in its own store and never published (analytics publishes nothing).
 * One stream per school: `analytics-settings-<schoolId>`.
 */
export const MIN_GROUP_SIZE_FLOOR = 5;

/** The smallest group of learners a published analytics cell may describe in this school (k). */
export class MinimumGroupSizeSet {
  @IsInt() @Min(MIN_GROUP_SIZE_FLOOR) @Max(100) minimumGroupSize: number;
}

export const AnalyticsEvents = {
  MinimumGroupSizeSet: defineEvent('analytics.minimum-group-size-set', MinimumGroupSizeSet),
};
