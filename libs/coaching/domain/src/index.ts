export * from './coaching-relationship.decider';
export * from './coaching-meeting.decider';
export * from './coaching-program.decider';
export * from './learning-community.decider';
export * from './coach-departure.decider';
export * from './coaching-cadence';
export * from './since-last-met';
