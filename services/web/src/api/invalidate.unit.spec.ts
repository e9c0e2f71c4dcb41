import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { refreshAfterCommand } from './invalidate';

describe('refreshAfterCommand', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('refetches the named queries at once and again as the read models catch up', async () => {
    const client = new QueryClient();
    const invalidate = vi.spyOn(client, 'invalidateQueries').mockResolvedValue();
    await refreshAfterCommand(client, [['roster'], ['relationships']], [0, 1000, 3000]);
    expect(invalidate).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(invalidate).toHaveBeenCalledTimes(4);
    await vi.advanceTimersByTimeAsync(2000);
    expect(invalidate).toHaveBeenCalledTimes(6);
    expect(invalidate.mock.calls.map(([filters]) => filters?.queryKey)).toEqual([['roster'], ['relationships'], ['roster'], ['relationships'], ['roster'], ['relationships']]);
  });
});
