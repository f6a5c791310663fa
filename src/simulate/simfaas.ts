// The SimFaaS AWS experiments replayed: Poisson arrivals, exponential service times with the
// measured warm and cold means, idle expiry of 10 minutes, no concurrency limit. Shared by the
// validation test and the benchmark.
import { seededUniform } from '../model/random.js';
import { arrivalsOf } from './arrivals.js';
import { simulate } from './engine.js';
import { ExponentialService } from './service.js';

/** One measured row of pacslab/simfaas examples/exp.csv. */
export interface SimFaasRow {
  rate: number;
  warmMs: number;
  coldMs: number;
  idleMinutes: number;
  instances: number;
  coldProbability: number;
  running: number;
}

/** What the simulator predicts for one row. */
export interface SimFaasPrediction {
  coldProbability: number;
  instances: number;
  running: number;
  arrivals: number;
}

/** Parses the CSV (comment lines start with #). */
export function parseSimFaasCsv(text: string): SimFaasRow[] {
  const lines = text.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  const [header, ...rows] = lines;
  const keys = header!.split(',');
  return rows.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i], Number(v)])) as unknown as SimFaasRow);
}

/** Simulates one row for as long as `arrivals` requests take on average. */
export function predictSimFaas(row: Pick<SimFaasRow, 'rate' | 'warmMs' | 'coldMs' | 'idleMinutes'>, arrivals: number, seed = 1): SimFaasPrediction {
  const durationMs = (arrivals / row.rate) * 1000;
  const run = simulate({
    functions: [{ name: 'f', memoryMb: 128, timeoutMs: Infinity, reserved: null, provisioned: 0, frontEnd: 'direct', gatewayTimeoutMs: Infinity, service: new ExponentialService(row.warmMs, row.coldMs) }],
    sources: [{ fn: 0, stream: arrivalsOf({ kind: 'poisson', rate: row.rate }, seededUniform(seed)) }],
    accountConcurrency: Number.MAX_SAFE_INTEGER,
    idleTimeoutMs: row.idleMinutes * 60_000,
    durationMs,
    stageThrottle: null,
    seed: seed + 1,
  });
  const f = run.functions[0]!;
  return { coldProbability: f.coldStarts.total / f.invocations, instances: f.instances.mean(durationMs), running: f.concurrency.mean(durationMs), arrivals: f.invocations };
}
