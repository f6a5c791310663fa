// The console's pure parts: percentile windows, the metrics fold, the origin rule, the history ring.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SampleWindow } from '../src/console/percentiles.js';
import { DURATION_WINDOW, MetricsCollector } from '../src/console/metrics.js';
import { hostnameOf, isAllowedOrigin } from '../src/console/origin.js';
import { HISTORY_MESSAGE_LIMIT, RecentEvents } from '../src/console/recent.js';
import { EventBus } from '../src/events/bus.js';
import { textFrames } from '../src/console/frames.js';
import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';

// The ws client's frame parser: exported by the package, though not in its type definitions.
const { Receiver } = createRequire(import.meta.url)('ws') as {
  Receiver: new (options: { isServer: boolean }) => Writable;
};
import type { LifecycleEvent } from '../src/types/events.js';

describe('console: SampleWindow', () => {
  test('nearest-rank percentiles of 1..100', () => {
    const w = new SampleWindow(1000);
    for (let i = 100; i >= 1; i--) w.add(i);
    assert.deepEqual(w.percentiles([50, 95, 99, 100] as const), { p50: 50, p95: 95, p99: 99, p100: 100 });
  });

  test('keeps only the most recent samples and ignores non-finite ones', () => {
    const w = new SampleWindow(3);
    for (const v of [1000, 1000, 1, 2, 3, Number.NaN, Infinity]) w.add(v);
    assert.equal(w.size, 3);
    assert.deepEqual(w.percentiles([50, 99] as const), { p50: 2, p99: 3 });
  });

  test('empty window gives nulls', () => {
    assert.deepEqual(new SampleWindow(4).percentiles([50] as const), { p50: null });
  });
});

describe('console: MetricsCollector', () => {
  const end = (fn: string, outcome: string, durationMs: number, cold = false) =>
    ({ type: 'invoke.end', time: 1, function: fn, instanceId: 'i', requestId: 'r', cold, durationMs, billedDurationMs: 1, maxMemoryUsedMb: 1, memorySizeMb: 128, outcome, report: '' }) as LifecycleEvent;
  const start = (fn: string) => ({ type: 'invoke.start', time: 1, function: fn, instanceId: 'i', requestId: 'r', cold: false, source: 'cli' }) as LifecycleEvent;

  test('folds events from the bus into CloudWatch-style counters', () => {
    const bus = new EventBus();
    const m = new MetricsCollector();
    const stop = m.follow(bus);
    bus.publish(start('a'));
    bus.publish(start('a'));
    assert.equal(m.report(['a']).functions.a!.concurrentExecutions, 2);
    bus.publish(end('a', 'success', 10, true));
    bus.publish(end('a', 'timeout', 30));
    bus.publish(start('a'));
    bus.publish(end('a', 'crash', 20));
    bus.publish({ type: 'invoke.throttled', time: 1, function: 'a', requestId: 'x', reason: 'ConcurrentInvocationLimitExceeded', source: 'gateway' });
    bus.publish({ type: 'instance.init.end', time: 1, function: 'a', instanceId: 'i', initDurationMs: 250, measuredMs: 1, modelledMs: 250, platformDelayMs: 0, packageBytes: 1 });
    stop();
    bus.publish(end('a', 'success', 1));
    const a = m.report(['a', 'idle']).functions;
    assert.deepEqual(a.a, {
      invocations: 3,
      coldStarts: 1,
      throttles: 1,
      timeouts: 1,
      errors: 2,
      concurrentExecutions: 0,
      peakConcurrentExecutions: 2,
      duration: { p50: 20, p95: 30, p99: 30 },
      initDuration: { p50: 250, p99: 250 },
    });
    assert.equal(a.idle!.invocations, 0);
    assert.deepEqual(a.idle!.duration, { p50: null, p95: null, p99: null });
  });

  test('memory is bounded: percentiles cover the last DURATION_WINDOW invocations', () => {
    const m = new MetricsCollector();
    for (let i = 0; i < DURATION_WINDOW; i++) m.record(end('a', 'success', 1000));
    for (let i = 0; i < DURATION_WINDOW; i++) m.record(end('a', 'success', 1));
    const a = m.report(['a']).functions.a!;
    assert.equal(a.invocations, 2 * DURATION_WINDOW);
    assert.deepEqual(a.duration, { p50: 1, p95: 1, p99: 1 });
  });
});

