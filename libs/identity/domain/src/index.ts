export * from './school.decider';
export * from './user.decider';
