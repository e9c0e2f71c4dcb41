export * from './directory.projection';
export * from './relationships.projection';
export * from './coaching-settings.projection';
export * from './meetings.projection';
export * from './learner-activity.projection';
export * from './communities.projection';
export * from './notifications/notification-channels';
export * from './reminders/bullmq-reminder-scheduler';
