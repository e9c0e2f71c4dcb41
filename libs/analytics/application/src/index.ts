export * from './school-activity.query';