describe('console: origin rule', () => {
  test('no Origin (curl, SDKs, the ws package) is allowed', () => {
    assert.equal(isAllowedOrigin(undefined, '127.0.0.1:3000', '127.0.0.1'), true);
  });
  test('the page served by this server is allowed', () => {
    assert.equal(isAllowedOrigin('http://127.0.0.1:3000', '127.0.0.1:3000', '127.0.0.1'), true);
    assert.equal(isAllowedOrigin('http://localhost:3000', 'localhost:3000', '127.0.0.1'), true);
    assert.equal(isAllowedOrigin('http://[::1]:3000', '[::1]:3000', '::1'), true);
    assert.equal(isAllowedOrigin('http://devbox:3000', 'devbox:3000', 'devbox'), true);
  });
  test('another site, another port, or a rebound DNS name is refused', () => {
    assert.equal(isAllowedOrigin('http://evil.example', '127.0.0.1:3000', '127.0.0.1'), false);
    assert.equal(isAllowedOrigin('http://127.0.0.1:4000', '127.0.0.1:3000', '127.0.0.1'), false);
    assert.equal(isAllowedOrigin('https://127.0.0.1:3000', '127.0.0.1:3000', '127.0.0.1'), false);
    assert.equal(isAllowedOrigin('http://evil.example:3000', 'evil.example:3000', '127.0.0.1'), false);
    assert.equal(isAllowedOrigin('null', '127.0.0.1:3000', '127.0.0.1'), false);
    assert.equal(isAllowedOrigin('http://127.0.0.1:3000', undefined, '127.0.0.1'), false);
  });
  test('hostnameOf strips ports and IPv6 brackets', () => {
    assert.equal(hostnameOf('LocalHost:3000'), 'localhost');
    assert.equal(hostnameOf('[::1]:3000'), '::1');
    assert.equal(hostnameOf('example.test'), 'example.test');
  });
});

describe('console: RecentEvents', () => {
  test('keeps the last N events in order and truncates huge log lines', () => {
    const r = new RecentEvents(3);
    for (let i = 0; i < 5; i++) r.add({ type: 'log', time: i, function: 'f', level: 'INFO', message: `m${i}` });
    assert.deepEqual(
      r.list().map((e) => e.time),
      [2, 3, 4],
    );
    r.add({ type: 'log', time: 9, function: 'f', level: 'INFO', message: 'x'.repeat(HISTORY_MESSAGE_LIMIT * 4) });
    const last = r.list().at(-1)!;
    assert.ok(last.type === 'log' && last.message.length < HISTORY_MESSAGE_LIMIT + 32 && last.message.endsWith('[truncated]'));
  });
});

describe('console: textFrames', () => {
  test('the ws client parser reads back every text, at each header size and with multi-byte characters', async () => {
    // 125 and 126 bytes straddle the first header-size boundary, 65,535 and 65,536 the second.
    const texts = ['{}', 'é'.repeat(62) + 'x', 'a'.repeat(126), '€'.repeat(30), 'b'.repeat(65_535), 'c'.repeat(65_536), '{"m":"日本 🚀"}'];
    const received: string[] = [];
    const receiver = new Receiver({ isServer: false });
    receiver.on('message', (data: Buffer, isBinary: boolean) => {
      assert.equal(isBinary, false);
      received.push(data.toString('utf8'));
    });
    await new Promise<void>((resolve, reject) => receiver.write(textFrames(texts), (err?: Error | null) => (err ? reject(err) : resolve())));
    assert.deepEqual(received, texts);
  });
});
