/** Injection tokens of the event-sourcing runtime. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const INBOX_STORE = Symbol('INBOX_STORE');
export const KAFKA = Symbol('KAFKA');
export const EVENT_CATALOG = Symbol('EVENT_CATALOG');
export const REDIS = Symbol('REDIS');
export const REBUILD_QUEUE = 'projection-rebuild';
