export * from './learner-goals.projection';
export * from './current-coaches.projection';
