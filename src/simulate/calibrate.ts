// Calibration: each simulated function really runs here, on real instances of the emulator's
// runtime, before anything is simulated. Several cold starts give the init phase's CPU and
// non-CPU time; a few dozen warm invocations give the handler's. The cold-start model turns those
// into Init Duration and Duration for every memory size compared.
import { EventBus } from '../events/bus.js';
import { invokeDurationMs, spreadInitDurationMs, type Measured } from '../model/cold-start.js';
import { Runtime } from '../runtime/runtime.js';
import type { FunctionConfig, ModelCoefficients, ServiceConfig } from '../types/config.js';
import type { LocalTiming } from '../types/events.js';
import type { Measurements } from './service.js';

/** How much to run. */
export interface CalibrationPlan {
  coldStarts: number;
  warmInvocations: number;
  /** Event JSON per function name (the trigger's event unless `--event` gave one). */
  events: Map<string, string>;
  /** Given Durations (ms) that replace the measured ones (`--duration-ms NAME=MS`). */
  givenDurationMs: Map<string, number>;
  onStep?: (fn: string, done: number, total: number) => void;
}

/** What calibration learned about one function. */
export interface Calibration {
  function: string;
  measurements: Measurements;
  /** Duration (ms) given on the command line instead of the measured one. */
  givenDurationMs?: number;
  /** Invocations that failed (not counted in the measurements), with the first error. */
  failures: number;
  firstError?: string;
}

/** One row of the calibration table. */
export interface CalibrationRow {
  function: string;
  memoryMb: number;
  initP50Ms: number;
  durationP50Ms: number;
  durationP99Ms: number;
  source: 'measured' | 'given';
  samples: { coldStarts: number; warmInvocations: number; failures: number };
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function asMeasured(t: LocalTiming): Measured {
  return { cpuMs: t.cpuMs, wallMs: t.wallMs, queuedMs: t.queuedMs };
}

/** Runs each function's handler on the emulator's runtime and collects its measurements. */
export async function calibrate(config: ServiceConfig, functions: FunctionConfig[], plan: CalibrationPlan): Promise<Calibration[]> {
  const bus = new EventBus();
  // Plain instances: no reservation or provisioned concurrency gets in the way of measuring.
  const fns = functions.map((f) => ({ ...f, provisionedConcurrency: 0, reservedConcurrency: null }));
  const runtime = new Runtime(
    { ...config, functions: fns, settings: { ...config.settings, coldStart: 'realistic', spareThreads: 0 } },
    bus,
    // Instances run as under `coldstart start`, which puts them under SCHED_BATCH.
    { endpoint: () => 'http://127.0.0.1:9', batchScheduling: true },
  );
  const inits = new Map<string, LocalTiming>();
  const invokes = new Map<string, LocalTiming>();
  const off = bus.subscribe((e) => {
    if (e.type === 'instance.init.end' && e.measured && !e.error) inits.set(e.instanceId, e.measured);
    if (e.type === 'invoke.end' && e.measured && e.outcome === 'success') invokes.set(e.requestId, e.measured);
  });
  const out: Calibration[] = [];
  try {
    await runtime.start();
    for (const fn of fns) {
      const c: Calibration = { function: fn.name, measurements: { inits: [], invokes: [] }, failures: 0 };
      const given = plan.givenDurationMs.get(fn.name);
      if (given !== undefined) c.givenDurationMs = given;
      const payloadJson = plan.events.get(fn.name) ?? '{}';
      const total = plan.coldStarts + plan.warmInvocations;
      for (let i = 0; i < total; i++) {
        // A new code version makes the next invocation start a new instance: one more cold start.
        if (i < plan.coldStarts) runtime.reloadCode([fn.name]);
        const r = await runtime.invoke({ functionName: fn.name, payloadJson, source: 'cli' });
        plan.onStep?.(fn.name, i + 1, total);
        if (r.status !== 'completed' || r.outcome !== 'success') {
          c.failures++;
          c.firstError ??= r.status === 'completed' ? `${r.error?.errorType ?? r.outcome}: ${r.error?.errorMessage ?? ''}`.trim() : r.reason;
          continue;
        }
        const init = r.cold ? inits.get(r.instanceId) : undefined;
        if (init) c.measurements.inits.push(asMeasured(init));
        const run = invokes.get(r.requestId);
        // The first invocation of an instance compiles the handler's hot paths; warm samples come after.
        if (run && !r.cold) c.measurements.invokes.push(asMeasured(run));
      }
      out.push(c);
    }
  } finally {
    off();
    await runtime.shutdown();
  }
  return out;
}

/** True when a function can be simulated: at least one cold start and one warm run (or a given Duration). */
export function usable(c: Calibration): boolean {
  return c.measurements.inits.length > 0 && (c.measurements.invokes.length > 0 || c.givenDurationMs !== undefined);
}

/** The calibration table row of a function at one memory size. */
export function calibrationRow(c: Calibration, model: ModelCoefficients, memoryMb: number): CalibrationRow {
  const inits = c.measurements.inits.map((m) => spreadInitDurationMs(model, memoryMb, 'on-demand', m, 1));
  const durations = c.givenDurationMs !== undefined ? [c.givenDurationMs] : c.measurements.invokes.map((m) => invokeDurationMs(model, memoryMb, m));
  return {
    function: c.function,
    memoryMb,
    initP50Ms: round(quantile(inits, 0.5)),
    durationP50Ms: round(quantile(durations, 0.5)),
    durationP99Ms: round(quantile(durations, 0.99)),
    source: c.givenDurationMs !== undefined ? 'given' : 'measured',
    samples: { coldStarts: c.measurements.inits.length, warmInvocations: c.measurements.invokes.length, failures: c.failures },
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
