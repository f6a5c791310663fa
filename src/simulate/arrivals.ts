// Arrival streams in virtual time: each `next()` returns the time (ms from the start) of the next
// request, Infinity when the stream is over. No per-request objects: a stream is a cursor.
import { nextFiring, type ScheduleExpression } from '../schedule/expression.js';
import { DAY_MS, rateAt, rateChanges, type TrafficProfile } from './profiles.js';

/** A source of arrival times, increasing. */
export interface ArrivalStream {
  next(): number;
}

type RateProfile = Exclude<TrafficProfile, { kind: 'trace' }>;

/** Poisson arrivals whose rate is constant between change points (poisson, spike, steps). */
class PiecewisePoisson implements ArrivalStream {
  private t = 0;
  private change = 0;
  constructor(
    private readonly profile: RateProfile,
    private readonly changes: number[],
    private readonly uniform: () => number,
  ) {}

  next(): number {
    for (;;) {
      while (this.change < this.changes.length && this.changes[this.change]! <= this.t) this.change++;
      const boundary = this.change < this.changes.length ? this.changes[this.change]! : Infinity;
      const r = rateAt(this.profile, this.t);
      if (r <= 0) {
        if (boundary === Infinity) return Infinity;
        this.t = boundary;
        continue;
      }
      const gap = (-Math.log(1 - this.uniform()) * 1000) / r;
      // Exponential gaps are memoryless: a gap that crosses a change restarts from the change.
      if (this.t + gap >= boundary) {
        this.t = boundary;
        continue;
      }
      this.t += gap;
      return this.t;
    }
  }
}

/** Evenly spaced arrivals. */
class Constant implements ArrivalStream {
  private i = 0;
  constructor(private readonly gapMs: number) {}
  next(): number {
    return this.gapMs === Infinity ? Infinity : this.i++ * this.gapMs;
  }
}

/** Poisson arrivals with a smoothly varying rate, by thinning a stream at the peak rate. */
class Thinned implements ArrivalStream {
  private t = 0;
  constructor(
    private readonly profile: RateProfile,
    private readonly peak: number,
    private readonly uniform: () => number,
  ) {}
  next(): number {
    if (this.peak <= 0) return Infinity;
    for (;;) {
      this.t += (-Math.log(1 - this.uniform()) * 1000) / this.peak;
      if (this.uniform() * this.peak <= rateAt(this.profile, this.t)) return this.t;
    }
  }
}

/** Replays recorded times (ms, sorted). */
export class Replay implements ArrivalStream {
  private i = 0;
  constructor(private readonly times: Float64Array) {}
  next(): number {
    return this.i < this.times.length ? this.times[this.i++]! : Infinity;
  }
}

/** Firings of an EventBridge schedule (a warm-up ping is traffic like any other). */
export class ScheduleFirings implements ArrivalStream {
  private last = 0;
  private readonly origin = Date.UTC(2026, 0, 1);
  constructor(private readonly schedule: ScheduleExpression) {}
  next(): number {
    const at = nextFiring(this.schedule, new Date(this.origin), new Date(this.origin + this.last));
    if (!at) return Infinity;
    this.last = at.getTime() - this.origin;
    return this.last;
  }
}

/** The arrival stream of a rate-driven profile. */
export function arrivalsOf(profile: RateProfile, uniform: () => number): ArrivalStream {
  switch (profile.kind) {
    case 'constant':
      return new Constant(profile.rate > 0 ? 1000 / profile.rate : Infinity);
    case 'diurnal':
      return new Thinned(profile, profile.peak, uniform);
    default:
      return new PiecewisePoisson(profile, rateChanges(profile), uniform);
  }
}

/** The mean rate of a profile over a window (for progress and sanity checks). */
export function meanRate(profile: RateProfile, durationMs: number): number {
  if (profile.kind === 'diurnal') return durationMs >= DAY_MS ? profile.mean : averageBySampling(profile, durationMs);
  return averageBySampling(profile, durationMs);
}

function averageBySampling(profile: RateProfile, durationMs: number): number {
  const n = 1000;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += rateAt(profile, ((i + 0.5) * durationMs) / n);
  return sum / n;
}
