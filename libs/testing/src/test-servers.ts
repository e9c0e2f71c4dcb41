import { randomUUID } from 'node:crypto';

/**
 * Where the real servers for integration and end-to-end tests are. `npm test` (infra/test.sh) sets these:
 * to servers named in the environment, to testcontainers when Docker runs, or to the infra/local stack.
 * Running one spec by hand falls back to the local stack's default ports.
 */
export function testServers() {
  return {
    mongoUrl: process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017',
    kafkaBrokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','),
    redisUrl: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
  };
}

/** A name no other test run uses, for databases, namespaces and consumer groups. */
export const uniqueName = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
