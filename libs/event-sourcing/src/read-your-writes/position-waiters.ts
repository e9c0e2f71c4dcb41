/**
 * Callers waiting for a reader's position to reach a target (read-your-writes): the reader calls `advance` after each
 * durable checkpoint; a wait ends with true once the position is reached, or false when its time is up.
 */
export class PositionWaiters {
  private readonly waiting = new Set<{ target: number; done: (reached: boolean) => void }>();

  get size(): number {
    return this.waiting.size;
  }

  /** Called by the reader with its new checkpoint. */
  advance(position: number): void {
    for (const waiter of [...this.waiting]) if (waiter.target <= position) waiter.done(true);
  }

  /** Waits for the next `advance` to `target` or beyond (the caller checked the current position first). */
  wait(target: number, timeoutMs: number): Promise<boolean> {
    if (timeoutMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter = {
        target,
        done: (reached: boolean) => {
          clearTimeout(timer);
          this.waiting.delete(waiter);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => waiter.done(false), timeoutMs);
      this.waiting.add(waiter);
    });
  }
}
