import { consumerGroup, deadLetterTopic, EventCatalog, EventEnvelope } from '@cbme/contracts';
import { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { KernelLogger, silentLogger } from '../logging/logger';
import { DeadMessage, DeadMessageNotes } from '../projections/dead-letters';
import { EventStore } from '../store/event-store';
import { BatchSpans } from '../tracing/trace-context';
import { ensureTopics } from './kafka-topics';
import { openFromTransport, TransportKeyLookup } from './transport-cipher';

/**
 * at most this many messages per import: one insert and one group commit of their positions (the store's groups
 * take up to 200). A stream's events in a chunk are placed one after another, a group each, so the larger the chunk,
 * the fewer groups per event (inserts are not subject to FerretDB's trouble with large updates, see versioned-upsert.ts).
 */
const IMPORT_CHUNK = 200;

export interface InboxConsumerOptions {
  /** the consuming service; its consumer group is `<prefix>.<name>`, its dead letters go to `<prefix>.<name>.dlq` */
  consumerName: string;
  topics: string[];
  topicPrefix: string;
  catalog: EventCatalog;
  /** where accepted events are kept; projections read from it */
  inbox: EventStore;
  /** event types this service cares about; others are skipped without being stored */
  accepts?: (type: string) => boolean;
  logger?: KernelLogger;
  /** where each dead-lettered message is noted (type, id, reason: no content), for the operators' counts */
  deadLetters?: DeadMessageNotes;
  /** opens the personal fields sealed for transport (README, "Erasure"); absent: messages are taken as they are */
  transportKeys?: TransportKeys;
}

/** The transport keys a consumer knows, and a way to learn every key published so far. */
export interface TransportKeys {
  /** the keys of the service that publishes on `topic` (each has its own key for a person) */
  lookupFor(topic: string): TransportKeyLookup;
  /** resolves once every key published before the call is known (those of `subjects` above all) */
  catchUp(subjects: { topic: string; subject: string }[]): Promise<void>;
}

type Read = { event?: EventEnvelope } | Rejected | ({ missing: string[] } & Omit<Rejected, 'reason'>);
type Rejected = { reason: string; type: string | null; eventId: string | null };

/** How many messages of a partition this consumer has not yet handled, as of its latest batch from it. */
export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

/**
 * Moves events from Kafka into the service's inbox store, validated and upcast.
 * Storing is idempotent (stream id + version), so redelivery and topic replays change nothing.
 * A message that fails to parse or validate goes to the group's dead-letter topic with the reason;
 * the consumer commits past it and keeps going.
 */
export class KafkaInboxConsumer {
  private readonly consumer: Consumer;
  private readonly dlqProducer: Producer;
  private readonly logger: KernelLogger;
  readonly deadLetterTopic: string;
  readonly groupId: string;
  /** by `topic:partition`, for the partitions this member holds; known from the batches, so asking costs nothing */
  private readonly lags = new Map<string, PartitionLag>();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: InboxConsumerOptions,
  ) {
    this.groupId = consumerGroup(options.topicPrefix, options.consumerName);
    this.consumer = kafka.consumer({ groupId: this.groupId, maxWaitTimeInMs: 200, sessionTimeout: 30_000, heartbeatInterval: 3_000 });
    this.dlqProducer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    this.logger = options.logger ?? silentLogger;
    this.deadLetterTopic = deadLetterTopic(options.topicPrefix, options.consumerName);
    // after a rebalance, a partition another member took is no longer this one's lag
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      for (const [key, { topic, partition }] of this.lags) {
        if (!payload.memberAssignment[topic]?.includes(partition)) this.lags.delete(key);
      }
    });
  }

  /** The lag of each partition this member holds, as of its latest batch (high watermark minus the next offset to handle). */
  partitionLags(): PartitionLag[] {
    return [...this.lags.values()];
  }

  /** A failed start leaves nothing running, so it can be tried again (a fresh broker may not lead a new topic yet). */
  async start(): Promise<void> {
    try {
      await ensureTopics(this.kafka, [...this.options.topics, this.deadLetterTopic]);
      await this.dlqProducer.connect();
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: true });
      await this.consumer.run({ eachBatch: (payload) => this.handleBatch(payload) });
    } catch (error) {
      // a run that failed to start stays "running" in kafkajs (a second subscribe is refused) until it is stopped
      await this.consumer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await this.dlqProducer.disconnect();
  }

  /** Messages are imported a chunk at a time (one insert and one group commit of positions per chunk). */
  private async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const noteLag = (next: number) =>
      this.lags.set(`${batch.topic}:${batch.partition}`, { topic: batch.topic, partition: batch.partition, lag: Math.max(0, Number(batch.highWatermark) - next) });
    noteLag(Number(batch.firstOffset() ?? batch.highWatermark));
    for (let i = 0; i < batch.messages.length; i += IMPORT_CHUNK) {
      if (!isRunning() || isStale()) return;
      const chunk = batch.messages.slice(i, i + IMPORT_CHUNK);
      const accepted: EventEnvelope[] = [];
      const sentIn: (string | undefined)[] = [];
      for (const [message, read] of await this.readAll(batch.topic, chunk)) {
        if ('reason' in read) await this.deadLetter(batch.topic, batch.partition, message, read);
        else if (read.event) {
          accepted.push(read.event);
          sentIn.push(traceparentHeader(message));
        }
      }
      if (accepted.length) {
        // each stored copy keeps the trace of its message, continued by an `inbox store` span, for the projections
        const spans = new BatchSpans('inbox store', sentIn, { 'cbme.consumer': this.options.consumerName });
        await spans.run(() => this.options.inbox.importEvents(accepted, sentIn.map((traceparent) => spans.childOf(traceparent))));
      }
      resolveOffset(chunk[chunk.length - 1].offset);
      noteLag(Number(chunk[chunk.length - 1].offset) + 1);
      await heartbeat();
    }
  }

  /**
   * Runs a dead-lettered message through validation again (after a fix: a release that knows its schema version, say)
   * and stores its event in the inbox as any other; the reason when it still fails. Storing is idempotent, so a message
   * whose event arrived since by another way changes nothing.
   */
  async replay(message: DeadMessage): Promise<{ imported: boolean } | { reason: string }> {
    const [[, read]] = await this.readAll(message.topic, [{ value: message.value === null ? null : Buffer.from(message.value, 'base64') }]);
    if ('reason' in read) return { reason: read.reason };
    if (!read.event) return { imported: false };
    const [imported] = await this.options.inbox.importEvents([read.event]);
    return { imported };
  }

  /**
   * Each message read; one whose transport keys are not known yet is read again once the key topics are read to their
   * end (its publisher announced the keys before it sent the message), and dead-lettered if they are still unknown.
   */
  private async readAll<M extends Pick<KafkaMessage, 'value'>>(topic: string, messages: M[]): Promise<[M, { event?: EventEnvelope } | Rejected][]> {
    const reads = messages.map((message) => [message, this.read(topic, message)] as [M, Read]);
    const missing = reads.flatMap(([, read]) => ('missing' in read ? read.missing.map((subject) => ({ topic, subject })) : []));
    if (missing.length) await this.options.transportKeys!.catchUp(missing);
    return reads.map(([message, read]) => {
      if (!('missing' in read)) return [message, read];
      const again = this.read(topic, message);
      if (!('missing' in again)) return [message, again];
      const { missing: subjects, type, eventId } = again;
      return [message, { reason: `no transport key is known for ${subjects.join(', ')}`, type, eventId }];
    });
  }

  /** The message's event, opened, validated and upcast; none for a type this service does not take; a reason to dead-letter it; the subjects whose transport keys it lacks. */
  private read(topic: string, message: Pick<KafkaMessage, 'value'>): Read {
    let raw: unknown;
    try {
      raw = JSON.parse(message.value?.toString('utf8') ?? '');
    } catch {
      return { reason: 'message value is not JSON', type: null, eventId: null };
    }
    const type = (raw as { type?: unknown })?.type;
    if (typeof type === 'string' && this.options.accepts && !this.options.accepts(type)) return {};
    const eventId = (raw as { eventId?: unknown })?.eventId;
    if (this.options.transportKeys) {
      let opened: ReturnType<typeof openFromTransport>;
      try {
        opened = openFromTransport(raw, this.options.transportKeys.lookupFor(topic));
      } catch {
        return { reason: 'a personal field does not open with its transport key (altered, or sealed under another key)', type: label(type), eventId: label(eventId) };
      }
      if ('missing' in opened) return { missing: opened.missing, type: label(type), eventId: label(eventId) };
      raw = opened.event;
    }
    const parsed = this.options.catalog.parse(raw);
    if (parsed.ok) return { event: parsed.value };
    return { reason: parsed.reason, type: label(type), eventId: label(eventId) };
  }

  private async deadLetter(topic: string, partition: number, message: KafkaMessage, { reason, type, eventId }: Rejected): Promise<void> {
    this.logger.warn({ topic, partition, offset: message.offset, reason }, 'message sent to dead-letter topic');
    await this.dlqProducer.send({
      topic: this.deadLetterTopic,
      acks: -1,
      messages: [{
        key: message.key,
        value: message.value,
        headers: {
          'dlq-reason': reason,
          'dlq-source-topic': topic,
          'dlq-source-partition': String(partition),
          'dlq-source-offset': message.offset,
          'dlq-consumer-group': this.groupId,
        },
      }],
    });
    await this.options.deadLetters?.noteMessage(this.deadLetterTopic, {
      id: `${topic}:${partition}:${message.offset}`, type, eventId, reason,
      message: {
        topic, partition, offset: message.offset, key: message.key?.toString('utf8') ?? null, value: message.value?.toString('base64') ?? null,
        headers: headerStrings(message.headers), timestamp: message.timestamp ?? null,
      },
    });
  }
}

/** Only the two identifying strings of a refused message are kept, bounded: never the message's content. */
const label = (value: unknown) => (typeof value === 'string' ? value.slice(0, 200) : null);

function headerStrings(headers: KafkaMessage['headers']): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).flatMap(([name, value]) =>
    value === undefined ? [] : [[name, [value].flat().map((v) => v.toString()).join(', ')]]));
}

/** The W3C trace context the producer's instrumentation put in the message's headers, if any. */
function traceparentHeader(message: KafkaMessage): string | undefined {
  const header = message.headers?.traceparent;
  const value = Array.isArray(header) ? header[0] : header;
  return value === undefined ? undefined : value.toString();
}
