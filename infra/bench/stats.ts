/** Small statistics for the benchmarks: medians of repetitions with their spread, latency percentiles. */

export const median = (values: number[]) => percentile(values, 50);

/** Nearest-rank percentile (p in 0..100) of the values; NaN when there are none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export const summarize = (runs: number[]): Summary => ({ median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs });

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export const latencies = (values: number[]): LatencySummary => ({
  count: values.length, p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), max: values.length ? Math.max(...values) : Number.NaN,
});

/** Runs `once` after `warmups` unmeasured runs, `repetitions` times; each run returns its figure. */
export async function repeat(repetitions: number, once: (run: number) => Promise<number>, warmups = 1, log?: (line: string) => void): Promise<Summary> {
  for (let w = 0; w < warmups; w++) await once(-1 - w);
  const runs: number[] = [];
  for (let r = 0; r < repetitions; r++) {
    runs.push(await once(r));
    log?.(`  run ${r + 1}/${repetitions}: ${runs[r].toFixed(1)}`);
  }
  return summarize(runs);
}

/** Runs `work` for every item with at most `limit` in flight; resolves with the elapsed milliseconds. */
export async function timedPool<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index], index);
    }
  }));
  return performance.now() - started;
}

export const perSecond = (count: number, ms: number) => (count * 1000) / ms;
export const round = (value: number, digits = 1) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : value);
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
