/**
 * Topic naming convention: `<prefix>.<context>.events` carries every public event of one bounded context,
 * keyed by stream id so one stream stays in one partition (per-stream order).
 * Dead letters of a consumer group go to `<prefix>.<group>.dlq`.
 * The prefix (default `cbme`) lets test runs and deployments share a broker without mixing.
 */
export const CONTEXTS = ['identity', 'coaching', 'feedback'] as const;
export type Context = (typeof CONTEXTS)[number];

export const eventsTopic = (prefix: string, context: Context): string => `${prefix}.${context}.events`;
export const deadLetterTopic = (prefix: string, consumerGroup: string): string => `${prefix}.${consumerGroup}.dlq`;

/** The context an event type belongs to is the first segment of its type string. */
export function contextOf(eventType: string): Context {
  const context = eventType.split('.')[0] as Context;
  if (!CONTEXTS.includes(context)) throw new Error(`event type ${eventType} has no known context`);
  return context;
}
