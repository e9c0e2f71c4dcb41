import { EventCatalog, EventEnvelope, mapPaths } from '@cbme/contracts';
import { hkdfSync } from 'node:crypto';
import { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { DataKeys, ERASED } from '../store/personal-data';
import { ensureTopics } from './kafka-topics';
import { sealForTransport, TransportKeyLookup, TransportKeyRing, wrapTransportKey } from './transport-cipher';

/*
 * The key topics of transport encryption (README, "Erasure"): each publishing service announces the transport key of
 * a subject on its compacted `<prefix>.<context>.transport-keys` (key = subject, value = the key wrapped by the
 * deployment's transport master key) before the first event that needs it, and writes a tombstone there when the
 * subject is erased. Consumers read the key topics of what they consume from the beginning, into memory.
 */

/** Compaction keeps each subject's latest record; tombstones are kept (a key once erased must stay erased). */
const KEY_TOPIC_CONFIG = [
  { name: 'cleanup.policy', value: 'compact' },
  { name: 'delete.retention.ms', value: String(100 * 365 * 24 * 3_600_000) },
];

/** A subject's transport key in one service: derived from its data key there, so erasing the data key ends it too. */
export function transportKeyOf(dataKey: Buffer, context: string): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), `cbme transport v1 ${context}`, 32));
}

/** How many announced subjects a relay remembers (it announces a forgotten one again: compaction keeps one record). */
const REMEMBERED_SUBJECTS = 100_000;

/** The publishing side: seals events for the topic, announcing each subject's key first. */
export class TransportSealer {
  private readonly announced = new Set<string>();

  constructor(
    private readonly catalog: EventCatalog,
    private readonly keys: DataKeys,
    private readonly producer: Producer,
    private readonly context: string,
    private readonly keyTopic: string,
    private readonly master: Buffer,
  ) {}

  /**
   * The events with their personal fields sealed under their subjects' transport keys; an erased subject's fields
   * as ERASED. Resolves once every key they need is acknowledged on the key topic, so a consumer that reads the key
   * topic after it received the event finds the key.
   */
  async seal(events: EventEnvelope[]): Promise<EventEnvelope[]> {
    const subjects = events.map((event) => this.subjectOf(event));
    if (subjects.every((subject) => subject === undefined)) return events;
    const keys = new Map<string, Buffer | null>();
    for (const subject of new Set(subjects)) {
      if (subject === undefined) continue;
      const dataKey = await this.keys.keyFor(subject);
      keys.set(subject, dataKey && transportKeyOf(dataKey, this.context));
    }
    const fresh = [...keys].filter((entry): entry is [string, Buffer] => entry[1] !== null && !this.announced.has(entry[0]));
    if (fresh.length) {
      await this.producer.send({
        topic: this.keyTopic, acks: -1,
        messages: fresh.map(([subject, key]) => ({ key: subject, value: wrapTransportKey(this.master, subject, key) })),
      });
      for (const [subject] of fresh) this.remember(subject);
    }
    return events.map((event, i) => {
      const subject = subjects[i];
      if (subject === undefined) return event;
      const key = keys.get(subject);
      if (key) return sealForTransport(this.catalog, event, () => key);
      return { ...event, data: mapPaths(event.data as Record<string, unknown>, this.catalog.personalFields(event.type)!.paths, () => ERASED) };
    });
  }

  /** Ends the subject's transport key for every consumer: a tombstone on the key topic. */
  async tombstone(subject: string): Promise<void> {
    await this.producer.send({ topic: this.keyTopic, acks: -1, messages: [{ key: subject, value: null }] });
    // kept as announced: this relay never announces the subject again (its data key is gone, so it could not)
    this.remember(subject);
  }

  async ensureTopic(kafka: Kafka): Promise<void> {
    await ensureKeyTopics(kafka, [this.keyTopic]);
  }

  /** The subject of an event with personal fields; the public contract names one for every such type. */
  private subjectOf(event: EventEnvelope): string | undefined {
    const fields = this.catalog.personalFields(event.type);
    if (!fields) return undefined;
    const subject = fields.subjectField ? (event.data as Record<string, unknown>)[fields.subjectField] : undefined;
    if (typeof subject !== 'string' || !subject) throw new Error(`${event.type}: personal fields without a subject field`);
    return subject;
  }

