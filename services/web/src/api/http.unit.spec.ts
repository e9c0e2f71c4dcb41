import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, WrittenPositions, writtenPositions } from './http';

/** A fetch that answers JSON with the given headers, and keeps the requests it saw. */
function answering(...answers: Record<string, string>[]) {
  const requests: { url: string; headers: Record<string, string> }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    requests.push({ url, headers: init.headers as Record<string, string> });
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json', ...(answers.shift() ?? {}) } });
  });
  return requests;
}

describe('read-your-writes bookkeeping', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('keeps the highest position written per service and ignores what is not a position', () => {
    const positions = new WrittenPositions();
    expect(positions.readAfter('coaching')).toEqual({});
    positions.remember('coaching', '41');
    positions.remember('coaching', '7');
    positions.remember('coaching', 'NaN');
    positions.remember('coaching', null);
    positions.remember('feedback', '3');
    expect(positions.readAfter('coaching')).toEqual({ 'x-read-after': '41' });
    expect(positions.readAfter('feedback')).toEqual({ 'x-read-after': '3' });
    expect(positions.readAfter('identity')).toEqual({});
  });

  it("sends a command's position on later reads of the same service only, and never on commands", async () => {
    const requests = answering({ 'x-written-position': '12' });
    await call('coaching', '/relationships', { body: { learnerId: 'lea-1' } });
    await call('coaching', '/roster');
    await call('feedback', '/goals');
    await call('coaching', '/relationships', { body: { learnerId: 'lea-2' } });
    expect(requests.map((r) => [r.url, r.headers['x-read-after']])).toEqual([
      ['/api/coaching/relationships', undefined],
      ['/api/coaching/roster', '12'],
      ['/api/feedback/goals', undefined],
      ['/api/coaching/relationships', undefined],
    ]);
    expect(writtenPositions.readAfter('coaching')).toEqual({ 'x-read-after': '12' });
  });
});
