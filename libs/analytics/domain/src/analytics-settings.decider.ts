import { EventOf, MIN_GROUP_SIZE_FLOOR, AnalyticsEvents } from '@cbme/contracts';
import { Decider, ruleViolated } from '@cbme/decider';
import { DEFAULT_MINIMUM_GROUP_SIZE } from './school-analytics';

/** A school's analytics settings: the minimum group size k below which cells are suppressed. */
export type AnalyticsSettingsEvent = EventOf<typeof AnalyticsEvents.MinimumGroupSizeSet>;
export type AnalyticsSettingsCommand = { type: 'SetMinimumGroupSize'; data: { minimumGroupSize: number } };
export interface AnalyticsSettingsState {
  minimumGroupSize: number;
}

export const analyticsSettingsDecider: Decider<AnalyticsSettingsCommand, AnalyticsSettingsEvent, AnalyticsSettingsState> = {
  decide: ({ data }, state) => {
    if (!Number.isInteger(data.minimumGroupSize) || data.minimumGroupSize < MIN_GROUP_SIZE_FLOOR) {
      throw ruleViolated(`the minimum group size is at least ${MIN_GROUP_SIZE_FLOOR} learners`);
    }
    return state.minimumGroupSize === data.minimumGroupSize ? [] : [{ type: 'analytics.minimum-group-size-set', data }];
  },
  evolve: (_state, event) => ({ minimumGroupSize: event.data.minimumGroupSize }),
  initialState: { minimumGroupSize: DEFAULT_MINIMUM_GROUP_SIZE },
};

export const analyticsSettingsStreamId = (schoolId: string) => `analytics-settings-${schoolId}`;
