export * from './coaching-relationship.decider';
