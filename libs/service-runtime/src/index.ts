export * from './config/service-config';
export * from './http/error-filter';
export * from './http/request-context';
export * from './event-sourcing/tokens';
export * from './event-sourcing/runtime-options';
export * from './event-sourcing/event-sourcing-runtime';
export * from './service-runtime.module';
export * from './bootstrap';
