/**
 * Sends each message once per `key` (the service's notification outbox records the intent before anything leaves, so a
 * second call with the key sends nothing). Resolves once the intent is recorded; `channel` names how messages leave.
 */
export interface Notifier {
  readonly channel: string;
  notify(message: { key: string; to: string; subject: string; text: string }): Promise<void>;
}
export const NOTIFIER = Symbol('NOTIFIER');

/** How this service reaches a person, from identity's events (null: not known here). */
export interface Contacts {
  contactOf(userId: string): Promise<{ email: string; displayName: string } | null>;
}
export const CONTACTS = Symbol('CONTACTS');
