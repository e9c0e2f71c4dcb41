export * from './analytics-facts';
export * from './periods';
export * from './suppression';
export * from './school-activity';
export * from './school-analytics';
export * from './school-comparison';
export * from './analytics-settings.decider';
