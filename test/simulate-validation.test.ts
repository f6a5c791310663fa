// The simulator against published measurements and theory: SimFaaS's AWS experiments and Erlang-B.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixture } from './helpers/server.js';
import { parseSimFaasCsv, predictSimFaas } from '../src/simulate/simfaas.js';
import { simulate } from '../src/simulate/engine.js';
import { arrivalsOf } from '../src/simulate/arrivals.js';
import { ExponentialService } from '../src/simulate/service.js';
import { seededUniform } from '../src/model/random.js';

// 200,000 simulated arrivals per rate: the cold-start count at the highest rate (p ~ 0.0013) is then
// ~260, a relative standard error of ~6 %, well inside the 15 % bound; the sweep takes a few seconds.
const ARRIVALS = 200_000;

test('SimFaaS, lambda = 0.9 req/s, warm 1.991 s, cold 2.244 s: running, instances and cold-start probability', () => {
  const p = predictSimFaas({ rate: 0.9, warmMs: 1991, coldMs: 2244, idleMinutes: 10 }, 1_000_000);
  assert.ok(Math.abs(p.running - 1.792) / 1.792 <= 0.02, `mean running instances ${p.running}`);
  assert.ok(p.instances >= 7.4 && p.instances <= 7.95, `mean instances ${p.instances}`);
  assert.ok(p.coldProbability >= 0.00121 && p.coldProbability <= 0.00153, `cold-start probability ${p.coldProbability}`);
});

test('SimFaaS AWS sweep, 20 rates: MAPE <= 15 % on cold-start probability, <= 5 % on instance count', () => {
  const rows = parseSimFaasCsv(readFileSync(fixture('simulate', 'simfaas-aws.csv'), 'utf8'));
  assert.equal(rows.length, 20);
  let coldErr = 0;
  let instErr = 0;
  for (const row of rows) {
    const p = predictSimFaas(row, ARRIVALS);
    coldErr += Math.abs(p.coldProbability - row.coldProbability) / row.coldProbability;
    instErr += Math.abs(p.instances - row.instances) / row.instances;
  }
  const coldMape = coldErr / rows.length;
  const instMape = instErr / rows.length;
  assert.ok(coldMape <= 0.15, `cold-start probability MAPE ${(coldMape * 100).toFixed(1)} %`);
  assert.ok(instMape <= 0.05, `instance count MAPE ${(instMape * 100).toFixed(1)} %`);
});

test('Erlang-B: 1000 req/s, ~2 s service, a limit of 1000 throttles 0.504 +- 0.01', () => {
  const durationMs = 600_000;
  const run = simulate({
    functions: [{ name: 'f', memoryMb: 1024, timeoutMs: Infinity, reserved: null, provisioned: 0, frontEnd: 'direct', gatewayTimeoutMs: Infinity, service: new ExponentialService(2000, 2000) }],
    sources: [{ fn: 0, stream: arrivalsOf({ kind: 'poisson', rate: 1000 }, seededUniform(3)) }],
    accountConcurrency: 1000,
    idleTimeoutMs: 600_000,
    durationMs,
    stageThrottle: null,
    seed: 4,
  });
  const f = run.functions[0]!;
  const fraction = f.throttled.total / f.requests.total;
  assert.ok(Math.abs(fraction - 0.504) <= 0.01, `throttled fraction ${fraction}`);
  assert.equal(f.throttles.account, f.throttled.total);
  assert.equal(f.concurrency.max, 1000);
});