  private remember(subject: string): void {
    this.announced.add(subject);
    if (this.announced.size > REMEMBERED_SUBJECTS) this.announced.delete(this.announced.values().next().value as string);
  }
}

export async function ensureKeyTopics(kafka: Kafka, topics: string[]): Promise<void> {
  await ensureTopics(kafka, topics, 3, KEY_TOPIC_CONFIG);
}

/** How long a consumer waits for the key topics to be read to their end before it gives up on a message. */
const CATCH_UP_TIMEOUT_MS = 30_000;
const CATCH_UP_POLL_MS = 20;

/** A context's events topic and the key topic its publisher announces its transport keys on. */
export interface KeyedTopic {
  events: string;
  keys: string;
}

const NONE_KNOWN: TransportKeyLookup = () => undefined;

/**
 * The consuming side: every record of the key topics, read from the beginning at each start into a bounded ring per
 * key topic (each publishing service has its own key for a person), with its own consumer group, unique to this
 * process and never committed, so each instance reads every partition.
 */
export class TransportKeyReader {
  /** by key topic */
  private readonly rings = new Map<string, TransportKeyRing>();
  /** by events topic: the lookup of its publisher's keys */
  private readonly lookups = new Map<string, TransportKeyLookup>();
  private readonly topics: string[];
  private readonly consumer: Consumer;
  private readonly admin: Admin;
  /** the next offset to read, by `topic:partition` */
  private readonly next = new Map<string, number>();
  private started = false;

  constructor(private readonly kafka: Kafka, keyed: KeyedTopic[], master: Buffer, groupId: string) {
    for (const { events, keys } of keyed) {
      const ring = this.rings.get(keys) ?? new TransportKeyRing(master);
      this.rings.set(keys, ring);
      this.lookups.set(events, ring.lookup);
    }
    this.topics = [...this.rings.keys()];
    this.consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    this.admin = kafka.admin();
  }

  /** The keys of the service that publishes on `eventsTopic` (none known for a topic this reader has no key topic of). */
  lookupFor(eventsTopic: string): TransportKeyLookup {
    return this.lookups.get(eventsTopic) ?? NONE_KNOWN;
  }

  /** Idempotent once it succeeded; a failed start leaves nothing running, so it can be tried again. */
  async start(): Promise<void> {
    if (this.started) return;
    try {
      await ensureKeyTopics(this.kafka, this.topics);
      await this.admin.connect();
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
      await this.consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          const subject = message.key?.toString('utf8');
          if (subject) this.rings.get(topic)?.apply(subject, message.value === null ? null : message.value.toString('utf8'));
          this.next.set(`${topic}:${partition}`, Number(message.offset) + 1);
        },
      });
      this.started = true;
    } catch (error) {
      // a run that failed to start stays "running" in kafkajs (a second subscribe is refused) until it is stopped
      await this.consumer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }

  /**
   * Resolves once every record written to the key topics before this call has been read. When `subjects` are still
   * not known and a ring dropped keys to stay within its capacity, the topics are read again from the beginning.
   */
  async catchUp(subjects: { topic: string; subject: string }[] = []): Promise<void> {
    const ends = (await Promise.all(this.topics.map(async (topic) =>
      (await this.admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({ topic, partition, key: `${topic}:${partition}`, high: Number(high) }))))).flat();
    await this.readUntil(ends);
    const dropped = [...this.rings.values()].some((ring) => ring.dropped > 0);
    if (!dropped || subjects.every(({ topic, subject }) => this.lookupFor(topic)(subject) !== undefined)) return;
    for (const { topic, partition, key } of ends) {
      this.next.set(key, 0);
      this.consumer.seek({ topic, partition, offset: '0' });
    }
    await this.readUntil(ends);
  }

  private async readUntil(ends: { key: string; high: number }[]): Promise<void> {
    const until = Date.now() + CATCH_UP_TIMEOUT_MS;
    while (ends.some(({ key, high }) => (this.next.get(key) ?? 0) < high)) {
      if (Date.now() > until) throw new Error(`the transport key topics were not read to their end within ${CATCH_UP_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, CATCH_UP_POLL_MS));
    }
  }
}
