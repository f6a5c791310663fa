// The simulator's parts on their own: profiles, --compare, the cost engine's worked examples,
// the shared platform rules and determinism.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProfile, rateAt } from '../src/simulate/profiles.js';
import { parseComparison, combinations } from '../src/simulate/compare.js';
import { monthlyCost } from '../src/simulate/cost.js';
import { pricesWith } from '../src/simulate/prices.js';
import { simulate } from '../src/simulate/engine.js';
import { arrivalsOf, Replay, ScheduleFirings } from '../src/simulate/arrivals.js';
import { readTrace } from '../src/simulate/trace.js';
import { EventHeap } from '../src/simulate/event-heap.js';
import { loadServiceConfig } from '../src/config/load.js';
import { parseScheduleExpression } from '../src/schedule/expression.js';
import { fixture } from './helpers/server.js';
import { FixedService, ExponentialService } from '../src/simulate/service.js';
import { summarise } from '../src/simulate/summary.js';
import { seededUniform } from '../src/model/random.js';
import { admit } from '../src/platform/admission.js';
import { billedDurationMs } from '../src/model/cold-start.js';
import { ScalingBudget } from '../src/platform/scaling.js';
import { takeMostRecentIdle } from '../src/platform/idle-stack.js';

const usage = { architecture: 'x86_64' as const, provisioned: 0, provisionedBilledMs: 0, restApiCalls: 0, httpApiCalls: 0, sqsMessages: 0 };
const MONTH_MS = 730 * 3_600_000;

test('profiles parse into rates', () => {
  assert.deepEqual(parseProfile('poisson:50'), { kind: 'poisson', rate: 50 });
  assert.deepEqual(parseProfile('constant:2.5'), { kind: 'constant', rate: 2.5 });
  const spike = parseProfile('spike:10,400,5m,90s');
  assert.deepEqual(spike, { kind: 'spike', base: 10, peak: 400, atMs: 300_000, lengthMs: 90_000 });
  assert.equal(rateAt(spike as never, 299_999), 10);
  assert.equal(rateAt(spike as never, 300_000), 400);
  assert.equal(rateAt(spike as never, 390_000), 10);
  const d = parseProfile('diurnal:100,150');
  assert.equal(rateAt(d as never, 0), 50);
  assert.equal(Math.round(rateAt(d as never, 43_200_000)), 150);
  assert.deepEqual(parseProfile('steps:5@0,50@10m,0@1h'), { kind: 'steps', steps: [{ rate: 5, atMs: 0 }, { rate: 50, atMs: 600_000 }, { rate: 0, atMs: 3_600_000 }] });
  assert.deepEqual(parseProfile('trace:./x.csv'), { kind: 'trace', file: './x.csv' });
});

test('a bad profile names the part that is wrong', () => {
  const cases: [string, RegExp][] = [
    ['gaussian:5', /kind "gaussian": unknown; use one of poisson:RATE/],
    ['poisson', /arguments: missing; write poisson:RATE/],
    ['poisson:fast', /RATE "fast": must be a number/],
    ['spike:10,400,5m', /3 value\(s\): expected 4 \(BASE, PEAK, AT, LENGTH\)/],
    ['spike:10,400,soon,1m', /AT "soon": must be a duration/],
    ['diurnal:100,300', /PEAK "300": at most 2 x MEAN/],
    ['steps:5@0,50', /step "50": write RATE@TIME/],
    ['steps:5@10m,50@5m', /step 2: step times must increase/],
  ];
  for (const [text, message] of cases) assert.throws(() => parseProfile(text), { code: 'INVALID_ARGUMENT', message }, text);
});

test('--compare: known keys combine; an unknown key is INVALID_ARGUMENT naming it', () => {
  const all = combinations([parseComparison('memorySize=512,1024'), parseComparison('reservedConcurrency=none,10')]);
  assert.deepEqual(all, [
    { memorySize: 512, reservedConcurrency: null },
    { memorySize: 512, reservedConcurrency: 10 },
    { memorySize: 1024, reservedConcurrency: null },
    { memorySize: 1024, reservedConcurrency: 10 },
  ]);
  assert.deepEqual(parseComparison('idleTimeout=5m,600').values, [300, 600]);
  assert.throws(() => parseComparison('memory=512'), { code: 'INVALID_ARGUMENT', message: /unknown key "memory"; compare one of memorySize/ });
  assert.throws(() => parseComparison('memorySize=64'), { code: 'INVALID_ARGUMENT', message: /"64" must be an integer from 128 to 10240/ });
  assert.throws(() => parseComparison('architecture=sparc'), { message: /must be x86_64 or arm64/ });
});

