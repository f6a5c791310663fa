// The stage throttle: a token bucket, as API Gateway documents its throttling. `burstLimit`
// tokens at most, refilled at `rateLimit` tokens per second; a request takes one or gets a 429.
import type { StageThrottle } from '../types/config.js';

/** A token bucket that refills lazily on each take (no timers). */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    /** The limits this bucket enforces. */
    readonly settings: StageThrottle,
    now: number,
  ) {
    this.tokens = settings.burstLimit;
    this.last = now;
  }

  /** Takes one token at time `now` (ms); false when the bucket is empty. */
  take(now: number): boolean {
    const { rateLimit, burstLimit } = this.settings;
    if (now > this.last) {
      this.tokens = Math.min(burstLimit, this.tokens + ((now - this.last) / 1000) * rateLimit);
      this.last = now;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  /** Tokens left at the last take (for state views). */
  get available(): number {
    return this.tokens;
  }
}
