/** Injection tokens for the stores and catalog, so application code can ask for them without knowing the framework. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const INBOX_STORE = Symbol('INBOX_STORE');
export const EVENT_CATALOG = Symbol('EVENT_CATALOG');
