import { contextOf, EventCatalog, EventEnvelope, eventsTopic } from '@cbme/contracts';
import { Message, Producer } from 'kafkajs';
import { Projection } from '../projections/projection';
import { StoredEvent } from '../store/event-store';
import { inBatchSpans } from '../tracing/trace-context';

/** Decides what of a stored event is published: the public envelope, or null for a private event. */
export type Publication = (event: StoredEvent) => EventEnvelope | null;

/**
 * The envelope's contract fields, named one by one: a field the store or a caller adds to a stored event (its position,
 * anything later) is not published unless the contract names it here.
 */
export const publishAsStored: Publication = (e) => ({
  envelopeVersion: e.envelopeVersion, eventId: e.eventId, type: e.type, schemaVersion: e.schemaVersion, streamId: e.streamId, streamVersion: e.streamVersion,
  occurredAt: e.occurredAt, recordedAt: e.recordedAt,
  tenant: { institutionId: e.tenant.institutionId, schoolId: e.tenant.schoolId }, actor: { userId: e.actor.userId, role: e.actor.role },
  correlationId: e.correlationId, causationId: e.causationId, data: e.data,
});

/**
 * What a service publishes: the envelope's contract fields and, of the payload, only the fields the public contract
 * declares for its type (an allow-list, nested too); a type the contract does not hold is not published. `refine` may
 * withhold more (never add), e.g. the text of a record its owner keeps private.
 */
export const publishByContract = (contract: EventCatalog, refine: (event: EventEnvelope) => EventEnvelope | null = (event) => event): Publication =>
  (stored) => {
    const published = contract.publicForm(publishAsStored(stored)!);
    return published && refine(published);
  };

/**
 * Publishes a service's own store to Kafka. Run by a ProjectionRunner, so its checkpoint is durable:
 * after a crash it resumes from the last batch Kafka acknowledged (at-least-once).
 * Key = stream id and an idempotent producer with one request in flight keep per-stream order.
 * Traced: each run of commits written in one trace is sent as a `relay publish` span, a child of the span that wrote
 * them, and the Kafka producer instrumentation puts the W3C traceparent of its send into each message's headers. The
 * runs go one after the other in position order; untraced commits make one run, so without tracing a batch is one send.
 */
export class OutboxRelay implements Projection {
  readonly name = 'outbox-relay';
  readonly tracesItself = true;

  constructor(
    private readonly producer: Producer,
    private readonly topicPrefix: string,
    private readonly publication: Publication = publishAsStored,
    /** seals the personal fields of what is published for the topic (transport encryption); absent: sent as published */
    private readonly seal?: (events: EventEnvelope[]) => Promise<EventEnvelope[]>,
  ) {}

  async apply(events: StoredEvent[]): Promise<void> {
    for (const run of runsOfOneTrace(events)) {
      await inBatchSpans('relay publish', [run[0].traceparent], () => this.send(run), { 'cbme.batch.events': run.length });
    }
  }

  private async send(events: StoredEvent[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    const published = events.map((stored) => this.publication(stored)).filter((event): event is EventEnvelope => event !== null);
    for (const event of this.seal ? await this.seal(published) : published) {
      const topic = eventsTopic(this.topicPrefix, contextOf(event.type));
      const messages = byTopic.get(topic) ?? [];
      messages.push({
        key: event.streamId,
        value: JSON.stringify(event),
        headers: { type: event.type, schemaVersion: String(event.schemaVersion), correlationId: event.correlationId },
      });
      byTopic.set(topic, messages);
    }
    if (byTopic.size === 0) return;
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }
}

/** Consecutive events written in the same trace (or all untraced), in order. */
function runsOfOneTrace(events: StoredEvent[]): StoredEvent[][] {
  const runs: StoredEvent[][] = [];
  for (const event of events) {
    const run = runs.at(-1);
    if (run && run[0].traceparent === event.traceparent) run.push(event);
    else runs.push([event]);
  }
  return runs;
}
