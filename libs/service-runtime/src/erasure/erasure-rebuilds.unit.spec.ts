import { KEY_CACHE_MS } from '@cbme/event-sourcing';
import { ERASURE_WINDOW_MS, erasureRebuilds } from './subject-erasure.projection';

describe('the rebuilds an erasure queues', () => {
  const start = 1_800_000_000_000 - (1_800_000_000_000 % ERASURE_WINDOW_MS);

  it('are shared by the erasures of one window, and start after it ended and every cached key expired', () => {
    const first = erasureRebuilds(['learner-goals', 'meetings'], start + 1_000);
    const second = erasureRebuilds(['learner-goals', 'meetings'], start + ERASURE_WINDOW_MS - 1);
    expect(second.map((job) => job.jobId)).toEqual(first.map((job) => job.jobId));
    expect(new Set(first.map((job) => job.jobId)).size).toBe(2);
    for (const [now, jobs] of [[start + 1_000, first], [start + ERASURE_WINDOW_MS - 1, second]] as const) {
      for (const { delay } of jobs) expect(now + delay).toBe(start + ERASURE_WINDOW_MS + KEY_CACHE_MS + 1_000);
    }
  });

  it('are new for an erasure in the next window, even one at the instant the window ends', () => {
    const [inWindow] = erasureRebuilds(['learner-goals'], start + 5);
    const [atEnd] = erasureRebuilds(['learner-goals'], start + ERASURE_WINDOW_MS);
    expect(atEnd.jobId).not.toBe(inWindow.jobId);
    expect(atEnd.delay).toBe(ERASURE_WINDOW_MS + KEY_CACHE_MS + 1_000);
  });
});
