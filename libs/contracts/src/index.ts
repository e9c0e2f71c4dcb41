export * from './envelope';
export * from './roles';
export * from './catalog';
export * from './topics';
export * from './identity/identity.events';
export * from './coaching/coaching.events';
export * from './feedback/feedback.events';
export { publicCatalog, allPublicEvents } from './public-catalog';
export * from './analytics/analytics.events';
