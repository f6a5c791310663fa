// The event stream end to end: a real server, a real WebSocket client, invocations through the AWS SDK.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import WebSocket from 'ws';
import { TooManyRequestsException } from '@aws-sdk/client-lambda';
import { fixture, useColdstart } from './helpers/server.js';
import { invoke, lambdaClient } from './helpers/lambda.js';
import { connectEvents, type EventClient } from './helpers/events.js';
import { functionState } from './helpers/state.js';
import type {
  InitEndEvent,
  InitStartEvent,
  InstanceRetiredEvent,
  InvokeEndEvent,
  InvokeStartEvent,
  InvokeThrottledEvent,
  LifecycleEvent,
  LogEvent,
} from '../src/types/events.js';

const REPORT = /^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 1024 MB\tMax Memory Used: \d+ MB\t/;

describe('console: event stream', () => {
  let client: ReturnType<typeof lambdaClient>;
  let stream: EventClient;

  const cs = useColdstart(fixture('console', 'serverless.yml'), ['--cold-start', 'off', '--no-watch'], { cleanExit: true });

  before(async () => {
    client = lambdaClient(cs.url);
    stream = await connectEvents(cs.url);
  });
  after(async () => {
    await stream?.close();
    client?.destroy();
  });

  test('GET /__coldstart/health answers {"status":"ok"}', async () => {
    const res = await fetch(`${cs.url}/__coldstart/health`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  test('the first message is a snapshot of the state', () => {
    const s = stream.snapshot;
    assert.equal(s.type, 'snapshot');
    assert.equal(s.service, 'consoletest');
    assert.equal(s.stage, 'dev');
    assert.equal(s.settings.coldStart, 'off');
    assert.deepEqual(
      s.functions.map((f) => f.name),
      ['hello', 'sleepy', 'single', 'slow', 'failing', 'chatty'],
    );
    const single = functionState(s, 'single');
    assert.equal(single.reservedConcurrency, 1);
    assert.equal(single.codeVersion, 1);
    assert.deepEqual(single.instances, []);
    assert.equal(s.metrics.functions.hello!.invocations, 0);
    assert.ok(Array.isArray(s.recent));
  });

  test('a cold invocation streams init start, init end, invoke start, its log lines and invoke end, with every field', async () => {
    const before = Date.now();
    const r = await invoke(client, 'hello', { name: 'stream' });
    const requestId: string = r.payload.requestId;
    const end = await stream.waitFor<InvokeEndEvent>((e) => e.type === 'invoke.end' && e.requestId === requestId);
    const mine = stream.events.filter((e) => functionOf(e) === 'hello');
    const lifecycle = mine.filter((e) => e.type !== 'log');
    assert.deepEqual(
      lifecycle.map((e) => e.type),
      ['instance.init.start', 'instance.init.end', 'invoke.start', 'invoke.end'],
    );
    // The handler's own lines sit between its start and end, in the order it wrote them.
    const types = mine.map((e) => (e.type === 'log' ? `log:${e.message}` : e.type)).filter((t) => t !== 'log:module loaded');
    assert.deepEqual(types.slice(-4), ['invoke.start', 'log:hello stream #1', 'log:a warning line', 'invoke.end']);

    const initStart = lifecycle[0] as InitStartEvent;
    const instanceId = initStart.instanceId;
    assert.equal(typeof instanceId, 'string');
    assert.ok(instanceId.length > 0);
    assert.equal(initStart.initType, 'on-demand');
    assert.equal(initStart.codeVersion, 1);

    // What the module printed while loading is an init-phase line: no request id.
    const initLog = mine.find((e): e is LogEvent => e.type === 'log' && e.message === 'module loaded');
    assert.ok(initLog, 'the init-phase line was streamed');
    assert.equal(initLog.instanceId, instanceId);
    assert.equal(initLog.requestId, undefined, 'init-phase lines belong to no request');
    assert.equal(initLog.level, 'INFO');

    const initEnd = lifecycle[1] as InitEndEvent;
    assert.equal(initEnd.instanceId, instanceId);
    for (const key of ['initDurationMs', 'measuredMs', 'modelledMs', 'platformDelayMs', 'packageBytes'] as const) {
      assert.equal(typeof initEnd[key], 'number', key);
      assert.ok(initEnd[key] >= 0, key);
    }
    assert.ok(initEnd.packageBytes > 0);
    assert.equal(initEnd.error, undefined);

    const start = lifecycle[2] as InvokeStartEvent;
    assert.deepEqual(
      { requestId: start.requestId, instanceId: start.instanceId, cold: start.cold, source: start.source },
      { requestId, instanceId, cold: true, source: 'lambda-api' },
    );
    const [info, warn] = mine.filter((e): e is LogEvent => e.type === 'log' && e.requestId === requestId);
    assert.ok(info && warn);
    assert.deepEqual([info.level, info.requestId, info.instanceId], ['INFO', requestId, instanceId]);
    assert.deepEqual([warn.level, warn.requestId], ['WARN', requestId]);

    assert.equal(end.instanceId, instanceId);
    assert.equal(end.cold, true);
    assert.equal(end.outcome, 'success');
    assert.ok(end.durationMs >= 0);
    assert.equal(end.billedDurationMs, Math.ceil(end.durationMs + end.initDurationMs!), 'a cold on-demand invocation bills its init too');
    assert.equal(end.initDurationMs, initEnd.initDurationMs);
    assert.ok(end.maxMemoryUsedMb > 0);
    assert.equal(end.memorySizeMb, 1024);
    assert.match(end.report, REPORT);
    assert.ok(end.report.startsWith(`REPORT RequestId: ${requestId}\t`));
    assert.match(end.report, /Init Duration: \d+\.\d\d ms/);
    // The REPORT the SDK caller got in LogResult is the one the console shows.
    assert.ok(r.log.includes(end.report.trimEnd()), r.log);

    for (const e of mine) {
      assert.equal(functionOf(e), 'hello');
      assert.ok(e.time >= before - 1000 && e.time <= Date.now() + 1000, `${e.type} time ${e.time}`);
    }
    for (let i = 1; i < lifecycle.length; i++) assert.ok(lifecycle[i]!.time >= lifecycle[i - 1]!.time, 'lifecycle events arrive in time order');
  });

  test('a warm invocation has no init events and no Init Duration', async () => {
    const seen = stream.events.length;
    const r = await invoke(client, 'hello', { name: 'again' });
    const requestId: string = r.payload.requestId;
    const end = await stream.waitFor<InvokeEndEvent>((e) => e.type === 'invoke.end' && e.requestId === requestId);
    const mine = stream.events.slice(seen).filter((e) => functionOf(e) === 'hello');
    assert.ok(!mine.some((e) => e.type.startsWith('instance.')), JSON.stringify(mine));
    const start = mine.find((e): e is InvokeStartEvent => e.type === 'invoke.start')!;
    assert.equal(start.cold, false);
    assert.equal(end.cold, false);
    assert.equal(end.initDurationMs, undefined);
    assert.doesNotMatch(end.report, /Init Duration/);
  });

  test('a call over the reserved concurrency publishes invoke.throttled with reason and source', async () => {
    const busy = invoke(client, 'single', { ms: 1500 });
    await stream.waitFor((e) => e.type === 'invoke.start' && e.function === 'single');
    await assert.rejects(invoke(client, 'single', { ms: 10 }), (err: unknown) => err instanceof TooManyRequestsException);
    const throttled = await stream.waitFor<InvokeThrottledEvent>((e) => e.type === 'invoke.throttled' && e.function === 'single');
    assert.equal(throttled.reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
    assert.equal(throttled.source, 'lambda-api');
    assert.match(throttled.requestId, /^[0-9a-f-]{36}$/);
    await busy;
  });

  test('a timeout ends the invocation with outcome timeout and retires its instance', async () => {
    const r = await invoke(client, 'slow', { ms: 4000 });
    assert.equal(r.functionError, 'Unhandled');
    const end = await stream.waitFor<InvokeEndEvent>((e) => e.type === 'invoke.end' && e.function === 'slow');
    assert.equal(end.outcome, 'timeout');
    assert.match(end.report, /Status: timeout/);
    assert.ok(end.durationMs >= 1000 && end.durationMs < 2000, String(end.durationMs));
    const retired = await stream.waitFor<InstanceRetiredEvent>((e) => e.type === 'instance.retired' && e.function === 'slow');
    assert.equal(retired.instanceId, end.instanceId);
    assert.equal(retired.reason, 'timeout');
  });

  test('a WebSocket from another origin is refused with 403; this server\'s origin is accepted', async () => {
    const url = `${cs.url.replace(/^http/, 'ws')}/__coldstart/events`;
    const refused = await upgradeStatus(url, { Origin: 'http://evil.example' });
    assert.equal(refused, 403);
    // DNS rebinding: a hostile name re-pointed at 127.0.0.1 sends a matching Host and Origin.
    const rebound = await upgradeStatus(url, { Origin: `http://attacker.example:${cs.port}`, Host: `attacker.example:${cs.port}` });
    assert.equal(rebound, 403);
    const own = await connectEvents(cs.url, { Origin: cs.url });
    assert.equal(own.snapshot.type, 'snapshot');
    await own.close();
    const local = await connectEvents(cs.url, { Origin: `http://localhost:${cs.port}`, Host: `localhost:${cs.port}` });
    assert.equal(local.snapshot.type, 'snapshot');
    await local.close();
  });

  test('the events path answers a plain GET with 426 instead of falling through to the gateway', async () => {
    const res = await fetch(`${cs.url}/__coldstart/events`);
    assert.equal(res.status, 426);
  });

  test('a client that stops reading is disconnected with a terminal line; others keep streaming', async () => {
    // A raw socket that completes the handshake and then never reads again.
    const raw = net.connect(cs.port, '127.0.0.1');
    await once(raw, 'connect');
    raw.write(
      `GET /__coldstart/events HTTP/1.1\r\nHost: 127.0.0.1:${cs.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    const [first] = (await once(raw, 'data')) as [Buffer];
    assert.match(first.toString('latin1'), /^HTTP\/1\.1 101 /);
    raw.pause();
    const closed = new Promise<void>((resolve) => raw.once('close', () => resolve()));
    raw.on('error', () => undefined);

    const watcher = await connectEvents(cs.url);
    let dropped = false;
    cs.waitForLine(/console: disconnected a WebSocket client/, 120_000).then(
      () => (dropped = true),
      () => undefined,
    );
    // 1 MB of log events per invocation, until the server gives up on the stalled client.
    for (let i = 0; i < 60 && !dropped; i++) await invoke(client, 'chatty', { kb: 256, lines: 4 });
    assert.ok(dropped, 'the stalled client was never dropped');
    const line = await cs.waitForLine(/console: disconnected a WebSocket client/);
    assert.match(line, /more than 4 MB/);
    assert.match(line, /1013/);

    // The well-behaved client saw every invocation, and new ones still arrive.
    const r = await invoke(client, 'hello', { name: 'after-drop' });
    await watcher.waitFor((e) => e.type === 'invoke.end' && e.requestId === r.payload.requestId);
    await watcher.close();
    raw.resume();
    await closed;
  });
});

/** The short function name an event is about, if any. */
function functionOf(e: LifecycleEvent): string | undefined {
  return (e as { function?: string }).function;
}

/** Status code of a refused upgrade, or 101 when it succeeded. */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('unexpected-response', (req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      req.destroy();
    });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('error', (err) => {
      if (!/Unexpected server response/.test(String(err))) reject(err);
    });
  });
}
