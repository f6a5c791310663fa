// A fixed-size window of recent samples with exact percentiles over it. Memory stays bounded
// however long the emulator runs; percentiles describe the most recent `capacity` samples.

/** Ring buffer of numbers with nearest-rank percentiles. */
export class SampleWindow {
  private readonly samples: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(readonly capacity: number) {
    this.samples = new Float64Array(capacity);
  }

  /** Records one sample, evicting the oldest when full. */
  add(value: number): void {
    if (!Number.isFinite(value)) return;
    this.samples[this.next] = value;
    this.next = (this.next + 1) % this.capacity;
    if (this.filled < this.capacity) this.filled++;
  }

  /** Number of samples held. */
  get size(): number {
    return this.filled;
  }

  /**
   * Nearest-rank percentiles (the smallest sample with at least p% of samples at or below it),
   * the definition CloudWatch's pNN statistics approximate; null for each when empty.
   */
  percentiles<P extends number>(ps: readonly P[]): Record<`p${P}`, number | null> {
    const out = {} as Record<`p${P}`, number | null>;
    if (this.filled === 0) {
      for (const p of ps) out[`p${p}`] = null;
      return out;
    }
    const sorted = this.samples.slice(0, this.filled).sort();
    for (const p of ps) {
      const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
      out[`p${p}`] = round2(sorted[rank - 1]!);
    }
    return out;
  }
}

/** Rounds to two decimals, as REPORT lines show durations. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
