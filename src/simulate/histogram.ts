// Streaming statistics of fixed size: a log-linear histogram for latencies (64 sub-buckets per
// power of two, about 1.1 % wide, from 1/128 ms to 2^28 ms), so memory does not grow with the
// number of requests. The bucket comes from the bits of the double: no logarithm per value.

const SUB_BITS = 6;
const SUB = 1 << SUB_BITS;
const MIN_EXP = -7;
const MAX_EXP = 28;
const BUCKETS = (MAX_EXP - MIN_EXP) * SUB;
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// The high word of a double (little-endian platforms: every platform Node supports here).
const HI = 1;

function bucketOf(ms: number): number {
  if (!(ms >= 2 ** MIN_EXP)) return 0;
  f64[0] = ms;
  const hi = u32[HI]!;
  const exp = ((hi >>> 20) & 0x7ff) - 1023;
  if (exp >= MAX_EXP) return BUCKETS - 1;
  return (exp - MIN_EXP) * SUB + ((hi >>> (20 - SUB_BITS)) & (SUB - 1));
}

/** Lower bound (ms) of a bucket. */
function lowerBound(i: number): number {
  const exp = Math.floor(i / SUB) + MIN_EXP;
  return 2 ** exp * (1 + (i % SUB) / SUB);
}

/** A latency histogram: percentiles to within about 1 %, exact count, mean and max. */
export class LogHistogram {
  readonly counts = new Float64Array(BUCKETS);
  count = 0;
  sum = 0;
  max = 0;
  min = Infinity;

  /** Records one value (ms). */
  add(ms: number): void {
    this.counts[bucketOf(ms)]!++;
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
        const mid = (lowerBound(i) + lowerBound(i + 1)) / 2;
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
      out.push([lowerBound(Math.min(i + per, last + 1)), c]);
    }
    return out;
  }
}
