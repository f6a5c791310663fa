// Lambda's scaling rate: each function may add up to 1,000 execution environments every 10 seconds,
// refilled continuously and not banked beyond that (a token bucket of 1,000 refilled at 100/s).

/** New environments a function may add in one window, and the window. */
export const SCALING_BURST = 1000;
export const SCALING_WINDOW_MS = 10_000;

/** The scaling budget of one function. Time is passed in (ms), so both clocks can drive it. */
export class ScalingBudget {
  private tokens: number;
  private last: number;

  constructor(
    now: number,
    private readonly burst = SCALING_BURST,
    private readonly windowMs = SCALING_WINDOW_MS,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes the right to start one new environment at `now`; false when the function scales too fast. */
  take(now: number): boolean {
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.burst) / this.windowMs);
      this.last = now;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
}
