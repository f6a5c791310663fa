// State and metrics after a known workload: every count, and percentiles recomputed from the event stream.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TooManyRequestsException } from '@aws-sdk/client-lambda';
import { fixture, useColdstart } from './helpers/server.js';
import { invoke, lambdaClient } from './helpers/lambda.js';
import { connectEvents, type EventClient } from './helpers/events.js';
import type { InitEndEvent, InvokeEndEvent } from '../src/types/events.js';
import { functionState, getMetrics, getState, type Metrics, type State } from './helpers/state.js';

describe('console: state and metrics after a known workload', () => {
  let client: ReturnType<typeof lambdaClient>;
  let stream: EventClient;
  let metrics: Metrics;
  let state: State;
  let concurrentWhileBusy: number;
  /** From the first sleepy call's start to the moment all five were told to return. */
  let sleepySpanMs: number;

  const cs = useColdstart(fixture('console', 'serverless.yml'), ['--cold-start', 'off', '--no-watch'], { cleanExit: true });

  before(async () => {
    client = lambdaClient(cs.url);
    stream = await connectEvents(cs.url);

    // sleepy: 5 overlapping calls -> 5 instances, 5 cold starts, peak concurrency 5. They overlap
    // by construction: each waits for a file written once all five have started (or for 5 s).
    const flagDir = await mkdtemp(path.join(os.tmpdir(), 'coldstart-metrics-'));
    const until = path.join(flagDir, 'all-started');
    const sleepers = Promise.all([1, 2, 3, 4, 5].map(() => invoke(client, 'sleepy', { ms: 5000, until })));
    await stream.waitFor(() => stream.events.filter((e) => e.type === 'invoke.start' && e.function === 'sleepy').length === 5);
    const firstStart = stream.events.find((e) => e.type === 'invoke.start' && e.function === 'sleepy')!.time;
    await writeFile(until, '');
    sleepySpanMs = Date.now() - firstStart;
    await sleepers;
    await rm(flagDir, { recursive: true, force: true });
    // hello: 3 in a row on one instance -> 1 cold, 2 warm.
    for (let i = 0; i < 3; i++) await invoke(client, 'hello');
    // failing: 2 function errors.
    for (let i = 0; i < 2; i++) assert.equal((await invoke(client, 'failing')).functionError, 'Unhandled');
    // slow: 1 timeout (an error too, as CloudWatch counts it); its instance is destroyed.
    assert.equal((await invoke(client, 'slow', { ms: 3000 })).functionError, 'Unhandled');
    // single (reserved 1): one long call, two refused while it runs.
    const busy = invoke(client, 'single', { ms: 1500 });
    await stream.waitFor((e) => e.type === 'invoke.start' && e.function === 'single');
    concurrentWhileBusy = (await getMetrics(cs.url)).functions.single!.concurrentExecutions;
    for (let i = 0; i < 2; i++) {
      await assert.rejects(invoke(client, 'single', { ms: 1 }), (e: unknown) => e instanceof TooManyRequestsException);
    }
    await busy;
    await stream.waitFor((e) => e.type === 'invoke.end' && e.function === 'single');

    metrics = await getMetrics(cs.url);
    state = await getState(cs.url);
  });
  after(async () => {
    await stream?.close();
    client?.destroy();
  });

  test('counts per function add up', () => {
    const m = metrics.functions;
    const counts = (name: string) => {
      const f = m[name];
      return {
        invocations: f.invocations,
        coldStarts: f.coldStarts,
        throttles: f.throttles,
        timeouts: f.timeouts,
        errors: f.errors,
        concurrentExecutions: f.concurrentExecutions,
        peakConcurrentExecutions: f.peakConcurrentExecutions,
      };
    };
    assert.deepEqual(counts('sleepy'), { invocations: 5, coldStarts: 5, throttles: 0, timeouts: 0, errors: 0, concurrentExecutions: 0, peakConcurrentExecutions: 5 });
    assert.deepEqual(counts('hello'), { invocations: 3, coldStarts: 1, throttles: 0, timeouts: 0, errors: 0, concurrentExecutions: 0, peakConcurrentExecutions: 1 });
    assert.deepEqual(counts('failing'), { invocations: 2, coldStarts: 1, throttles: 0, timeouts: 0, errors: 2, concurrentExecutions: 0, peakConcurrentExecutions: 1 });
    assert.deepEqual(counts('slow'), { invocations: 1, coldStarts: 1, throttles: 0, timeouts: 1, errors: 1, concurrentExecutions: 0, peakConcurrentExecutions: 1 });
    assert.deepEqual(counts('single'), { invocations: 1, coldStarts: 1, throttles: 2, timeouts: 0, errors: 0, concurrentExecutions: 0, peakConcurrentExecutions: 1 });
    assert.deepEqual(counts('chatty'), { invocations: 0, coldStarts: 0, throttles: 0, timeouts: 0, errors: 0, concurrentExecutions: 0, peakConcurrentExecutions: 0 });
    assert.equal(concurrentWhileBusy, 1, 'concurrentExecutions counts the call in flight');
  });

  test('duration and init percentiles are the nearest-rank percentiles of the streamed events', () => {
    for (const name of ['sleepy', 'hello', 'failing', 'slow', 'single']) {
      const durations = stream.events.filter((e): e is InvokeEndEvent => e.type === 'invoke.end' && e.function === name).map((e) => e.durationMs);
      const inits = stream.events.filter((e): e is InitEndEvent => e.type === 'instance.init.end' && e.function === name).map((e) => e.initDurationMs);
      const m = metrics.functions[name]!;
      assert.deepEqual(m.duration, { p50: rank(durations, 50), p95: rank(durations, 95), p99: rank(durations, 99) }, name);
      assert.deepEqual(m.initDuration, { p50: rank(inits, 50), p99: rank(inits, 99) }, name);
    }
    const sleepy = metrics.functions.sleepy!.duration;
    assert.ok(sleepy.p50 !== null && sleepy.p95 !== null && sleepy.p99 !== null);
    // The first call waited for the other four: the slowest Duration covers that wait.
    assert.ok(sleepy.p99 >= sleepySpanMs - 50 && sleepy.p50 <= sleepy.p95 && sleepy.p95 <= sleepy.p99, `${JSON.stringify(sleepy)}, span ${sleepySpanMs} ms`);
    assert.deepEqual(metrics.functions.chatty!.duration, { p50: null, p95: null, p99: null });
  });

  test('state lists each function with settings, code version and instances', () => {
    assert.equal(state.service, 'consoletest');
    assert.equal(state.settings.coldStart, 'off');
    assert.equal(typeof state.settings.accountConcurrency, 'number');
    const fn = (name: string) => functionState(state, name);
    assert.equal(fn('slow').timeout, 1);
    assert.equal(fn('single').reservedConcurrency, 1);
    assert.equal(fn('hello').codeVersion, 1);
    assert.equal(fn('hello').memorySize, 1024);

    const sleepy = fn('sleepy').instances;
    assert.equal(sleepy.length, 5);
    for (const i of sleepy) {
      assert.equal(i.state, 'idle');
      assert.equal(i.initType, 'on-demand');
      assert.equal(i.invocations, 1);
      assert.ok(i.lastUsed >= i.createdAt, JSON.stringify(i));
    }
    assert.equal(new Set(sleepy.map((i) => i.id)).size, 5);
    // The timed-out instance was destroyed; every other call is on a live instance.
    assert.deepEqual(fn('slow').instances, []);
    for (const name of ['sleepy', 'hello', 'failing', 'single']) {
      const total = fn(name).instances.reduce((sum, i) => sum + i.invocations, 0);
      assert.equal(total, metrics.functions[name]!.invocations, name);
    }
    const hello = fn('hello').instances[0]!;
    const lastEnd = stream.events.filter((e): e is InvokeEndEvent => e.type === 'invoke.end' && e.function === 'hello').at(-1)!;
    assert.ok(Math.abs(hello.lastUsed - lastEnd.time) < 1000, `lastUsed ${hello.lastUsed} vs last end ${lastEnd.time}`);
  });
});

/** Nearest-rank percentile, rounded to two decimals (null when there are no samples). */
function rank(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const v = sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
  return Math.round(v * 100) / 100;
}
