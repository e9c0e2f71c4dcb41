import { Kafka } from 'kafkajs';

/** Creates topics that do not exist yet (3 partitions: per-stream order needs only the key), with `configEntries` if given. */
export async function ensureTopics(kafka: Kafka, topics: string[], numPartitions = 3, configEntries?: { name: string; value: string }[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions, replicationFactor: 1, ...(configEntries ? { configEntries } : {}) })) });
    }
  } finally {
    await admin.disconnect();
  }
}