test('cost: AWS example, 60 M invocations x 28 ms at 1024 MB = $28.00 duration + $12.00 requests', () => {
  const c = monthlyCost([{ ...usage, memoryMb: 1024, invocations: 60e6, onDemandBilledMs: 60e6 * 28 }], MONTH_MS);
  assert.equal(c.lambdaDuration.toFixed(2), '28.00');
  assert.equal(c.lambdaRequests.toFixed(2), '12.00');
  assert.equal(c.total.toFixed(2), '40.00');
  // A window of one hour is scaled to the 730-hour month.
  const hour = monthlyCost([{ ...usage, memoryMb: 1024, invocations: 60e6 / 730, onDemandBilledMs: (60e6 * 28) / 730 }], 3_600_000);
  assert.equal(hour.total.toFixed(2), '40.00');
  // arm64 prices the same usage at its lower rate: 1.68 M GB-s x $0.0000133334.
  const arm = monthlyCost([{ ...usage, architecture: 'arm64', memoryMb: 1024, invocations: 60e6, onDemandBilledMs: 60e6 * 28 }], MONTH_MS);
  assert.equal(arm.lambdaDuration.toFixed(2), '22.40');
  // The free tier takes 1 M requests and 400,000 GB-s off.
  const free = monthlyCost([{ ...usage, memoryMb: 1024, invocations: 60e6, onDemandBilledMs: 60e6 * 28 }], MONTH_MS, { freeTier: true });
  assert.equal(free.lambdaRequests.toFixed(2), '11.80');
  assert.equal(free.lambdaDuration.toFixed(2), '21.33');
});

test('cost: AWS provisioned-concurrency example, 1000 x 1024 MB for 2 h, 1.2 M x 1 s = $41.91', () => {
  const c = monthlyCost([{ ...usage, memoryMb: 1024, provisioned: 1000, provisionedHours: 2, invocations: 1.2e6, onDemandBilledMs: 0, provisionedBilledMs: 1.2e6 * 1000 }], MONTH_MS);
  assert.equal(c.provisionedConcurrency.toFixed(2), '30.00');
  assert.equal(c.provisionedDuration.toFixed(2), '11.67');
  assert.equal(c.lambdaRequests.toFixed(2), '0.24');
  assert.equal(c.total.toFixed(2), '41.91');
});

test('cost: gateway calls, SQS requests and price overrides', () => {
  const c = monthlyCost([{ ...usage, memoryMb: 128, invocations: 0, onDemandBilledMs: 0, restApiCalls: 1e6, httpApiCalls: 2e6, sqsMessages: 1e6 }], MONTH_MS);
  assert.equal(c.apiGatewayRest.toFixed(2), '3.50');
  assert.equal(c.apiGatewayHttp.toFixed(2), '2.00');
  assert.equal(c.sqs.toFixed(2), '1.20');
  const prices = pricesWith({ requestPrice: 0.0000004, x86_64: { durationPerGbSecond: 0.00002 } });
  const o = monthlyCost([{ ...usage, memoryMb: 1024, invocations: 1e6, onDemandBilledMs: 1e6 * 1000 }], MONTH_MS, { prices });
  assert.equal(o.lambdaRequests.toFixed(2), '0.40');
  assert.equal(o.lambdaDuration.toFixed(2), '20.00');
  assert.throws(() => pricesWith({ requestPrise: 1 }), { code: 'CONFIG_INVALID', message: /unknown price "requestPrise"/ });
});

test('platform rules: admission, billed duration, scaling rate, most recently used idle instance', () => {
  assert.equal(admit(2, 2, 0, 900), 'ReservedFunctionConcurrentInvocationLimitExceeded');
  assert.equal(admit(2, 1, 5000, 900), null);
  assert.equal(admit(null, 0, 900, 900), 'ConcurrentInvocationLimitExceeded');
  assert.equal(billedDurationMs(12.3), 13);
  assert.equal(billedDurationMs(12.3, 400.2, 'on-demand'), 413);
  assert.equal(billedDurationMs(12.3, 400.2, 'provisioned-concurrency'), 13);
  const b = new ScalingBudget(0);
  let n = 0;
  while (b.take(0)) n++;
  assert.equal(n, 1000);
  assert.equal(b.take(5), false);
  assert.equal(b.take(10), true); // 100 per second refill: one more after 10 ms
  const stack = ['old', 'mid', 'new'];
  assert.equal(takeMostRecentIdle(stack, () => 'take'), 'new');
  assert.deepEqual(stack, ['old', 'mid']);
});

