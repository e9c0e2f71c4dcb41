export * from './analytics.ports';
export * from './school-activity.query';
export * from './school-analytics.query';
export * from './analytics-settings.handlers';
export * from './institution-analytics.query';
