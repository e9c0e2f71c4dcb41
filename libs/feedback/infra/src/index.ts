export * from './learner-goals.projection';
export * from './current-coaches.projection';
export * from './school-members.projection';
export * from './plan-review-scheduler';
export * from './assessment-results.projection';
export * from './learner-timeline.projection';
export * from './learner-dialogues.projection';
export * from './self-vs-others.projection';
