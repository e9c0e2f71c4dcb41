export * from './coaching.ports';
export * from './coaching.handlers';
