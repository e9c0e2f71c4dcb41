import { Commit, EventStore } from '../store/event-store';
import { GapAwareReader } from './gap-aware-reader';

const commitsAt = (...positions: number[]): Commit[] => positions.map((position) => ({ position, streamId: 's', events: [] }));

function storeWith(commits: Commit[]): EventStore {
  return { readCommitsAfter: async (after: number) => commits.filter((c) => c.position > after) } as unknown as EventStore;
}

describe('GapAwareReader', () => {
  it('reads contiguous commits', async () => {
    const reader = new GapAwareReader(storeWith(commitsAt(1, 2, 3)), 1000);
    expect((await reader.readAfter(0, 10)).map((c) => c.position)).toEqual([1, 2, 3]);
  });

  it('stops before a gap that may still be filled by a slow writer', async () => {
    const reader = new GapAwareReader(storeWith(commitsAt(1, 2, 4, 5)), 1000, () => 0);
    expect((await reader.readAfter(0, 10)).map((c) => c.position)).toEqual([1, 2]);
    expect(await reader.readAfter(2, 10)).toEqual([]);
  });

  it('passes a gap once it has stayed open longer than the timeout', async () => {
    let now = 0;
    const reader = new GapAwareReader(storeWith(commitsAt(1, 3)), 1000, () => now);
    expect((await reader.readAfter(0, 10)).map((c) => c.position)).toEqual([1]);
    now = 999;
    expect(await reader.readAfter(1, 10)).toEqual([]);
    now = 1000;
    expect((await reader.readAfter(1, 10)).map((c) => c.position)).toEqual([3]);
  });

  it('reads a gap that got filled in the meantime', async () => {
    const commits = commitsAt(1, 3);
    const reader = new GapAwareReader(storeWith(commits), 1000, () => 0);
    expect((await reader.readAfter(0, 10)).map((c) => c.position)).toEqual([1]);
    commits.splice(1, 0, ...commitsAt(2));
    expect((await reader.readAfter(1, 10)).map((c) => c.position)).toEqual([2, 3]);
  });
});
