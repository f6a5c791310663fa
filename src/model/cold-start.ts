// The cold-start and CPU model: the documented platform formulas applied to what was measured here.
// Pure functions: inputs are what was measured here, outputs are what Lambda would show.
import type { InitType, ModelCoefficients } from '../types/config.js';
import { normal } from './random.js';

/** Local measurements of one init phase or one invocation, in ms. */
export interface Measured {
  /** CPU time of the execution environment (its thread). */
  cpuMs: number;
  /** Wall time. */
  wallMs: number;
  /** Part of the wall time the environment waited for a CPU of this machine (busy laptop, not the function). */
  queuedMs?: number;
}

/** CPU factor of an init phase: on-demand init is boosted (~2 unthrottled vCPUs), provisioned and re-inits are not. */
export function initCpuFactor(model: ModelCoefficients, memoryMb: number, kind: InitType | 'suppressed'): number {
  if (kind === 'on-demand') return memoryMb >= model.largeMemoryMb ? model.onDemandInitFactorLarge : model.onDemandInitFactor;
  return invokeCpuFactor(model, memoryMb);
}

/** CPU factor of the invoke phase: a share of one vCPU proportional to memory, max(1, 1769 / M). */
export function invokeCpuFactor(model: ModelCoefficients, memoryMb: number): number {
  return Math.max(1, model.mbPerVcpu / memoryMb);
}

/**
 * Time that was not CPU (I/O, timers): replayed as it was, never scaled. Time spent waiting for a
 * CPU of this machine is left out: on Lambda the function has its own share of a vCPU.
 */
function waitingMs(m: Measured): number {
  return Math.max(0, m.wallMs - m.cpuMs - (m.queuedMs ?? 0));
}

/** Platform delay before init (placement, code fetch, VPC): the client waits for it, Init Duration does not show it. */
export function platformDelayMs(model: ModelCoefficients, packageBytes: number, vpc: boolean): number {
  return model.platformBaseMs + (model.platformPerPackageMbMs * packageBytes) / (1024 * 1024) + (vpc ? model.vpcMs : 0);
}

/** Duration of an invocation: CPU scaled by the memory's vCPU share and the machine slowdown, plus waiting time. */
export function invokeDurationMs(model: ModelCoefficients, memoryMb: number, m: Measured): number {
  return m.cpuMs * model.cpuSlowdown * invokeCpuFactor(model, memoryMb) + waitingMs(m);
}

/** One draw of the cold-start spread: lognormal around 1, with an occasional slow tail. */
export function drawSpread(model: ModelCoefficients, uniform: () => number): number {
  let j = Math.exp(model.jitterSigma * normal(uniform));
  if (uniform() < model.tailProbability) j *= model.tailMin + (model.tailMax - model.tailMin) * uniform();
  return j;
}

/**
 * The modelled Init Duration of one cold start: (runtime base + scaled init CPU) times the spread,
 * plus the measured non-CPU time, which is replayed as it was. A spread of 1 gives the median.
 */
export function spreadInitDurationMs(
  model: ModelCoefficients,
  memoryMb: number,
  kind: InitType | 'suppressed',
  m: Measured,
  spread: number,
): number {
  const modelled = model.runtimeBaseMs + m.cpuMs * model.cpuSlowdown * initCpuFactor(model, memoryMb, kind);
  return modelled * spread + waitingMs(m);
}

/**
 * Billed Duration, 1 ms granularity, rounded up. Since 2025-08-01 an on-demand cold invocation
 * also pays for its init phase; provisioned-concurrency init is paid for by the provisioned
 * charge, so those invocations bill on Duration alone.
 */
export function billedDurationMs(durationMs: number, initDurationMs?: number, initType: InitType = 'on-demand'): number {
  const init = initType === 'on-demand' && initDurationMs !== undefined ? initDurationMs : 0;
  return Math.max(1, Math.ceil(durationMs + init));
}
