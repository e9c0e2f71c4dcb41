import { KernelLogger, silentLogger } from '../logging/logger';
import { PositionWaiters } from '../read-your-writes/position-waiters';
import { EventStore, StoredEvent } from '../store/event-store';
import { CheckpointStore, FencedOutError } from './checkpoint-store';
import { DeadLetters } from './dead-letters';
import { PoisonEventError, Projection, RebuildRefusedError } from './projection';
import { inBatchSpans } from '../tracing/trace-context';

export interface ProjectionRunnerOptions {
  deadLetters: DeadLetters;
  logger?: KernelLogger;
  batchSize?: number;
  pollIntervalMs?: number;
  retryDelayMs?: number;
  /**
   * The checkpoint is saved at most this often (and when the runner stops or a rebuild ends): a crash then applies
   * the batches since again, which every projection takes without change (idempotent). 0 saves after every batch.
   */
  checkpointEveryMs?: number;
  /**
   * true: the runner runs only under a lease (started with its fencing token); while stopped it follows the holder,
   * reading the checkpoint for positions and never applying itself
   */
  leased?: boolean;
  /** a fenced write was refused: a newer holder runs this projection; the runner has stopped */
  onFencedOut?: (error: FencedOutError) => void;
}

/** Commits done / total (an inbox holds one event per commit), events applied, and the rates so far. */
export interface RebuildProgress {
  done: number;
  total: number;
  events: number;
  commitsPerSecond: number;
  eventsPerSecond: number;
  /** the live read model kept answering until the rebuilt one took over (every rebuild now) */
  blueGreen: true;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** the longest idle wait on a store that tells its readers of new commits (waitForNew); a safety net only */
const IDLE_WAIT_MS = 5_000;

/** An idle wait that `wake` (or `until`) cuts short; a wake while not asleep cuts the next wait (no wake-up is lost). */
class Nap {
  private wakeUp?: () => void;
  private woken = false;
  sleep(ms: number, until?: Promise<void>): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const wakeUp = () => {
        clearTimeout(timer);
        if (this.wakeUp === wakeUp) this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(wakeUp, ms);
      this.wakeUp = wakeUp;
      void until?.then(wakeUp);
    });
  }
  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.woken = true;
  }
}

/**
 * Drives one projection through a store: read a batch after the checkpoint, apply it, save the checkpoint.
 * Polls when idle (no change streams: FerretDB has none). One runner per projection and process.
 */
