import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { refreshAfterCommand } from './invalidate';

describe('refreshAfterCommand', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('refetches the named queries once: the reads wait for the write on the server (X-Read-After)', async () => {
    const client = new QueryClient();
    const invalidate = vi.spyOn(client, 'invalidateQueries').mockResolvedValue();
    await refreshAfterCommand(client, [['roster'], ['relationships']]);
    await vi.runAllTimersAsync();
    expect(invalidate.mock.calls.map(([filters]) => filters?.queryKey)).toEqual([['roster'], ['relationships']]);
  });

  it("refetches again later only when asked, for another service's read model fed through Kafka", async () => {
    const client = new QueryClient();
    const invalidate = vi.spyOn(client, 'invalidateQueries').mockResolvedValue();
    await refreshAfterCommand(client, [['coachees']], [0, 2000]);
    expect(invalidate).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(invalidate.mock.calls.map(([filters]) => filters?.queryKey)).toEqual([['coachees'], ['coachees']]);
  });
});
