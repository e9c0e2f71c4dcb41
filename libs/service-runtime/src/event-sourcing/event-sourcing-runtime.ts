import { Context, eventsTopic, IdentityEvents, publicCatalog, transportKeysTopic } from '@cbme/contracts';
import {
  AuditCheckpointWriter, AuditKeyRing, CheckpointStore, DataKeys, DeadLetterCount, DeadLetterKind, DeadLetterRecord, EventStore, KafkaInboxConsumer, MongoCheckpointStore, MongoDeadLetters, MongoEventStore,
  OutboxRelay, PartitionLag, ProjectionRunner, RebuildProgress, publishByContract, readMasterKey, TransportKeyReader, TransportSealer,
} from '@cbme/event-sourcing';
import { Inject, Injectable, Logger, NotFoundException, OnApplicationBootstrap, OnApplicationShutdown, ServiceUnavailableException } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectConnection } from '@nestjs/mongoose';
import Redis from 'ioredis';
import { Kafka, Partitioners, Producer } from 'kafkajs';
import { Connection } from 'mongoose';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { RedisLease } from './redis-lease';
import { RUNTIME_OPTIONS, ServiceRuntimeOptions } from './runtime-options';
import { AUDIT_KEYS, DATA_KEYS, EVENT_STORE, INBOX_STORE, KAFKA, REDIS } from './tokens';

/** the repair of half-written commits pauses this many times as long as its last run took, and at least a minute */
const REPAIR_PAUSE_FACTOR = 30;
const MIN_REPAIR_PAUSE_MS = 60_000;

/** How far behind each reader is, from what the process holds in memory (see EventSourcingRuntime.knownLags). */
export interface KnownLags {
  /** the own store's head minus the outbox relay's position; none for a service that publishes nothing */
  relay?: { name: string; lag: number };
  projections: { name: string; source: 'events' | 'inbox'; lag: number }[];
  consumer: PartitionLag[];
}

/** the work besides the runners that one instance per service does, each under its own lease */
const REPAIR_LEASE = 'repair-half-written-commits';
const AUDIT_LEASE = 'sign-audit-checkpoints';

/** A rebuild asked of an instance that does not run the projection: its job waits for the lease holder. */
export class NotLeaseHolderError extends Error {}

export interface ProjectionStatus {
  name: string;
  source: 'events' | 'inbox';
  position: number;
  head: number;
}

/**
 * Starts and stops everything that moves events in one service: the outbox relay (own store -> Kafka),
 * the inbox consumer (Kafka -> inbox store) and every projection runner, each with its durable checkpoint.
 * With several instances of a service, each runner (the relay included), the repair of half-written commits and the
 * signing of audit checkpoints run on the one instance that holds its lease in Redis; the inbox consumer runs on
 * all (Kafka shares the partitions among them).
 */
