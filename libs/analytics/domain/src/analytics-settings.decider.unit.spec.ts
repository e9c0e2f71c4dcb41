import { spec } from '@cbme/decider';
import { analyticsSettingsDecider } from './analytics-settings.decider';

describe('analytics settings', () => {
  it('sets the minimum group size', () => {
    expect(spec(analyticsSettingsDecider).given([]).when({ type: 'SetMinimumGroupSize', data: { minimumGroupSize: 12 } }).events())
      .toEqual([{ type: 'analytics.minimum-group-size-set', data: { minimumGroupSize: 12 } }]);
  });

  it('records nothing when the size is already the one asked for (10 by default)', () => {
    expect(spec(analyticsSettingsDecider).given([]).when({ type: 'SetMinimumGroupSize', data: { minimumGroupSize: 10 } }).events()).toEqual([]);
    const given = [{ type: 'analytics.minimum-group-size-set' as const, data: { minimumGroupSize: 15 } }];
    expect(spec(analyticsSettingsDecider).given(given).when({ type: 'SetMinimumGroupSize', data: { minimumGroupSize: 15 } }).events()).toEqual([]);
  });

  it('refuses a size below 5 learners', () => {
    expect(spec(analyticsSettingsDecider).given([]).when({ type: 'SetMinimumGroupSize', data: { minimumGroupSize: 3 } }).error())
      .toMatchObject({ kind: 'rule-violated' });
  });
});
