// Streaming statistics of fixed size: a log-bucket histogram for latencies (1 % wide buckets from
// 0.01 ms to beyond a day), so memory does not grow with the number of requests.

const MIN_MS = 0.01;
const GROWTH = 1.01;
const BUCKETS = 2400;
const LOG_GROWTH = Math.log(GROWTH);

/** A latency histogram: percentiles to within 1 %, exact count, mean and max. */
export class LogHistogram {
  readonly counts = new Float64Array(BUCKETS);
  count = 0;
  sum = 0;
  max = 0;
  min = Infinity;

  /** Records one value (ms). */
  add(ms: number): void {
    let i = ms <= MIN_MS ? 0 : Math.floor(Math.log(ms / MIN_MS) / LOG_GROWTH) + 1;
    if (i >= BUCKETS) i = BUCKETS - 1;
    this.counts[i]!++;
    this.count++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
    if (ms < this.min) this.min = ms;
  }

  /** Adds another histogram's counts. */
  merge(other: LogHistogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i]! += other.counts[i]!;
    this.count += other.count;
    this.sum += other.sum;
    this.max = Math.max(this.max, other.max);
    this.min = Math.min(this.min, other.min);
  }

  /** The value at quantile q (0..1): the geometric middle of its bucket, kept within [min, max]. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) {
        const mid = i === 0 ? MIN_MS : MIN_MS * Math.pow(GROWTH, i - 0.5);
        return Math.min(this.max, Math.max(this.min, mid));
      }
    }
    return this.max;
  }

  /** Mean of the values. */
  get mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /** Up to `n` bars for a chart: [upper bound ms, count] of non-empty buckets merged into groups. */
  bars(n: number): [number, number][] {
    let first = 0;
    let last = BUCKETS - 1;
    while (first < BUCKETS && this.counts[first] === 0) first++;
    while (last > first && this.counts[last] === 0) last--;
    if (first >= BUCKETS) return [];
    const span = last - first + 1;
    const per = Math.max(1, Math.ceil(span / n));
    const out: [number, number][] = [];
    for (let i = first; i <= last; i += per) {
      let c = 0;
      for (let j = i; j < Math.min(i + per, last + 1); j++) c += this.counts[j]!;
      out.push([MIN_MS * Math.pow(GROWTH, Math.min(i + per, last + 1) - 1), c]);
    }
    return out;
  }
}
