import type Redis from 'ioredis';

/** How long a lease lasts unrenewed, how often its holder renews it, how often the others try to take it. */
export interface LeaseTimings {
  ttlMs: number;
  renewMs: number;
  retryMs: number;
}

export interface LeaseEvents {
  /** this instance holds the lease now, under a fencing token higher than every earlier holder's */
  acquired(fence: number): void;
  /** it holds it no more (renewal refused, or not renewed in time by its own clock): stop at once */
  lost(reason: string): void;
}

// Take the lease if free and draw its fencing token in the same step, so that each acquisition has one token.
const ACQUIRE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local fence = redis.call('INCR', KEYS[2])
  redis.call('SET', KEYS[1], ARGV[1] .. ':' .. fence, 'PX', ARGV[2])
  return fence
end
return false`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * A lease in Redis held by at most one instance at a time: `SET key <instance>:<fence> NX PX ttl`, renewed by a
 * check-and-PEXPIRE, released on stop. The holder gives it up by its own clock a margin before the TTL ends if it
 * could not renew, so it has stopped before another can take it; a holder paused past that (SIGSTOP, a long GC)
 * still writes only under its fencing token, which the stores refuse once a newer holder has written.
 */
export class RedisLease {
  private fenceHeld: number | undefined;
  private timer?: NodeJS.Timeout;
  private deadline?: NodeJS.Timeout;
  private stopped = true;

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly instance: string,
    private readonly timings: LeaseTimings,
    private readonly events: LeaseEvents,
  ) {}

  get fence(): number | undefined {
    return this.fenceHeld;
  }

  get held(): boolean {
    return this.fenceHeld !== undefined;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.tryToAcquire();
  }

  /** Stops trying and renewing; releases the lease if held, so a follower takes over at its next try. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.deadline);
    const fence = this.fenceHeld;
    if (fence === undefined) return;
    this.fenceHeld = undefined;
    await this.redis.eval(RELEASE, 1, this.key, this.value(fence)).catch(() => undefined);
  }

  private value(fence: number): string {
    return `${this.instance}:${fence}`;
  }

  private async tryToAcquire(): Promise<void> {
    if (this.stopped) return;
    const sentAt = Date.now();
    try {
      const fence = await this.redis.eval(ACQUIRE, 2, this.key, `${this.key}:fence`, this.instance, String(this.timings.ttlMs));
      if (this.stopped) {
        if (typeof fence === 'number') await this.redis.eval(RELEASE, 1, this.key, this.value(fence)).catch(() => undefined);
        return;
      }
      if (typeof fence === 'number') {
        this.fenceHeld = fence;
        this.holdUntil(sentAt);
        this.schedule(() => this.renew(), this.timings.renewMs);
        this.events.acquired(fence);
        return;
      }
    } catch {
      // Redis unreachable: try again at the next turn
    }
    this.schedule(() => this.tryToAcquire(), this.timings.retryMs);
  }

  private async renew(): Promise<void> {
    const fence = this.fenceHeld;
    if (this.stopped || fence === undefined) return;
    const sentAt = Date.now();
    let renewed: unknown;
    try {
      renewed = await this.redis.eval(RENEW, 1, this.key, this.value(fence), String(this.timings.ttlMs));
    } catch {
      // not renewed this time: the deadline decides
      if (this.fenceHeld === fence) this.schedule(() => this.renew(), this.timings.renewMs);
      return;
    }
    if (this.fenceHeld !== fence) return;
    if (renewed === 1) {
      this.holdUntil(sentAt);
      this.schedule(() => this.renew(), this.timings.renewMs);
    } else this.lose('renewal refused: the lease expired or another instance holds it');
  }

  /** Gives up the lease before its TTL, counted from when the last successful acquire or renew was sent, can end. */
  private holdUntil(sentAt: number): void {
    clearTimeout(this.deadline);
    const margin = Math.min(this.timings.renewMs, Math.ceil(this.timings.ttlMs / 5));
    this.deadline = setTimeout(() => this.lose('not renewed in time'), Math.max(0, sentAt + this.timings.ttlMs - margin - Date.now()));
    this.deadline.unref();
  }

  /** Gives the lease up (a fenced write was refused: a newer holder exists) and goes back to trying for it. */
  drop(reason: string): void {
    this.lose(reason);
  }

  private lose(reason: string): void {
    if (this.fenceHeld === undefined) return;
    this.fenceHeld = undefined;
    clearTimeout(this.deadline);
    this.events.lost(reason);
    this.schedule(() => this.tryToAcquire(), this.timings.retryMs);
  }

  private schedule(next: () => Promise<void>, ms: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => void next(), ms);
    this.timer.unref();
  }
}