function run(seed: number) {
  return simulate({
    functions: [{ name: 'f', memoryMb: 1024, timeoutMs: 3000, reserved: 20, provisioned: 2, frontEnd: 'rest', gatewayTimeoutMs: 29_000, service: new ExponentialService(300, 900) }],
    sources: [{ fn: 0, stream: arrivalsOf(parseProfile('spike:5,200,2m,1m') as never, seededUniform(seed)) }],
    accountConcurrency: 1000,
    idleTimeoutMs: 60_000,
    durationMs: 600_000,
    stageThrottle: null,
    seed: seed + 1,
  });
}

test('the same seed gives the same figures, byte for byte; another seed differs', () => {
  const cost = monthlyCost([], 1);
  const a = JSON.stringify(summarise({}, run(11), cost));
  const b = JSON.stringify(summarise({}, run(11), cost));
  const c = JSON.stringify(summarise({}, run(12), cost));
  assert.equal(a, b);
  assert.notEqual(a, c);
});

test('engine: provisioned instances serve first and spill over; timeouts destroy the instance; idle instances retire', () => {
  const r = simulate({
    functions: [{ name: 'f', memoryMb: 1024, timeoutMs: 1000, reserved: null, provisioned: 1, frontEnd: 'direct', gatewayTimeoutMs: Infinity, service: new FixedService(1500, 100, 50) }],
    sources: [{ fn: 0, stream: arrivalsOf({ kind: 'constant', rate: 1 }, seededUniform(1)) }],
    accountConcurrency: 1000,
    idleTimeoutMs: 10_000,
    durationMs: 10_000,
    stageThrottle: null,
    seed: 1,
  }).functions[0]!;
  // Every call times out (1.5 s > 1 s), so each destroys its instance: the provisioned one serves the
  // first call only (it is not replaced in the window), every later call starts cold.
  assert.equal(r.invocations, 10);
  assert.equal(r.timeouts, 10);
  assert.equal(r.provisionedInvocations, 1);
  assert.equal(r.coldStarts.total, 9);
  assert.equal(r.latency.max, 1150);
  const warm = simulate({
    functions: [{ name: 'f', memoryMb: 1024, timeoutMs: 6000, reserved: null, provisioned: 0, frontEnd: 'direct', gatewayTimeoutMs: Infinity, service: new FixedService(100, 200) }],
    sources: [{ fn: 0, stream: new Replay(Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 40, 41, 42], (s) => s * 1000)) }],
    accountConcurrency: 1000,
    idleTimeoutMs: 20_000,
    durationMs: 60_000,
    stageThrottle: null,
    seed: 1,
  }).functions[0]!;
  // The gap from 10 s to 40 s is longer than the 20 s idle timeout: the instance retired, one more cold start.
  assert.equal(warm.coldStarts.total, 2);
  assert.equal(warm.onDemandBilledMs, warm.invocations * 100 + 2 * 200);
});

test('trace: CSV rows routed like the gateway, JSON lines by function name or route', async () => {
  const config = await loadServiceConfig(fixture('simulate', 'serverless.yml'), {});
  const csv = readTrace(fixture('simulate', 'trace.csv'), config, ['api', 'worker']);
  // GET /work is the httpApi route of api; /nowhere and POST /work match no route.
  assert.deepEqual([...csv.byFunction.get('api')!], [0, 500]);
  assert.equal(csv.byFunction.get('worker')!.length, 0);
  assert.equal(csv.unrouted, 2);
  const jsonl = readTrace(fixture('simulate', 'trace.jsonl'), config, ['api', 'worker']);
  assert.deepEqual([...jsonl.byFunction.get('worker')!], [0]);
  assert.deepEqual([...jsonl.byFunction.get('api')!], [1500, 3000]);
  assert.equal(jsonl.spanMs, 3000);
  assert.throws(() => readTrace(fixture('simulate', 'serverless.yml'), config, ['api']), { code: 'INVALID_ARGUMENT', message: /trace line 1: timestamp "service: sim"/ });
});

