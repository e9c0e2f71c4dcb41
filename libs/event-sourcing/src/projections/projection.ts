import type { Generations } from '../read-models/read-model-generations';
import { StoredEvent } from '../store/event-store';

/**
 * A named reader of a store that keeps its own durable checkpoint: a read model, or the outbox relay.
 * `apply` must be idempotent: after a crash between applying and checkpointing, the batch comes again.
 */
export interface Projection {
  readonly name: string;
  apply(events: StoredEvent[]): Promise<void>;
  /** Clears what the projection wrote, before a rebuild from position 0. */
  reset?(): Promise<void>;
  /** Blue/green rebuilds: when present, a rebuild fills a fresh generation while the live one keeps serving, instead of `reset`. */
  readonly generations?: Generations;
  /** true: it starts its own spans (the relay); otherwise the runner traces each batch as `project <name>` */
  readonly tracesItself?: boolean;
}

/** Thrown by a projection for an event it can never apply; the runner parks it and moves on. Any other error is retried. */
export class PoisonEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PoisonEventError';
  }
}
