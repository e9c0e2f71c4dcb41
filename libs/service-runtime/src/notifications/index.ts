export * from './notification.config';
export * from './notification-outbox';
export * from './notification-transports';
export * from './notification-sender.processor';
export * from './notifications.providers';
