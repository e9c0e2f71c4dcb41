/**
 * Runs `start` once per key at a time: a caller asking for a key already under way gets the same promise, and the
 * key is free again once it settles (placements, position and key lookups that several readers ask for at once).
 */
export function sharedWhileRunning<K, T>(running: Map<K, Promise<T>>, key: K, start: () => Promise<T>): Promise<T> {
  const current = running.get(key);
  if (current) return current;
  const started = start().finally(() => running.delete(key));
  running.set(key, started);
  return started;
}
