// The cold-start and CPU model applied to one instance's time: what the model (model/cold-start.ts)
// makes of what the environment measured, and the waits that make the instance take that long.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EmulatorSettings, FunctionConfig, InitType } from '../types/config.js';
import type { LocalTiming } from '../types/events.js';
import { drawSpread, invokeDurationMs, platformDelayMs, spreadInitDurationMs, type Measured } from '../model/cold-start.js';

/** Waits until `deadline` (performance.now() time); at once when it has passed. */
export async function sleepUntil(deadline: number): Promise<void> {
  const ms = deadline - performance.now();
  if (ms >= 1) await sleep(ms);
}

/** The model's settings as one instance uses them. */
export interface InstanceModel {
  settings: EmulatorSettings;
  fn: FunctionConfig;
  initType: InitType;
}

/** Whether durations are modelled (`coldStart: realistic`) or taken as measured. */
export function isRealistic(m: Pick<InstanceModel, 'settings'>): boolean {
  return m.settings.coldStart === 'realistic';
}

/** This cold start's draw of the spread (1 when not modelled). */
export function drawInitSpread(m: InstanceModel, random: () => number): number {
  return isRealistic(m) ? drawSpread(m.settings.model, random) : 1;
}

/** The platform delay before the init phase, ms (0 when not modelled). */
export function platformDelay(m: InstanceModel, spread: number): number {
  return isRealistic(m) ? platformDelayMs(m.settings.model, m.fn.packageBytes, m.fn.vpc) * spread : 0;
}

/** How long the init phase may run: provisioned init up to max(130 s, timeout); on-demand init is cut at 10 s. */
export function initLimitMs(m: InstanceModel): number {
  return m.initType === 'provisioned-concurrency' ? Math.max(130_000, m.fn.timeout * 1000) : m.settings.model.initTimeoutMs;
}

/** The modelled Init Duration of a measured init phase, ms (0 when not modelled). */
export function modelledInitMs(m: InstanceModel, kind: InitType | 'suppressed', measured: Measured, spread: number): number {
  return isRealistic(m) ? spreadInitDurationMs(m.settings.model, m.fn.memorySize, kind, measured, spread) : 0;
}

/** The time of one invocation: it starts when the clock is made and is cut at the function timeout. */
export class InvocationClock {
  private readonly start = performance.now();

  constructor(readonly timeoutMs: number) {}

  /** Time since the invocation started, ms. */
  elapsed(): number {
    return performance.now() - this.start;
  }

  /** Waits until `ms` after the invocation started. */
  waitUntil(ms: number): Promise<void> {
    return sleepUntil(this.start + ms);
  }
}

/** Where a handler run ends in modelled time. */
export interface ModelledRun {
  /** The modelled run passed the function timeout. */
  timedOut: boolean;
  /** Duration of the invocation, ms (meaningful when it did not time out). */
  durationMs: number;
}

/**
 * Applies the CPU model to a handler run that just returned (after `measured.wallMs` of real time)
 * and waits until the invocation's modelled end, or its timeout when the model passes it.
 */
export async function settleModelledRun(m: InstanceModel, clock: InvocationClock, measured: Measured): Promise<ModelledRun> {
  const realistic = isRealistic(m);
  const spent = clock.elapsed();
  const runMs = realistic ? invokeDurationMs(m.settings.model, m.fn.memorySize, measured) : measured.wallMs;
  const modelledEnd = spent - measured.wallMs + runMs; // re-init time (if any) + the modelled run
  if (modelledEnd > clock.timeoutMs) {
    await clock.waitUntil(clock.timeoutMs);
    return { timedOut: true, durationMs: clock.timeoutMs };
  }
  await clock.waitUntil(modelledEnd);
  return { timedOut: false, durationMs: realistic ? modelledEnd : spent };
}

/** The local CPU, wall and queued time the environment measured for a task, as events carry it. */
export function localTiming(t: { cpuMs: number; wallMs: number; queuedMs: number }): LocalTiming {
  return { cpuMs: t.cpuMs, wallMs: t.wallMs, queuedMs: t.queuedMs };
}
