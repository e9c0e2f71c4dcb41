export * from './school.decider';
export * from './user.decider';
export * from './roster';
export * from './retention.decider';
