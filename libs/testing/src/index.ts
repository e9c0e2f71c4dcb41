export * from './test-servers';
export * from './wait-for';
export * from './mongo';