@Injectable()
export class EventSourcingRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventSourcing');
  private readonly runners = new Map<string, { runner: ProjectionRunner; source: 'events' | 'inbox'; servesQueries: boolean }>();
  private relay?: { runner: ProjectionRunner; producer: Producer; sealer: TransportSealer };
  private consumer?: KafkaInboxConsumer;
  private transportKeys?: TransportKeyReader;
  private repairTimer?: NodeJS.Timeout;
  private stopped = false;
  private auditTimer?: NodeJS.Timeout;
  private readonly checkpoints: CheckpointStore;
  readonly deadLetters: MongoDeadLetters;
  /** this process among the service's instances, in its leases' values */
  readonly instance = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly leases = new Map<string, RedisLease>();
  private readonly acquisitions = new Map<string, number>();

  constructor(
    @Inject(RUNTIME_OPTIONS) private readonly options: ServiceRuntimeOptions,
    @Inject(EVENT_STORE) private readonly events: MongoEventStore,
    @Inject(INBOX_STORE) private readonly inbox: MongoEventStore,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(AUDIT_KEYS) private readonly auditKeys: AuditKeyRing,
    @InjectConnection() private readonly connection: Connection,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(DATA_KEYS) private readonly dataKeys: DataKeys,
    private readonly moduleRef: ModuleRef,
  ) {
    this.checkpoints = new MongoCheckpointStore(connection);
    this.deadLetters = new MongoDeadLetters(connection);
  }

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all([this.events.init(), this.inbox.init()]);
    // Finish appends whose writer died half-way: now, then again after a pause of REPAIR_PAUSE_FACTOR times as long
    // as the run took (at least a minute). A run scans the commits, so its cost grows with the store: a fixed period
    // would let runs overlap and pile up on a large store under load.
    const repair = async () => {
      clearTimeout(this.repairTimer);
      const started = Date.now();
      if (this.leases.get(REPAIR_LEASE)?.held) await Promise.all([this.events.repairUnpositioned(), this.inbox.repairUnpositioned()])
        .then(([own, received]) => own + received > 0 && this.logger.warn(`gave ${own + received} half-written commits their position`))
        .catch((error) => this.logger.error(`repairing half-written commits failed: ${(error as Error).message}`));
      if (this.stopped) return;
      this.repairTimer = setTimeout(() => void repair(), Math.max(MIN_REPAIR_PAUSE_MS, REPAIR_PAUSE_FACTOR * (Date.now() - started)));
      this.repairTimer.unref();
    };
    this.lease(REPAIR_LEASE, () => void repair(), () => undefined);
    void repair();
    await this.deadLetters.listEarlierLetters().then((n) => n > 0 && this.logger.log(`listed ${n} dead letters parked before lists existed`));
    const { config } = this.options;
    this.startSigningCheckpoints();
    const runnerOptions = { deadLetters: this.deadLetters, logger: kernelLogger(this.logger), pollIntervalMs: config.projectionPollMs, checkpointEveryMs: config.projectionCheckpointMs, leased: true };

    for (const registration of this.options.projections ?? []) {
      const projection = this.moduleRef.get(registration.use, { strict: false });
      const store = registration.source === 'events' ? this.events : this.inbox;
      this.runners.set(projection.name, {
        runner: this.leasedRunner(new ProjectionRunner(store, this.checkpoints, projection, { ...runnerOptions, onFencedOut: () => this.leases.get(projection.name)?.drop('fenced out') })),
        source: registration.source,
        servesQueries: registration.servesQueries ?? true,
      });
    }

    if (this.options.publication !== 'none') {
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
      // the personal fields of what is published travel sealed under the subject's transport key (README, "Erasure")
      const context = config.service as Context;
      const sealer = new TransportSealer(publicCatalog(), this.dataKeys, producer, context, transportKeysTopic(config.namespace, context), this.transportMasterKey());
      // by default what the public contract declares (records of audit exports and disclosures, and operations on dead letters, not in it, stay in the store that answered them)
      const relay = new OutboxRelay(producer, config.namespace, this.options.publication ?? publishByContract(publicCatalog()), (events) => sealer.seal(events));
      const runner = new ProjectionRunner(this.events, this.checkpoints, relay, { ...runnerOptions, onFencedOut: () => this.leases.get(relay.name)?.drop('fenced out') });
      this.relay = { producer, runner, sealer };
      void this.startInBackground('outbox relay', async () => {
        await sealer.ensureTopic(this.kafka);
        await producer.connect();
        this.leasedRunner(runner);
      });
    }

    if (this.options.consumes) {
      const { contexts } = this.options.consumes;
      // its own group per process, never committed: every instance reads every key from the beginning
      const transportKeys = new TransportKeyReader(this.kafka, contexts.map((c) => ({ events: eventsTopic(config.namespace, c), keys: transportKeysTopic(config.namespace, c) })), this.transportMasterKey(),
        `${config.namespace}.${config.service}.transport-keys.${randomUUID()}`);
      this.transportKeys = transportKeys;
      this.consumer = new KafkaInboxConsumer(this.kafka, {
        transportKeys,
        consumerName: config.service,
        topicPrefix: config.namespace,
        topics: contexts.map((c) => eventsTopic(config.namespace, c)),
        catalog: this.options.catalog,
        inbox: this.inbox,
        // every service hears of an erasure (README, "Erasure"), whatever else it takes from identity
        accepts: (type) => type === IdentityEvents.SubjectErased.type || (this.options.consumes?.accepts?.(type) ?? true),
        logger: kernelLogger(this.logger),
        deadLetters: this.deadLetters,
      });
      void this.startInBackground('inbox consumer', async () => {
        await transportKeys.start();
        await this.consumer!.start();
      });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.repairTimer);
    clearInterval(this.auditTimer);
    await this.consumer?.stop().catch(() => undefined);
    await this.transportKeys?.stop();
    await Promise.all([...this.runners.values()].map(({ runner }) => runner.stop()));
    if (this.relay) {
      await this.relay.runner.stop();
      await this.relay.producer.disconnect().catch(() => undefined);
    }
    // released after the runners saved their checkpoints under them: a follower takes over at its next try
    await Promise.all([...this.leases.values()].map((lease) => lease.stop()));
  }

  /** Ends the person's transport key of this service for every consumer (a tombstone on its key topic); none without a relay. */
  async tombstoneTransportKey(subject: string): Promise<void> {
    await this.relay?.sealer.tombstone(subject);
  }

  private transportMasterKey(): Buffer {
    const { transportMasterKey, transportMasterKeyFile } = this.options.config.personalData;
    return readMasterKey(transportMasterKey, transportMasterKeyFile);
  }

  /** Runs the runner only while this instance holds its lease, under the lease's fencing token. */
  private leasedRunner(runner: ProjectionRunner): ProjectionRunner {
    this.lease(runner.name, (fence) => runner.start(fence), () => void runner.stop());
    return runner;
  }

  private lease(name: string, acquired: (fence: number) => void, lost: () => void): void {
    const { namespace, service, lease: timings } = this.options.config;
    const lease = new RedisLease(this.redis, `${namespace}:${service}:lease:${name}`, this.instance, timings, {
      acquired: (fence) => {
        this.acquisitions.set(name, (this.acquisitions.get(name) ?? 0) + 1);
        this.logger.log(`holds the lease of ${name} (fence ${fence})`);
        acquired(fence);
      },
      lost: (reason) => {
        this.logger.warn(`lost the lease of ${name}: ${reason}; stopped it and tries again`);
        lost();
      },
    });
    this.leases.set(name, lease);
    if (!this.stopped) lease.start();
  }

  /** Per lease: whether this instance holds it, and how often it took it since it started (metrics). */
  leaseHolders(): { name: string; held: boolean; acquisitions: number }[] {
    return [...this.leases.entries()].map(([name, lease]) => ({ name, held: lease.held, acquisitions: this.acquisitions.get(name) ?? 0 }));
  }

  /** Whether this instance holds the lease of the named runner (or other once-per-service work). */
  holds(name: string): boolean {
    return this.leases.get(name)?.held ?? false;
  }

  /** Signs a checkpoint of each store when one is due (docs/tamper-evidence.md); a lost race or an error waits for the next turn. */
  private startSigningCheckpoints(): void {
    const { everyPositions, everyMs } = this.options.config.audit;
    const writers = ([[this.events, 'events'], [this.inbox, 'inbox']] as const).map(([store, collection]) =>
      ({ store, writer: new AuditCheckpointWriter(this.connection, { collection, store, keys: this.auditKeys, everyPositions, everyMs }) }));
    let signing = false;
    const sign = async () => {
      if (signing || !this.leases.get(AUDIT_LEASE)?.held) return;
      signing = true;
      try {
        for (const { store, writer } of writers) await writer.signDue(await store.headPosition());
      } catch (error) {
        this.logger.error(`signing an audit checkpoint failed: ${(error as Error).message}`);
      } finally {
        signing = false;
      }
    };
    this.lease(AUDIT_LEASE, () => void sign(), () => undefined);
    this.auditTimer = setInterval(() => void sign(), Math.min(everyMs, 10_000));
  }

  projectionNames(): string[] {
    return [...this.runners.keys()];
  }

  async status(): Promise<ProjectionStatus[]> {
    const all = [...this.runners.entries()].map(([name, { runner, source }]) => ({ name, runner, source }));
    if (this.relay) all.push({ name: this.relay.runner.name, runner: this.relay.runner, source: 'events' });
    return Promise.all(all.map(async ({ name, runner, source }) => ({
      name, source, position: await runner.position(), head: await this.storeOf(source).headPosition(),
    })));
  }

  /**
   * The lags as this process knows them, without a database read (metrics at scrape time): each store's head as last
   * seen (idle readers watch it) minus each reader's position in memory; a reader yet to load its checkpoint is left out.
   */
  knownLags(): KnownLags {
    // only the holder knows a runner's position without a read: the others report nothing for it
    const lag = (runner: ProjectionRunner, source: 'events' | 'inbox') => {
      const position = runner.isRunning ? runner.knownPosition : undefined;
      return position === undefined ? undefined : Math.max(0, (source === 'events' ? this.events : this.inbox).knownHeadPosition - position);
    };
    const projections = [...this.runners.entries()].flatMap(([name, { runner, source }]) => {
      const behind = lag(runner, source);
      return behind === undefined ? [] : [{ name, source, lag: behind }];
    });
    const relayLag = this.relay && lag(this.relay.runner, 'events');
    return {
      relay: relayLag === undefined ? undefined : { name: this.relay!.runner.name, lag: relayLag },
      projections,
      consumer: this.consumer?.partitionLags() ?? [],
    };
  }

  /** Dead letters per projection (the relay included) and per dead-letter topic of the inbox consumer: counts and the latest few. */
  async deadLetterCounts(latest = 5): Promise<DeadLetterCount[]> {
    return Promise.all(this.deadLetterPlaces().map(({ kind, name }) => this.deadLetters.countOf(kind, name, latest)));
  }

  /** Where this service parks dead letters: each projection (the relay included), and the inbox consumer's dead-letter topic. */
  deadLetterPlaces(): { kind: DeadLetterKind; name: string }[] {
    const projections = [...this.runners.keys(), ...(this.relay ? [this.relay.runner.name] : [])];
    return [
      ...projections.map((name) => ({ kind: 'projection' as const, name })),
      ...(this.consumer ? [{ kind: 'consumer' as const, name: this.consumer.deadLetterTopic }] : []),
    ];
  }

  /** Runs a dead letter again: a parked event through its projection, a refused message through validation into the inbox. */
  async replayDeadLetter(letter: DeadLetterRecord): Promise<{ applied: true } | { reason: string }> {
    if (letter.kind === 'projection') {
      const runner = letter.name === this.relay?.runner.name ? this.relay.runner : this.runners.get(letter.name)?.runner;
      if (!runner) return { reason: `this service has no projection named ${letter.name} any more` };
      if (!letter.event) return { reason: 'the parked event was not kept' };
      // applied only under the projection's lease (and fence), never beside its holder's writes
      if (!runner.isRunning) throw new ServiceUnavailableException(`this instance does not run ${letter.name} now (another holds its lease): try again`);
      return runner.replay(letter.event);
    }
    if (!this.consumer || letter.name !== this.consumer.deadLetterTopic) return { reason: `this service does not consume for ${letter.name} any more` };
    if (!letter.message) return { reason: 'the message was noted before messages were kept: replay it from the dead-letter topic' };
    const replayed = await this.consumer.replay(letter.message);
    return 'reason' in replayed ? replayed : { applied: true };
  }

  /** A read model rebuilds blue/green; a reaction (no generations: its effects are beyond its collections) never does. */
  isRebuildable(name: string): boolean {
    return !!this.runner(name).projection.generations;
  }

  /** Whether the read model may hold personal text, so that an erasure rebuilds it (unless it says it holds none). */
  keepsPersonalText(name: string): boolean {
    return this.runner(name).projection.keepsPersonalText !== false;
  }

  /** `erasure`: the rebuild follows an erasure, so the generation it replaces is dropped at once, not kept for readers. */
  async rebuild(name: string, onProgress: (progress: RebuildProgress) => Promise<void>, erasure = false): Promise<RebuildProgress> {
    const runner = this.runner(name);
    if (!runner.isRunning) throw new NotLeaseHolderError(`${name} runs on the holder of its lease, not here`);
    const progress = await runner.rebuild(onProgress);
    if (erasure) await runner.projection.generations?.dropPrevious?.();
    return progress;
  }

  /** This process has just appended to its own store: its readers (projections, relay) start on it now, not at their next poll. */
  appended(): void {
    for (const { runner, source } of this.runners.values()) if (source === 'events') runner.wake();
    this.relay?.runner.wake();
  }

  /**
   * Read-your-writes: true once every projection of the own store that serves queries has applied `position` (a
   * position of the own store, as `X-Written-Position` gave it), false if not within `timeoutMs`. A position beyond
   * the store's head was never written here (another namespace, a reset database): there is nothing more to wait for
   * than the head. Inbox projections are not waited for: their positions are another store's (see README).
   */
  async readAfter(position: number, timeoutMs: number): Promise<boolean> {
    const runners = [...this.runners.values()].filter((r) => r.source === 'events' && r.servesQueries).map((r) => r.runner);
    const positions = await Promise.all(runners.map((r) => r.position()));
    if (positions.every((p) => p >= position)) return true;
    const target = Math.min(position, await this.events.headPosition());
    const results = await Promise.all(runners.map((r) => r.waitForPosition(target, timeoutMs)));
    return results.every(Boolean);
  }

  /** Waits until the named projection (or all, and the relay) has applied everything stored so far. */
  async waitUntilCaughtUp(name?: string, timeoutMs = 15_000): Promise<void> {
    const runners = name ? [this.runner(name)] : [...[...this.runners.values()].map((r) => r.runner), ...(this.relay ? [this.relay.runner] : [])];
    await Promise.all(runners.map((r) => r.waitUntilCaughtUp(timeoutMs)));
  }

  private runner(name: string): ProjectionRunner {
    const found = this.runners.get(name)?.runner;
    if (!found) throw new NotFoundException(`no projection named ${name}; known: ${this.projectionNames().join(', ')}`);
    return found;
  }

  private storeOf(source: 'events' | 'inbox'): EventStore {
    return source === 'events' ? this.events : this.inbox;
  }

  private async startInBackground(what: string, start: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await start();
        this.logger.log(`${what} started`);
        return;
      } catch (error) {
        this.logger.error(`${what} failed to start (attempt ${attempt}): ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 500 * attempt)));
      }
    }
  }
}

function kernelLogger(logger: Logger) {
  return {
    info: (obj: object, msg?: string) => logger.log({ ...obj, msg }),
    warn: (obj: object, msg?: string) => logger.warn({ ...obj, msg }),
    error: (obj: object, msg?: string) => logger.error({ ...obj, msg }),
  };
}
