/**
 * Topic naming convention: `<prefix>.<context>.events` carries every public event of one bounded context,
 * keyed by stream id so one stream stays in one partition (per-stream order).
 * A consuming service's group is `<prefix>.<service>`; its dead letters go to `<prefix>.<service>.dlq`.
 * The prefix (default `cbme`) lets test runs and deployments share a broker without mixing.
 */
export const CONTEXTS = ['identity', 'coaching', 'feedback'] as const;
export type Context = (typeof CONTEXTS)[number];

export const eventsTopic = (prefix: string, context: Context): string => `${prefix}.${context}.events`;
/** The compacted topic where a context's publisher announces each subject's transport key (a tombstone once erased). */
export const transportKeysTopic = (prefix: string, context: Context): string => `${prefix}.${context}.transport-keys`;
export const deadLetterTopic = (prefix: string, service: string): string => `${prefix}.${service}.dlq`;
export const consumerGroup = (prefix: string, service: string): string => `${prefix}.${service}`;

/** The context an event type belongs to is the first segment of its type string. */
export function contextOf(eventType: string): Context {
  const context = eventType.split('.')[0] as Context;
  if (!CONTEXTS.includes(context)) throw new Error(`event type ${eventType} has no known context`);
  return context;
}
