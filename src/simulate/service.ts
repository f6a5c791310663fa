// What one invocation costs in virtual time: the Duration of a warm invocation, and the platform
// delay, Init Duration and Duration of a cold one. Built from calibration (the cold-start model
// applied to what really ran here) or from given figures.
import { drawSpread, invokeDurationMs, platformDelayMs, spreadInitDurationMs, type Measured } from '../model/cold-start.js';
import type { ModelCoefficients } from '../types/config.js';

/** The parts of a cold start, written in place (no allocation per cold start). */
export interface ColdDraw {
  platformMs: number;
  initMs: number;
  durationMs: number;
}

/** Draws service times. */
export interface ServiceModel {
  /** Duration (ms) of a warm invocation. */
  warmMs(uniform: () => number): number;
  /** A cold start on an on-demand instance. */
  cold(uniform: () => number, out: ColdDraw): void;
}

/** Local measurements of a function: its init phases and its warm invocations. */
export interface Measurements {
  inits: Measured[];
  invokes: Measured[];
}

/** The model applied to measurements for one memory size: a resampled measurement per draw. */
export class ModelledService implements ServiceModel {
  private readonly durations: Float64Array;
  constructor(
    private readonly model: ModelCoefficients,
    private readonly memoryMb: number,
    private readonly m: Measurements,
    private readonly packageBytes: number,
    private readonly vpc: boolean,
    /** A fixed Duration (ms) replacing the measured one (`--duration-ms`). */
    givenDurationMs?: number,
  ) {
    this.durations =
      givenDurationMs !== undefined ? Float64Array.of(givenDurationMs) : Float64Array.from(m.invokes, (x) => invokeDurationMs(model, memoryMb, x));
  }

  warmMs(uniform: () => number): number {
    const d = this.durations;
    return d.length === 1 ? d[0]! : d[Math.floor(uniform() * d.length)]!;
  }

  cold(uniform: () => number, out: ColdDraw): void {
    const spread = drawSpread(this.model, uniform);
    const inits = this.m.inits;
    const measured = inits[Math.floor(uniform() * inits.length)]!;
    // The runtime applies the same spread to the platform delay and to the modelled part of init.
    out.platformMs = platformDelayMs(this.model, this.packageBytes, this.vpc) * spread;
    out.initMs = spreadInitDurationMs(this.model, this.memoryMb, 'on-demand', measured, spread);
    out.durationMs = this.warmMs(uniform);
  }
}

/**
 * SimFaaS's service model: exponential service times, and a cold request's whole service time
 * (drawn with the cold mean) replacing the warm one. Used to check the simulator against their data.
 */
export class ExponentialService implements ServiceModel {
  constructor(
    private readonly warmMeanMs: number,
    private readonly coldMeanMs: number,
  ) {}
  warmMs(uniform: () => number): number {
    return -Math.log(1 - uniform()) * this.warmMeanMs;
  }
  cold(uniform: () => number, out: ColdDraw): void {
    out.platformMs = 0;
    out.initMs = 0;
    out.durationMs = -Math.log(1 - uniform()) * this.coldMeanMs;
  }
}

/** Fixed service times (tests, Erlang-B): `durationMs` warm; cold adds `initMs` after `platformMs`. */
export class FixedService implements ServiceModel {
  constructor(
    private readonly durationMs: number,
    private readonly initMs = 0,
    private readonly platformMs = 0,
  ) {}
  warmMs(): number {
    return this.durationMs;
  }
  cold(_uniform: () => number, out: ColdDraw): void {
    out.platformMs = this.platformMs;
    out.initMs = this.initMs;
    out.durationMs = this.durationMs;
  }
}
