// Runs one simulator workload in its own process and prints its wall time and peak RSS as JSON,
// so the parent measures the simulator alone (`node dist/bench/simulate-child.js hour|simfaas`).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_MODEL } from '../src/model/defaults.js';
import { seededUniform } from '../src/model/random.js';
import { arrivalsOf } from '../src/simulate/arrivals.js';
import { monthlyCost } from '../src/simulate/cost.js';
import { simulate } from '../src/simulate/engine.js';
import { ModelledService } from '../src/simulate/service.js';
import { parseSimFaasCsv, predictSimFaas } from '../src/simulate/simfaas.js';
import { summarise } from '../src/simulate/summary.js';
import { repoRoot } from './emulator.js';

function hour(): Record<string, number> {
  // A typical API handler as calibration would see it: 40 ms of init CPU, 3 ms of CPU and 15 ms
  // waiting per call (varied), at 1024 MB.
  const invokes = Array.from({ length: 30 }, (_, i) => ({ cpuMs: 2 + (i % 5) * 0.5, wallMs: 15 + (i % 7) * 3, queuedMs: 0 }));
  const inits = Array.from({ length: 5 }, (_, i) => ({ cpuMs: 40 + i * 3, wallMs: 45 + i * 3, queuedMs: 0 }));
  const durationMs = 3_600_000;
  const t0 = performance.now();
  const run = simulate({
    functions: [{ name: 'api', memoryMb: 1024, timeoutMs: 6000, reserved: null, provisioned: 0, frontEnd: 'rest', gatewayTimeoutMs: 29_000, service: new ModelledService(DEFAULT_MODEL, 1024, { inits, invokes }, 2_000_000, false) }],
    sources: [{ fn: 0, stream: arrivalsOf({ kind: 'poisson', rate: 5000 }, seededUniform(1)) }],
    accountConcurrency: 1000,
    idleTimeoutMs: 360_000,
    durationMs,
    stageThrottle: null,
    seed: 2,
  });
  const f = run.functions[0]!;
  const summary = summarise({}, run, monthlyCost([{ memoryMb: 1024, architecture: 'x86_64', provisioned: 0, invocations: f.invocations, onDemandBilledMs: f.onDemandBilledMs, provisionedBilledMs: 0, restApiCalls: f.requests.total, httpApiCalls: 0, sqsMessages: 0 }], durationMs));
  JSON.stringify(summary);
  return { wallMs: performance.now() - t0, arrivals: f.requests.total, events: run.events };
}

function simfaas(): Record<string, number> {
  const rows = parseSimFaasCsv(readFileSync(path.join(repoRoot, 'test/fixtures/simulate/simfaas-aws.csv'), 'utf8'));
  const t0 = performance.now();
  let cold = 0;
  let inst = 0;
  let arrivals = 0;
  for (const row of rows) {
    const p = predictSimFaas(row, 200_000);
    cold += Math.abs(p.coldProbability - row.coldProbability) / row.coldProbability;
    inst += Math.abs(p.instances - row.instances) / row.instances;
    arrivals += p.arrivals;
  }
  return { wallMs: performance.now() - t0, arrivals, coldMapePct: (cold / rows.length) * 100, instancesMapePct: (inst / rows.length) * 100 };
}

const result = process.argv[2] === 'simfaas' ? simfaas() : hour();
const cpu = process.cpuUsage();
process.stdout.write(JSON.stringify({ ...result, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
