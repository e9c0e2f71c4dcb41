import type { Generations } from '../read-models/read-model-generations';
import { StoredEvent } from '../store/event-store';

/** What the runner tells a projection about the batch it applies. */
export interface ApplyContext {
  /** the fencing token of the lease under which the runner applies (leases helper): a read-modify-write of a
   *  read model document is conditional on it, so a paused leader that lost its lease cannot overwrite newer writes */
  fence?: number;
}

/**
 * A named reader of a store that keeps its own durable checkpoint: a read model, or the outbox relay.
 * `apply` must be idempotent: after a crash between applying and checkpointing, the batch comes again.
 */
export interface Projection {
  readonly name: string;
  apply(events: StoredEvent[], context?: ApplyContext): Promise<void>;
  /**
   * A read model's generations: a rebuild fills a fresh one while the live one keeps serving. Without them the
   * projection has effects beyond its own collections (a reaction, the relay) and is never rebuilt.
   */
  readonly generations?: Generations;
  /** true: it starts its own spans (the relay); otherwise the runner traces each batch as `project <name>` */
  readonly tracesItself?: boolean;
  /** false: its documents hold no personal text (ids, dates, counts), so an erasure need not rebuild it */
  readonly keepsPersonalText?: boolean;
}

/** A rebuild asked of a projection that is no read model: replaying it would repeat its effects (mails, commands, reminders). */
export class RebuildRefusedError extends Error {
  constructor(projection: string) {
    super(`${projection} is a reaction, not a read model: a rebuild would replay its effects (commands, mails, reminders) again, so it is never rebuilt`);
    this.name = 'RebuildRefusedError';
  }
}

/** Thrown by a projection for an event it can never apply; the runner parks it and moves on. Any other error is retried. */
export class PoisonEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PoisonEventError';
  }
}
