// The cold-start model, through the functions the runtime calls, against the worked examples of lambda-facts.md section C4.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MODEL } from '../src/model/defaults.js';
import { drawSpread, initCpuFactor, invokeCpuFactor, spreadInitDurationMs, invokeDurationMs, platformDelayMs, billedDurationMs } from '../src/model/cold-start.js';
import { seededUniform } from '../src/model/random.js';

// The worked examples use the 138 ms runtime base of lambda-perf's nodejs22 zip x86 median.
const C4 = { ...DEFAULT_MODEL, runtimeBaseMs: 138 };
const MB = 1024 * 1024;

test('C4: trivial handler, 1 KB, 128 MB, on-demand: Init 138 ms + 120 ms platform', () => {
  assert.equal(spreadInitDurationMs(C4, 128, 'on-demand', { cpuMs: 0, wallMs: 0 }, 1), 138);
  const platform = platformDelayMs(C4, 1024, false);
  assert.ok(Math.abs(platform - 120) < 0.01, String(platform));
});

test('C4: 3.4 MB bundle with 900 ms of local init CPU: Init about 1.49 s, platform about 127 ms', () => {
  const init = spreadInitDurationMs(C4, 1024, 'on-demand', { cpuMs: 900, wallMs: 900 }, 1);
  assert.equal(init, 138 + 1350);
  const platform = platformDelayMs(C4, 3.4 * MB, false);
  assert.ok(Math.abs(platform - 126.8) < 0.01, String(platform));
});

test('C4: the same init at 128 MB under provisioned concurrency is throttled to about 18.8 s', () => {
  const init = spreadInitDurationMs(C4, 128, 'provisioned-concurrency', { cpuMs: 900, wallMs: 900 }, 1);
  assert.ok(Math.abs(init - (138 + 1350 * (1769 / 128))) < 1e-6);
  assert.ok(init > 18_700 && init < 18_900, String(init));
});

test('C4: 35 MB of eagerly required dependencies: Init about 3.6 s, platform about 190 ms', () => {
  // The example's 3500 ms is already Lambda time (the static fallback of ~100 ms per MB): local CPU = 3500 / k_cpu.
  const local = 3500 / C4.cpuSlowdown;
  const init = spreadInitDurationMs(C4, 1024, 'on-demand', { cpuMs: local, wallMs: local }, 1);
  assert.ok(Math.abs(init - 3638) < 1e-6, String(init));
  assert.ok(Math.abs(platformDelayMs(C4, 35 * MB, false) - 190) < 1e-9);
});

test('on-demand init factor: 1.0 below 2048 MB, 0.87 at and above', () => {
  assert.equal(initCpuFactor(DEFAULT_MODEL, 128, 'on-demand'), 1);
  assert.equal(initCpuFactor(DEFAULT_MODEL, 2047, 'on-demand'), 1);
  assert.equal(initCpuFactor(DEFAULT_MODEL, 2048, 'on-demand'), 0.87);
  assert.equal(initCpuFactor(DEFAULT_MODEL, 512, 'suppressed'), 1769 / 512);
});

test('non-CPU init time is replayed as measured, not scaled', () => {
  const init = spreadInitDurationMs(C4, 128, 'on-demand', { cpuMs: 10, wallMs: 210 }, 1);
  assert.equal(init, 138 + 15 + 200);
});

test('the spread scales the modelled part of Init Duration, never the replayed waiting time', () => {
  const m = { cpuMs: 10, wallMs: 210 };
  assert.equal(spreadInitDurationMs(C4, 128, 'on-demand', m, 2), (138 + 15) * 2 + 200);
  assert.equal(spreadInitDurationMs(C4, 128, 'on-demand', m, 0.5), (138 + 15) * 0.5 + 200);
});

test('time spent waiting for a CPU of this machine is not the function\'s: it is left out', () => {
  // 100 ms on the CPU, 50 ms asleep on a timer, 250 ms runnable behind other threads here.
  const m = { cpuMs: 100, wallMs: 400, queuedMs: 250 };
  assert.equal(invokeDurationMs(DEFAULT_MODEL, 1769, m), 150 + 50);
  assert.equal(invokeDurationMs(DEFAULT_MODEL, 1769, { cpuMs: 100, wallMs: 400 }), 150 + 300);
});

test('invoke phase: CPU-bound work at 128 MB is about 14 times slower than at 1769 MB', () => {
  const m = { cpuMs: 100, wallMs: 100 };
  const ratio = invokeDurationMs(DEFAULT_MODEL, 128, m) / invokeDurationMs(DEFAULT_MODEL, 1769, m);
  assert.ok(Math.abs(ratio - 1769 / 128) < 1e-9, String(ratio));
  assert.equal(invokeCpuFactor(DEFAULT_MODEL, 3008), 1);
  assert.equal(invokeDurationMs(DEFAULT_MODEL, 1769, m), 150);
});

test('VPC adds its platform cost', () => {
  assert.equal(platformDelayMs(DEFAULT_MODEL, 0, true) - platformDelayMs(DEFAULT_MODEL, 0, false), DEFAULT_MODEL.vpcMs);
});

test('the spread is seeded: the same seed gives the same draws, centred near 1', () => {
  const a = seededUniform(42);
  const b = seededUniform(42);
  const da = Array.from({ length: 2000 }, () => drawSpread(DEFAULT_MODEL, a));
  const db = Array.from({ length: 2000 }, () => drawSpread(DEFAULT_MODEL, b));
  assert.deepEqual(da, db);
  const sorted = [...da].sort((x, y) => x - y);
  const median = sorted[1000]!;
  assert.ok(median > 0.95 && median < 1.05, `median ${median}`);
  const p99 = sorted[1980]!;
  assert.ok(p99 > 1.3, `a slow tail exists (p99 ${p99})`);
  const noSpread = seededUniform(1);
  assert.equal(drawSpread({ ...DEFAULT_MODEL, jitterSigma: 0, tailProbability: 0 }, noSpread), 1);
});

test('billed duration rounds up to the millisecond', () => {
  assert.equal(billedDurationMs(12.34), 13);
  assert.equal(billedDurationMs(12), 12);
  assert.equal(billedDurationMs(0.2), 1);
});

test('billed duration of a cold on-demand invocation includes Init Duration; provisioned ones bill Duration alone', () => {
  assert.equal(billedDurationMs(12.34, 412.07), 425);
  assert.equal(billedDurationMs(12.34, 412.07, 'on-demand'), 425);
  assert.equal(billedDurationMs(12.34, 412.07, 'provisioned-concurrency'), 13);
  assert.equal(billedDurationMs(12.34, undefined, 'on-demand'), 13);
});