test('schedules are traffic: rate(5 minutes) fires 12 times an hour and keeps one instance warm', () => {
  const r = simulate({
    functions: [{ name: 'f', memoryMb: 1024, timeoutMs: 6000, reserved: null, provisioned: 0, frontEnd: 'direct', gatewayTimeoutMs: Infinity, service: new FixedService(10, 100) }],
    sources: [{ fn: 0, stream: new ScheduleFirings(parseScheduleExpression('rate(5 minutes)')) }],
    accountConcurrency: 1000,
    idleTimeoutMs: 360_000,
    durationMs: 3_600_000 + 1,
    stageThrottle: null,
    seed: 1,
  }).functions[0]!;
  assert.equal(r.invocations, 12);
  assert.equal(r.coldStarts.total, 1);
});

test('engine: stage throttle, gateway timeout and scaling rate', () => {
  const base = { memoryMb: 1024, reserved: null, provisioned: 0, gatewayTimeoutMs: 29_000 };
  // The stage's token bucket (rate 10/s, burst 5) in front of 20 req/s: about half get 429.
  const stage = simulate({
    functions: [{ ...base, name: 'f', timeoutMs: 6000, frontEnd: 'rest', service: new FixedService(10) }],
    sources: [{ fn: 0, stream: arrivalsOf({ kind: 'constant', rate: 20 }, seededUniform(1)) }],
    accountConcurrency: 1000,
    idleTimeoutMs: 60_000,
    durationMs: 60_000,
    stageThrottle: { rateLimit: 10, burstLimit: 5 },
    seed: 1,
  }).functions[0]!;
  assert.ok(Math.abs(stage.throttles.stage - 600) <= 10, `${stage.throttles.stage}`);
  assert.equal(stage.throttles.stage, stage.throttled.total);
  // A 35 s call behind the REST API: the caller gets the 29 s gateway timeout, the call runs on.
  const slow = simulate({
    functions: [{ ...base, name: 'f', timeoutMs: 60_000, frontEnd: 'rest', service: new FixedService(35_000) }],
    sources: [{ fn: 0, stream: arrivalsOf({ kind: 'constant', rate: 0.1 }, seededUniform(1)) }],
    accountConcurrency: 1000,
    idleTimeoutMs: 60_000,
    durationMs: 60_000,
    stageThrottle: null,
    seed: 1,
  }).functions[0]!;
  assert.equal(slow.gatewayTimeouts, slow.invocations);
  assert.equal(slow.latency.max, 29_000);
  assert.equal(slow.concurrency.max, 4); // 35 s calls every 10 s overlap four deep
  // 3,000 calls in the first second, each holding its instance for a minute: 1,000 start at once,
  // then 100 more per second as the scaling budget refills; the rest are throttled.
  const burst = simulate({
    functions: [{ ...base, name: 'f', timeoutMs: 900_000, frontEnd: 'direct', service: new FixedService(60_000) }],
    sources: [{ fn: 0, stream: arrivalsOf({ kind: 'steps', steps: [{ rate: 3000, atMs: 0 }, { rate: 0, atMs: 1000 }] }, seededUniform(1)) }],
    accountConcurrency: 100_000,
    idleTimeoutMs: 60_000,
    durationMs: 2000,
    stageThrottle: null,
    seed: 1,
  }).functions[0]!;
  assert.ok(burst.coldStarts.total >= 1000 && burst.coldStarts.total <= 1101, `${burst.coldStarts.total}`);
  assert.equal(burst.throttles.scaling, burst.requests.total - burst.coldStarts.total);
});

test('the completion heap pops in time order', () => {
  const heap = new EventHeap();
  const times: number[] = [];
  const uniform = seededUniform(5);
  for (let i = 0; i < 5000; i++) {
    const t = Math.floor(uniform() * 1e6);
    times.push(t);
    heap.push(t, i);
  }
  times.sort((a, b) => a - b);
  for (const t of times) {
    assert.equal(heap.peekTime(), t);
    heap.pop();
  }
  assert.equal(heap.size, 0);
  assert.equal(heap.peekTime(), Infinity);
});
