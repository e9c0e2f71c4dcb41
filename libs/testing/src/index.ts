export * from './test-servers';
export * from './wait-for';
export * from './mongo';
export * from './service-process';
export * from './http-client';
export * from './events';
export * from './oidc-provider';
export * from './smtp-server';
