/** Injection tokens of the service runtime; the store tokens come from the kernel. */
export { EVENT_STORE, INBOX_STORE, EVENT_CATALOG } from '@cbme/event-sourcing';
export const KAFKA = Symbol('KAFKA');
export const REDIS = Symbol('REDIS');
/** the AuditKeyRing that signs the stores' checkpoints */
export const AUDIT_KEYS = Symbol('AUDIT_KEYS');
export const REBUILD_QUEUE = 'projection-rebuild';
/** the service's data keys of personal fields (crypto-shredding, README "Erasure") */
export const DATA_KEYS = Symbol('DATA_KEYS');