export class ProjectionRunner {
  private readonly logger: KernelLogger;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly retryDelayMs: number;
  private readonly checkpointEveryMs: number;
  private checkpoint: number | undefined;
  /** applied, but not saved as the checkpoint yet */
  private unsaved: number | undefined;
  private savedAt = 0;
  private loop: Promise<void> | undefined;
  private running = false;
  /** started and not stopped from outside (a rebuild pauses the loop without changing it) */
  private wanted = false;
  private exclusive: Promise<unknown> = Promise.resolve();
  private lastBatchEvents = 0;
  private readonly waiters = new PositionWaiters();
  /** during a blue/green rebuild: where the generation that answers queries stopped */
  private liveUntil: number | undefined;
  private readonly nap = new Nap();
  /** the fencing token of the lease this runner runs under; every checkpoint and read-model write checks it */
  private fence: number | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
    readonly projection: Projection,
    private readonly options: ProjectionRunnerOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.retryDelayMs = options.retryDelayMs ?? 1_000;
    this.checkpointEveryMs = options.checkpointEveryMs ?? 0;
  }

  get name(): string {
    return this.projection.name;
  }

  /** Starts the loop; under a lease with its fencing token, from the checkpoint as stored (another holder may have moved it). */
  start(fence = this.fence): void {
    this.wanted = true;
    if (this.running) return;
    this.running = true;
    if (fence !== this.fence) {
      this.fence = fence;
      this.checkpoint = undefined;
      this.unsaved = undefined;
    }
    const previous = this.loop ?? Promise.resolve();
    this.loop = previous.then(() => this.runLoop());
  }

  async stop(): Promise<void> {
    this.wanted = false;
    await this.pause();
  }

  private async pause(): Promise<void> {
    this.running = false;
    this.nap.wake();
    await this.loop;
    this.loop = undefined;
    await this.serialize(() => this.saveCheckpoint()).catch((error) => {
      if (!(error instanceof FencedOutError)) throw error;
      this.logger.warn({ projection: this.name, reason: error.message }, 'checkpoint not saved at stop: a newer lease holder runs this projection');
    });
  }

  /** Whether the loop runs here (under a lease: this instance holds it). */
  get isRunning(): boolean {
    return this.running;
  }

  /** Processes at most one batch; returns how many commits it moved past. */
  runOnce(): Promise<number> {
    return this.serialize(() => this.processBatch());
  }

  /**
   * Applies an event this projection parked once more (an operator's replay after a fix), between its batches; the
   * reason when it is still poison. Projections are idempotent, so an event applied late or twice changes nothing more.
   */
  replay(event: StoredEvent): Promise<{ applied: true } | { reason: string }> {
    return this.serialize(async () => {
      try {
        await this.projection.apply([event], { fence: this.fence });
        return { applied: true as const };
      } catch (error) {
        if (error instanceof PoisonEventError) return { reason: error.message };
        throw error;
      }
    });
  }

  /** How far the read model is: the checkpoint, or beyond it what was applied since it was last saved. */
  async position(): Promise<number> {
    if (this.following) return this.checkpoints.load(await this.checkpointName());
    if (this.unsaved !== undefined) return this.unsaved;
    this.checkpoint ??= await this.checkpoints.load(await this.checkpointName());
    return this.checkpoint;
  }

  /** The position applied so far as far as this process knows, without asking the database (metrics); undefined before the first load. */
  get knownPosition(): number | undefined {
    return this.unsaved ?? this.checkpoint;
  }

  /** Looks for new commits now instead of at the end of its idle wait (this process has just appended). */
  wake(): void {
    this.nap.wake();
  }

  /**
   * Read-your-writes: resolves true once this projection has applied the commit at `target` (and all before it), false
   * if that has not happened within `timeoutMs`. Told by the runner itself after each applied batch, so no polling of
   * the checkpoint; an idle runner is woken to look for new commits at once (a stopped one applies nothing).
   */
  async waitForPosition(target: number, timeoutMs: number): Promise<boolean> {
    // the replay's progress is not what queries read: the live generation moves again only after the switch
    if (this.liveUntil !== undefined) return this.liveUntil >= target;
    if ((await this.position()) >= target) return true;
    if (this.following) return this.followUntil(target, Date.now() + timeoutMs);
    this.nap.wake();
    return this.waiters.wait(target, timeoutMs);
  }

  /** A follower waits for the holder's progress: its checkpoint read by `_id`, each poll interval. */
  private async followUntil(target: number, deadline: number): Promise<boolean> {
    while (Date.now() < deadline) {
      await sleep(this.pollIntervalMs);
      if ((await this.position()) >= target) return true;
    }
    return false;
  }

  /** leased and not running here: another instance holds the lease (or none does yet) */
  private get following(): boolean {
    return !!this.options.leased && !this.running && this.liveUntil === undefined;
  }

  /** Resolves once everything committed before the call has been applied (for tests and rebuilds). */
  async waitUntilCaughtUp(timeoutMs = 15_000): Promise<void> {
    const target = await this.store.headPosition();
    const deadline = Date.now() + timeoutMs;
    while ((await this.position()) < target) {
      if (Date.now() > deadline) {
        throw new Error(`projection ${this.name} at ${await this.position()} did not reach ${target} in ${timeoutMs} ms`);
      }
      if (!this.running && !this.options.leased) await this.runOnce();
      else await sleep(this.pollIntervalMs);
    }
  }

  /**
   * Replays the whole store into a fresh generation of the read model, reporting progress, while the live generation
   * keeps answering queries (live processing pauses meanwhile); the switch happens once the replay has caught up
   * with the store. The replay has its own checkpoint: the live one never moves back. If the replay fails (or the
   * process dies), the fresh generation is dropped and the live one continues from its own checkpoint.
   * A projection without generations (a reaction) is refused: RebuildRefusedError.
   */
  async rebuild(onProgress: (progress: RebuildProgress) => Promise<void> | void = () => undefined): Promise<RebuildProgress> {
    const generations = this.projection.generations;
    if (!generations) throw new RebuildRefusedError(this.name);
    const wasRunning = this.running;
    await this.pause();
    const previous = await this.position();
    this.liveUntil = previous;
    try {
      await generations.begin();
      // the fresh generation's checkpoint, not saved yet: it starts at 0
      this.checkpoint = 0;
      this.unsaved = undefined;
      const total = await this.store.countCommitsAfter(0);
      const started = Date.now();
      let done = 0;
      let events = 0;
      const progress = (): RebuildProgress => {
        const seconds = Math.max(1, Date.now() - started) / 1000;
        return { done, total, events, commitsPerSecond: Math.round(done / seconds), eventsPerSecond: Math.round(events / seconds), blueGreen: true };
      };
      for (let moved = await this.runOnce(); moved > 0; moved = await this.runOnce()) {
        done = Math.min(total, done + moved);
        events += this.lastBatchEvents;
        await onProgress(progress());
      }
      // the fresh generation's checkpoint first: the switch then names a checkpoint that is there
      await this.serialize(() => this.saveCheckpoint());
      await generations.complete();
      return progress();
    } catch (error) {
      await generations.abandon();
      this.checkpoint = previous;
      this.unsaved = undefined;
      throw error;
    } finally {
      this.liveUntil = undefined;
      // not if stopped meanwhile (its lease lost): the next holder runs it
      if (wasRunning && this.wanted) this.start();
    }
  }

  /** Where the checkpoint of the generation being written is kept (a read model has one per generation). */
  private checkpointName(): Promise<string> {
    return this.projection.generations?.checkpointName() ?? Promise.resolve(this.name);
  }

  private async runLoop(): Promise<void> {
    let claimed = this.fence === undefined;
    let held = false;
    try {
      while (this.running) {
        try {
          if (!claimed) claimed = await this.serialize(() => this.claim());
          if (claimed && !held) {
            // from its fence on, only this runner writes the read model and switches its generations
            await this.projection.generations?.hold?.();
            held = true;
          }
          const moved = await this.runOnce();
          if (moved > 0 || !this.running) continue;
          // while someone waits for a position, look again soon (the commit may be placed but not yet readable)
          if (this.waiters.size === 0) await this.idle();
          else await sleep(Math.min(10, this.pollIntervalMs));
        } catch (error) {
          if (error instanceof FencedOutError) {
            this.running = false;
            this.wanted = false;
            this.unsaved = undefined;
            this.logger.warn({ projection: this.name, fence: this.fence, reason: error.message }, 'lease lost: a newer holder wrote; stopped');
            this.options.onFencedOut?.(error);
            return;
          }
          this.logger.error({ err: error, projection: this.name }, 'projection batch failed; retrying');
          await sleep(this.retryDelayMs);
        }
      }
    } finally {
      if (held) this.projection.generations?.release?.();
    }
  }

  /**
   * Waits for new commits: told by the store when it can tell (one poll of the head for all its idle readers, and at
   * once for what this process placed), else polling every pollIntervalMs. A checkpoint still to save bounds the wait.
   */
  private async idle(): Promise<void> {
    if (!this.store.waitForNew) return this.nap.sleep(this.pollIntervalMs);
    const ms = this.unsaved !== undefined ? Math.max(this.pollIntervalMs, this.checkpointEveryMs) : IDLE_WAIT_MS;
    await this.nap.sleep(ms, this.store.waitForNew(await this.position(), ms));
  }

  /** Writes this holder's fence into the checkpoint before anything else, so that a paused former holder is refused from now on. */
  private async claim(): Promise<true> {
    const name = await this.checkpointName();
    this.checkpoint = await this.checkpoints.load(name);
    await this.checkpoints.save(name, this.checkpoint, this.fence);
    return true;
  }

  private async processBatch(): Promise<number> {
    const after = await this.position();
    const commits = await this.store.readCommitsAfter(after, this.batchSize);
    if (commits.length === 0) {
      // caught up: saved now, or at the first idle poll once checkpointEveryMs has passed
      if (Date.now() - this.savedAt >= this.checkpointEveryMs) await this.saveCheckpoint();
      return 0;
    }
    const events = commits.flatMap((c) => c.events);
    this.lastBatchEvents = events.length;
    if (events.length > 0) {
      const apply = async () => {
        try {
          await this.projection.apply(events, { fence: this.fence });
        } catch (error) {
          if (!(error instanceof PoisonEventError)) throw error;
          await this.applyOneByOne(events);
        }
      };
      if (this.projection.tracesItself) await apply();
      else await inBatchSpans(`project ${this.name}`, commits.map((c) => c.traceparent), apply, { 'cbme.batch.events': events.length });
    }
    const last = commits[commits.length - 1].position;
    // the read model shows the batch now: a reader waiting for it need not wait for the checkpoint's write too
    this.unsaved = last;
    this.waiters.advance(last);
    if (Date.now() - this.savedAt >= this.checkpointEveryMs) await this.saveCheckpoint();
    return commits.length;
  }

  private async saveCheckpoint(): Promise<void> {
    const position = this.unsaved;
    if (position === undefined) return;
    await this.checkpoints.save(await this.checkpointName(), position, this.fence);
    this.checkpoint = position;
    this.unsaved = undefined;
    this.savedAt = Date.now();
  }

  /** Isolates the poison event(s) of a failed batch: park them, apply the rest. */
  private async applyOneByOne(events: StoredEvent[]): Promise<void> {
    for (const event of events) {
      try {
        await this.projection.apply([event], { fence: this.fence });
      } catch (error) {
        if (!(error instanceof PoisonEventError)) throw error;
        this.logger.warn({ projection: this.name, eventId: event.eventId, type: event.type, correlationId: event.correlationId, reason: error.message }, 'parked poison event');
        await this.options.deadLetters.park(this.name, event, error.message);
      }
    }
  }

  private serialize<T>(work: () => Promise<T>): Promise<T> {
    const next = this.exclusive.then(work, work);
    this.exclusive = next.catch(() => undefined);
    return next;
  }
}
