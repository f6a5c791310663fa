// Turns a raw run into the figures users read (and --json writes): rates, percentiles, means,
// timelines and the monthly cost.
import type { MonthlyCost } from './cost.js';
import type { FunctionRun, SimRun, ThrottleCounts } from './engine.js';
import { LogHistogram } from './histogram.js';
import type { Settings } from './compare.js';

/** The figures of one function, or of a whole configuration. */
export interface Figures {
  requests: number;
  invocations: number;
  coldStarts: number;
  coldStartRate: number;
  /** On-demand inits billed (provisioned instances initialize ahead of time, billed as provisioned concurrency). */
  billedInits: number;
  throttles: number;
  throttleRate: number;
  throttlesByCause: ThrottleCounts;
  timeouts: number;
  gatewayTimeouts: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  instances: { mean: number; max: number };
  concurrency: { mean: number; max: number };
}

/** Per-bin series for charts. */
export interface Timeline {
  binSeconds: number;
  instancesMean: number[];
  instancesMax: number[];
  concurrencyMean: number[];
  concurrencyMax: number[];
  requests: number[];
  coldStarts: number[];
  throttles: number[];
}

/** One configuration's result. */
export interface ConfigurationResult extends Figures {
  settings: Settings;
  monthlyCostUsd: MonthlyCost;
  functions: (Figures & { name: string })[];
  timeline: Timeline;
  /** Latency distribution: [upper bound ms, count] bars. */
  latencyHistogram: [number, number][];
}

/** Rounds for output: enough digits to read, few enough that equal runs print equal bytes. */
export function r(n: number, digits = 4): number {
  if (!Number.isFinite(n)) return n;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function figures(parts: FunctionRun[], latency: LogHistogram, durationMs: number, instances: SimRun['instances'], concurrency: SimRun['concurrency']): Figures {
  const sum = (f: (p: FunctionRun) => number) => parts.reduce((a, p) => a + f(p), 0);
  const requests = sum((p) => p.requests.total);
  const invocations = sum((p) => p.invocations);
  const coldStarts = sum((p) => p.coldStarts.total);
  const throttles = sum((p) => p.throttled.total);
  const byCause = (k: keyof ThrottleCounts) => sum((p) => p.throttles[k]);
  return {
    requests,
    invocations,
    coldStarts,
    coldStartRate: r(invocations ? coldStarts / invocations : 0, 6),
    billedInits: coldStarts,
    throttles,
    throttleRate: r(requests ? throttles / requests : 0, 6),
    throttlesByCause: { reserved: byCause('reserved'), account: byCause('account'), scaling: byCause('scaling'), stage: byCause('stage') },
    timeouts: sum((p) => p.timeouts),
    gatewayTimeouts: sum((p) => p.gatewayTimeouts),
    latencyMs: { p50: r(latency.quantile(0.5), 2), p90: r(latency.quantile(0.9), 2), p99: r(latency.quantile(0.99), 2), max: r(latency.max, 2), mean: r(latency.mean, 2) },
    instances: { mean: r(instances.mean(durationMs)), max: instances.max },
    concurrency: { mean: r(concurrency.mean(durationMs)), max: concurrency.max },
  };
}

/** Summarises a run. */
export function summarise(settings: Settings, run: SimRun, cost: MonthlyCost): ConfigurationResult {
  const all = new LogHistogram();
  for (const f of run.functions) all.merge(f.latency);
  const sumBins = (get: (f: FunctionRun) => Float64Array) => Array.from({ length: run.functions[0]?.requests.bins.length ?? 0 }, (_, i) => run.functions.reduce((a, f) => a + get(f)[i]!, 0));
  const costOut = Object.fromEntries(Object.entries(cost).map(([k, v]) => [k, r(v, 2)])) as unknown as MonthlyCost;
  return {
    settings,
    ...figures(run.functions, all, run.durationMs, run.instances, run.concurrency),
    monthlyCostUsd: costOut,
    functions: run.functions.map((f) => ({ name: f.name, ...figures([f], f.latency, run.durationMs, f.instances, f.concurrency) })),
    timeline: {
      binSeconds: r(run.binMs / 1000),
      instancesMean: run.instances.binMeans().map((v) => r(v, 2)),
      instancesMax: Array.from(run.instances.binMax),
      concurrencyMean: run.concurrency.binMeans().map((v) => r(v, 2)),
      concurrencyMax: Array.from(run.concurrency.binMax),
      requests: sumBins((f) => f.requests.bins),
      coldStarts: sumBins((f) => f.coldStarts.bins),
      throttles: sumBins((f) => f.throttled.bins),
    },
    latencyHistogram: all.bars(60).map(([ms, c]) => [r(ms, 2), c]),
  };
}
