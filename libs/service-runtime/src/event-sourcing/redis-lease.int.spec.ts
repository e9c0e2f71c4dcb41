import { FencedOutError, InMemoryDeadLetters, InMemoryEventStore, MongoCheckpointStore, ProjectionRunner, StoredEvent } from '@cbme/event-sourcing';
import Redis from 'ioredis';
import mongoose, { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { LeaseTimings, RedisLease } from './redis-lease';

const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const mongoUrl = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
const timings: LeaseTimings = { ttlMs: 1_000, renewMs: 250, retryMs: 100 };
let redis: Redis;
let connection: Connection;

beforeAll(async () => {
  redis = new Redis(redisUrl);
  connection = await mongoose.createConnection(mongoUrl, { dbName: `test_lease_${randomUUID().slice(0, 8)}` }).asPromise();
});
afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
  redis.disconnect();
});

/** a lease and what happened to it, in order */
function contender(key: string, instance: string, client: Redis = redis) {
  const happened: string[] = [];
  let acquired = (_fence: number) => undefined as void;
  const acquiredOnce = () => new Promise<number>((resolve) => (acquired = resolve));
  let next = acquiredOnce();
  let lostNow: (reason: string) => void = () => undefined;
  let lost = new Promise<string>((resolve) => (lostNow = resolve));
  const lease = new RedisLease(client, key, instance, timings, {
    acquired: (fence) => {
      happened.push(`acquired ${fence}`);
      acquired(fence);
    },
    lost: (reason) => {
      happened.push(`lost: ${reason}`);
      lostNow(reason);
    },
  });
  return {
    lease, happened,
    acquired: () => next,
    lost: () => lost,
    expectAgain: () => {
      next = acquiredOnce();
      lost = new Promise<string>((resolve) => (lostNow = resolve));
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const key = () => `test:lease:${randomUUID()}`;

/** a Redis client whose calls can be held, as a process paused by SIGSTOP sends nothing */
function pausable(): { client: Redis; pause(): void } {
  const client = new Redis(redisUrl);
  let paused = false;
  const send = client.eval.bind(client) as (...args: unknown[]) => Promise<unknown>;
  (client as unknown as { eval: (...args: unknown[]) => Promise<unknown> }).eval = (...args: unknown[]) =>
    paused ? new Promise(() => undefined) : send(...args);
  return { client, pause: () => (paused = true) };
}

describe('RedisLease', () => {
  it('is held by one of two contenders; the other takes it, under a higher fence, once it is released', async () => {
    const name = key();
    const a = contender(name, 'a');
    const b = contender(name, 'b');
    a.lease.start();
    const first = await a.acquired();
    b.lease.start();
    await sleep(timings.ttlMs * 2);
    expect(a.lease.held).toBe(true);
    expect(b.lease.held).toBe(false);
    expect(await redis.get(name)).toBe(`a:${first}`);
    await a.lease.stop();
    const second = await b.acquired();
    expect(second).toBeGreaterThan(first);
    expect(await redis.get(name)).toBe(`b:${second}`);
    await b.lease.stop();
    expect(await redis.get(name)).toBeNull();
  });

  it('is kept by renewals far past its TTL', async () => {
    const name = key();
    const a = contender(name, 'a');
    a.lease.start();
    await a.acquired();
    await sleep(timings.ttlMs * 4);
    expect(a.happened).toHaveLength(1);
    expect(await redis.pttl(name)).toBeGreaterThan(0);
    await a.lease.stop();
  });

  it('is given up by its own clock when renewals do not get through, before the TTL lets another take it', async () => {
    const name = key();
    const paused = pausable();
    const a = contender(name, 'a', paused.client);
    const b = contender(name, 'b');
    a.lease.start();
    const first = await a.acquired();
    b.lease.start();
    paused.pause();
    expect(await a.lost()).toBe('not renewed in time');
    // by a's own clock the lease was still in Redis when a gave it up
    expect(b.lease.held).toBe(false);
    const second = await b.acquired();
    expect(second).toBe(first + 1);
    await Promise.all([a.lease.stop(), b.lease.stop()]);
    paused.client.disconnect();
  });

  it('is lost at once when a renewal finds another holder', async () => {
    const name = key();
    const a = contender(name, 'a');
    a.lease.start();
    await a.acquired();
    await redis.set(name, 'someone-else:99', 'PX', 10_000);
    expect(await a.lost()).toMatch(/renewal refused/);
    await a.lease.stop();
    expect(await redis.get(name)).toBe('someone-else:99');
  });
});

describe('fencing', () => {
  it('refuses the checkpoint of a holder paused past its lease once the next holder has taken over, and never moves a checkpoint back', async () => {
    const name = `counting-${randomUUID().slice(0, 8)}`;
    const store = new InMemoryEventStore();
    for (let i = 1; i <= 3; i++) await store.append(`s-${i}`, 0, [{ eventId: randomUUID(), type: 'noted', schemaVersion: 1, data: { i }, occurredAt: new Date().toISOString(), tenant: { institutionId: 'inst', schoolId: 'med' }, actor: { userId: 'u1', role: 'learner' }, correlationId: randomUUID(), causationId: null }]);
    const checkpoints = new MongoCheckpointStore(connection);
    const applied: { by: string; fence?: number }[] = [];
    const projection = (by: string) => ({ name, apply: async (_events: StoredEvent[], context?: { fence?: number }) => void applied.push({ by, fence: context?.fence }) });
    const fencedOut: string[] = [];
    const paused = pausable();
    const leaseKey = key();
    const old = contender(leaseKey, 'old', paused.client);
    const oldRunner = new ProjectionRunner(store, checkpoints, projection('old'), { deadLetters: new InMemoryDeadLetters(), leased: true, onFencedOut: () => fencedOut.push('old') });
    const next = contender(leaseKey, 'next');
    const nextRunner = new ProjectionRunner(store, checkpoints, projection('next'), { deadLetters: new InMemoryDeadLetters(), leased: true, batchSize: 1 });

    old.lease.start();
    const oldFence = await old.acquired();
    await checkpoints.save(name, 1, oldFence);
    // "SIGSTOP": renewals stop; the process would not see its lease end either, so its runner is not stopped here
    paused.pause();
    next.lease.start();
    const nextFence = await next.acquired();
    nextRunner.start(nextFence);
    await nextRunner.waitUntilCaughtUp();
    expect(await checkpoints.load(name)).toBe(3);

    // "SIGCONT": the old holder goes on with the batch it had read, and saves
    await expect(checkpoints.save(name, 2, oldFence)).rejects.toBeInstanceOf(FencedOutError);
    await expect(checkpoints.save(name, 5, oldFence)).rejects.toBeInstanceOf(FencedOutError);
    oldRunner.start(oldFence);
    await sleep(500);
    expect(fencedOut).toEqual(['old']);
    expect(oldRunner.isRunning).toBe(false);
    expect(applied.filter((a) => a.by === 'old')).toEqual([]);
    expect(applied.every((a) => a.fence === nextFence)).toBe(true);
    // the holder itself cannot move its checkpoint back either
    await expect(checkpoints.save(name, 2, nextFence)).rejects.toBeInstanceOf(FencedOutError);
    expect(await checkpoints.load(name)).toBe(3);
    // a follower reads the holder's progress from the stored checkpoint
    expect(await oldRunner.position()).toBe(3);

    await nextRunner.stop();
    await Promise.all([old.lease.stop(), next.lease.stop()]);
    paused.client.disconnect();
  });
});
