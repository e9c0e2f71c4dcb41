export * from './school-activity.projection';
