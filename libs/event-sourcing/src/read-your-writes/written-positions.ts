import { AsyncLocalStorage } from 'node:async_hooks';

/** The highest global position the current unit of work (an HTTP request) appended to its service's own store. */
export interface WrittenPosition {
  position?: number;
}

const current = new AsyncLocalStorage<WrittenPosition>();

/**
 * Runs `work` so that what it appends to the own store, in it and in its async continuations, is recorded in `written`:
 * the edge tells the client where its writes landed (read-your-writes) without every handler passing it back.
 */
export function recordWritesIn<T>(written: WrittenPosition, work: () => T): T {
  return current.run(written, work);
}

/** Called by the write path after an append to the own store; outside a tracked unit of work it does nothing. */
export function recordWrittenPosition(position: number): void {
  const written = current.getStore();
  if (written && position > (written.position ?? 0)) written.position = position;
}
