export * from './activity-records.projection';
