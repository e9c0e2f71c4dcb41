export * from './analytics-facts.projection';
export * from './analytics-settings.projection';
