import { publicCatalog } from '@cbme/contracts';
import { Kafka } from 'kafkajs';
import { InMemoryEventStore } from '../store/in-memory-event-store';
import { KafkaInboxConsumer } from './kafka-inbox-consumer';
import { TransportKeyReader } from './transport-keys';

/**
 * A kafkajs consumer as far as starting goes: a run that fails to start (a fresh broker that does not lead a new topic
 * yet) stays "running", so a second subscribe is refused until the consumer is stopped or disconnected.
 */
function kafkaWhoseFirstRunFails() {
  const runs = { attempts: 0, started: 0 };
  let running = false;
  const consumer = {
    connect: async () => undefined,
    disconnect: async () => void (running = false),
    stop: async () => void (running = false),
    on: () => undefined,
    events: { GROUP_JOIN: 'consumer.group_join' },
    subscribe: async () => {
      if (running) throw new Error('Cannot subscribe to topic while consumer is running');
    },
    run: async () => {
      running = true;
      if (++runs.attempts === 1) throw new Error('This server does not host this topic-partition');
      runs.started++;
    },
  };
  const admin = { connect: async () => undefined, disconnect: async () => undefined, listTopics: async () => ['t', 't.dlq', 'keys'], createTopics: async () => true };
  const kafka = { consumer: () => consumer, producer: () => ({ connect: async () => undefined }), admin: () => admin } as unknown as Kafka;
  return { kafka, runs };
}

describe('starting a consumer again after a failed start', () => {
  it('works for the inbox consumer: the failed run is stopped first', async () => {
    const { kafka, runs } = kafkaWhoseFirstRunFails();
    const consumer = new KafkaInboxConsumer(kafka, { consumerName: 'x', topicPrefix: 'p', topics: ['t'], catalog: publicCatalog(), inbox: new InMemoryEventStore() });
    await expect(consumer.start()).rejects.toThrow('does not host');
    await consumer.start();
    expect(runs).toEqual({ attempts: 2, started: 1 });
  });

  it('works for the transport key reader, and starting it once more changes nothing', async () => {
    const { kafka, runs } = kafkaWhoseFirstRunFails();
    const reader = new TransportKeyReader(kafka, [{ events: 't', keys: 'keys' }], Buffer.alloc(32), 'g');
    await expect(reader.start()).rejects.toThrow('does not host');
    await reader.start();
    await reader.start();
    expect(runs).toEqual({ attempts: 2, started: 1 });
  });
});
