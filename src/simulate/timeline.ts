// Levels over time in fixed bins: the time-weighted mean and the max of a level (instances,
// concurrency) per bin, and counts (requests, cold starts, throttles) per bin.

/** Number of bins of every timeline. */
export const TIMELINE_BINS = 240;

/** One level (a count of things alive) integrated over virtual time. */
export class Level {
  value = 0;
  max = 0;
  /** Integral of the level over time (level x ms). */
  area = 0;
  readonly binArea = new Float64Array(TIMELINE_BINS);
  readonly binMax = new Float64Array(TIMELINE_BINS);
  private last = 0;

  constructor(private readonly binMs: number) {}

  /** Moves the clock to `t`, integrating the current value. */
  advance(t: number): void {
    if (t <= this.last) return;
    const v = this.value;
    if (v !== 0) {
      this.area += v * (t - this.last);
      let from = this.last;
      let bin = Math.min(TIMELINE_BINS - 1, Math.floor(from / this.binMs));
      // Most changes fall in the bin of the previous one.
      if (bin === TIMELINE_BINS - 1 || t <= (bin + 1) * this.binMs) {
        this.binArea[bin]! += v * (t - from);
        if (v > this.binMax[bin]!) this.binMax[bin] = v;
        this.last = t;
        return;
      }
      while (from < t) {
        const to = bin >= TIMELINE_BINS - 1 ? t : Math.min(t, (bin + 1) * this.binMs);
        this.binArea[bin]! += v * (to - from);
        if (v > this.binMax[bin]!) this.binMax[bin] = v;
        from = to;
        bin++;
      }
    }
    this.last = t;
  }

  /** Changes the level at time `t` (integrating up to it first). */
  add(delta: number, t: number): void {
    this.advance(t);
    const v = (this.value += delta);
    if (delta > 0) {
      if (v > this.max) this.max = v;
      const bin = Math.min(TIMELINE_BINS - 1, Math.floor(t / this.binMs));
      if (v > this.binMax[bin]!) this.binMax[bin] = v;
    }
  }

  /** Time-weighted mean over [0, end]. */
  mean(end: number): number {
    return end > 0 ? this.area / end : 0;
  }

  /** Per-bin means. */
  binMeans(): number[] {
    return Array.from(this.binArea, (a) => a / this.binMs);
  }
}

/** Events counted per bin. */
export class Counter {
  total = 0;
  readonly bins = new Float64Array(TIMELINE_BINS);
  constructor(private readonly binMs: number) {}
  /** Counts one event at time t. */
  hit(t: number): void {
    this.total++;
    this.bins[Math.min(TIMELINE_BINS - 1, Math.floor(t / this.binMs))]!++;
  }
}
