import { Commit, EventStore } from '../store/event-store';

/**
 * Reads commits in global order without skipping a commit that is still being written.
 * Positions are taken before the insert, so under concurrent appends position 7 may become
 * visible before 6. The reader stops at such a gap and only passes it once the gap has stayed
 * open longer than `gapTimeoutMs` (a writer that died after taking its position).
 * Conflicting appends fill their position with an empty marker, so they cause no wait.
 */
export class GapAwareReader {
  private readonly openGaps = new Map<number, number>();

  constructor(
    private readonly store: EventStore,
    private readonly gapTimeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Commits safely readable after `position`, contiguous except for gaps that timed out. */
  async readAfter(position: number, limit: number): Promise<Commit[]> {
    const commits = await this.store.readCommitsAfter(position, limit);
    const safe: Commit[] = [];
    let expected = position + 1;
    for (const commit of commits) {
      if (commit.position !== expected && !this.gapExpired(expected)) break;
      this.forgetGapsBefore(commit.position);
      safe.push(commit);
      expected = commit.position + 1;
    }
    return safe;
  }

  private gapExpired(position: number): boolean {
    const firstSeen = this.openGaps.get(position);
    if (firstSeen === undefined) {
      this.openGaps.set(position, this.now());
      return false;
    }
    return this.now() - firstSeen >= this.gapTimeoutMs;
  }

  private forgetGapsBefore(position: number): void {
    for (const gap of this.openGaps.keys()) if (gap < position) this.openGaps.delete(gap);
  }
}
