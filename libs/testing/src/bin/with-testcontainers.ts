/**
 * Runs a command with Kafka, MongoDB and Redis started by testcontainers (for machines with Docker),
 * passing their addresses as KAFKA_BROKERS, MONGO_URL and REDIS_URL. The containers stop when it exits.
 * Usage: node -r @swc-node/register libs/testing/src/bin/with-testcontainers.ts <command> [args...]
 */
import { spawnSync } from 'node:child_process';
import { GenericContainer, Wait } from 'testcontainers';
import { freePort } from '../service-process';

async function main() {
  const kafkaPort = await freePort();
  const [kafka, mongo, redis] = await Promise.all([
    new GenericContainer('apache/kafka:3.9.1')
      .withExposedPorts({ container: kafkaPort, host: kafkaPort })
      .withEnvironment({
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: `PLAINTEXT://:${kafkaPort},CONTROLLER://:9093`,
        KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${kafkaPort}`,
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
        KAFKA_NUM_PARTITIONS: '3',
      })
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .start(),
    new GenericContainer('mongo:7').withExposedPorts(27017).withWaitStrategy(Wait.forLogMessage(/Waiting for connections/)).start(),
    new GenericContainer('redis:7').withExposedPorts(6379).start(),
  ]);
  const env = {
    ...process.env,
    KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`,
    MONGO_URL: `mongodb://${mongo.getHost()}:${mongo.getMappedPort(27017)}`,
    REDIS_URL: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
  };
  const [command, ...args] = process.argv.slice(2);
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  await Promise.all([kafka.stop(), mongo.stop(), redis.stop()]);
  process.exit(result.status ?? 1);
}

void main();
