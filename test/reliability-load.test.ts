// Reliability under load: 5,000 mixed invocations (successes, errors, timeouts, crashes, OOMs,
// throttles) through the REST API, the HTTP API and the Lambda API at 50 concurrent keep-alive
// connections. Every request must get exactly one answer with the status API Gateway / Lambda
// would send; /__coldstart/metrics must count what the client saw; once the instances retire,
// the server's native memory, heap, thread count and event-loop resources must be back where
// they started, and SIGTERM must end it promptly with exit code 0.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import { before, describe, test } from 'node:test';
import { fixture, useColdstart, type RunningColdstart } from './helpers/server.js';
import { eventually, settle } from './helpers/eventually.js';
import { getState, type Metrics } from './helpers/state.js';

const FUNCTIONS = ['ok', 'error', 'timeout', 'crash', 'oom', 'throttled'] as const;
type Fn = (typeof FUNCTIONS)[number];
const SURFACES = ['lambda', 'rest', 'httpApi'] as const;
type Surface = (typeof SURFACES)[number];

const TOTAL = 5000;
const CONNECTIONS = 50;
/**
 * How many of the 5,000 calls go to each function. Timeouts, crashes and OOMs each destroy their
 * instance (a new worker thread for the next call; crashes are the cheapest way to make many), a
 * timeout holds its connection for 1 s and an OOM burns ~0.5 s of CPU filling 128 MB, so they
 * stay a small share to keep the run well inside a minute on 2 cores.
 */
const MIX: Record<Fn, number> = { ok: 2200, error: 1200, throttled: 1200, crash: 300, timeout: 70, oom: 30 };
/**
 * Native memory (RSS outside the main V8 heap) may end this much above the baseline. The V8
 * heap's own size is V8's choice (under load it keeps its young generation at full size, up to
 * ~40 MB more than an idle heap it has shrunk), so what the heap holds is bounded by
 * HEAP_SLACK_MB on its used size instead.
 */
const NATIVE_SLACK_MB = 50;
/** The main heap, after a full GC, may end this much above the baseline (bounded windows fill up: measured +1 MB). */
const HEAP_SLACK_MB = 10;
/** The warm-up runs this share of the mix first, at the same concurrency (see `before`). */
const WARM_SHARE = 0.2;
/**
 * Threads may end this many above the baseline: V8 may keep an extra platform/GC helper thread
 * it started under load; a leaked instance would leave at least one worker thread per instance,
 * and there are hundreds of instances in a run.
 */
const THREAD_SLACK = 2;

/** Status each surface answers for each function (SPEC 4.1 and 4.2). */
const EXPECTED_STATUS: Record<Surface, Record<Fn, number>> = {
  lambda: { ok: 200, error: 200, timeout: 200, crash: 200, oom: 200, throttled: 429 },
  rest: { ok: 200, error: 502, timeout: 502, crash: 502, oom: 502, throttled: 500 },
  httpApi: { ok: 200, error: 500, timeout: 500, crash: 500, oom: 500, throttled: 500 },
};

/** One call the client makes. */
interface Call {
  id: number;
  fn: Fn;
  surface: Surface;
}

/** One answer as the client received it. */
interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Client-side tallies per function, in the metrics' own terms. */
interface Tally {
  invocations: number;
  errors: number;
  timeouts: number;
  throttles: number;
}

/** A deterministic shuffle (mulberry32), so a failing run can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The calls of a run: the mix (scaled by `share`) shuffled, surfaces in turn so each function meets all three. */
function plan(share: number, seed: number, firstId: number): Call[] {
  const fns: Fn[] = [];
  for (const fn of FUNCTIONS) for (let i = 0; i < Math.round(MIX[fn] * share); i++) fns.push(fn);
  return shuffled(fns, seed).map((fn, i) => ({ id: firstId + i, fn, surface: SURFACES[i % SURFACES.length]! }));
}

/** Checks one answer against what its call must get; returns a description of the mismatch. */
function mismatch(call: Call, a: Answer): string | null {
  const want = EXPECTED_STATUS[call.surface][call.fn];
  if (a.status !== want) return `status ${a.status}, expected ${want}; body ${a.body.slice(0, 200)}`;
  const json = (): any => JSON.parse(a.body);
  if (call.surface === 'lambda') {
    const fnError = a.headers['x-amz-function-error'];
    switch (call.fn) {
      case 'ok': {
        if (fnError !== undefined) return `unexpected X-Amz-Function-Error ${fnError}`;
        const inner = JSON.parse(json().body);
        return inner.id === call.id ? null : `answer for id ${inner.id}`;
      }
      case 'throttled':
        if (a.headers['x-amzn-errortype'] !== 'TooManyRequestsException') return `error type ${a.headers['x-amzn-errortype']}`;
        return json().Reason === 'ReservedFunctionConcurrentInvocationLimitExceeded' ? null : `reason ${json().Reason}`;
      default: {
        if (fnError !== 'Unhandled') return `X-Amz-Function-Error ${fnError}`;
        const p = json();
        const ok =
          (call.fn === 'error' && p.errorMessage === 'reliability: handler error') ||
          (call.fn === 'timeout' && /Task timed out after 1\.00 seconds/.test(p.errorMessage)) ||
          (call.fn === 'crash' && p.errorType === 'Runtime.ExitError') ||
          (call.fn === 'oom' && p.errorType === 'Runtime.OutOfMemory');
        return ok ? null : `payload ${a.body.slice(0, 200)}`;
      }
    }
  }
  if (call.fn === 'ok') return json().id === String(call.id) ? null : `answer for id ${json().id}`;
  const body = call.surface === 'rest' ? '{"message": "Internal server error"}' : '{"message":"Internal Server Error"}';
  return a.body === body ? null : `body ${a.body}`;
}

/** Sends one call over the shared keep-alive agent; `onResponse` counts response events. */
function send(agent: http.Agent, port: number, call: Call, onResponse: () => void): Promise<Answer> {
  const lambda = call.surface === 'lambda';
  const path = lambda
    ? `/2015-03-31/functions/${call.fn}/invocations`
    : `${call.surface === 'rest' ? '/dev' : ''}/${call.fn}?id=${call.id}`;
  const body = lambda ? JSON.stringify({ id: call.id }) : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        agent,
        method: lambda ? 'POST' : 'GET',
        headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {},
      },
      (res) => {
        onResponse();
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    // Far beyond any expected answer (the slowest is a 1 s timeout or an OOM): a hang is a failure.
    req.setTimeout(60_000, () => req.destroy(new Error(`no answer within 60 s for ${call.surface} ${call.fn} #${call.id}`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** What a run of calls came to. */
interface RunResult {
  /** One line per call whose answer was wrong or missing. */
  failures: string[];
  /** Response events per call (index = position in the run). */
  responses: number[];
  seconds: number;
}

/** Drives `calls` through `connections` keep-alive connections, one call at a time on each. */
async function drive(port: number, calls: Call[], onRight: (call: Call) => void): Promise<RunResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const responses = new Array<number>(calls.length).fill(0);
  const failures: string[] = [];
  let next = 0;
  const started = Date.now();
  const connection = async () => {
    while (next < calls.length) {
      const index = next++;
      const call = calls[index]!;
      try {
        const answer = await send(agent, port, call, () => responses[index]!++);
        const wrong = mismatch(call, answer);
        if (wrong) failures.push(`${call.surface} ${call.fn} #${call.id}: ${wrong}`);
        else onRight(call);
      } catch (err) {
        failures.push(`${call.surface} ${call.fn} #${call.id}: ${(err as Error).message}`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: CONNECTIONS }, connection));
  } finally {
    agent.destroy();
  }
  return { failures, responses, seconds: (Date.now() - started) / 1000 };
}

/** The server process's resident set, MB. */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(m, 'VmRSS in /proc status');
  return Number(m[1]) / 1024;
}

/** The server process's thread count. */
function threads(pid: number): number {
  return readdirSync(`/proc/${pid}/task`).length;
}

/** GET without keep-alive, so the probe's socket does not linger among the server's resources. */
function getJson<T>(port: number, path: string): Promise<T> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(new Error(`${path}: ${res.statusCode}`));
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        });
      })
      .on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls /__coldstart/state until no function has an instance left. */
async function waitForNoInstances(server: RunningColdstart, timeoutMs = 30_000): Promise<void> {
  await eventually(async () => (await getState(server.url)).functions.every((f) => f.instances.length === 0), timeoutMs, 'every instance retired', 250);
}

/** What the preloaded probe (fixtures/reliability/active-resources.mjs) reports. */
interface Probe {
  resources: Record<string, number>;
  memory: Record<string, number>;
}

/** Asks the probe for its `nth` report (it collects garbage first). */
async function probe(server: RunningColdstart, nth: number): Promise<Probe> {
  server.child.kill('SIGUSR2');
  const line = await server.waitForLine(new RegExp(`^reliability-resources #${nth} `), 10_000);
  return JSON.parse(line.replace(/^reliability-resources #\d+ /, ''));
}

/** The server's memory and threads at one moment, read after a probe's garbage collection. */
interface Footprint {
  rssMb: number;
  /** RSS minus the main V8 heap's committed size: what the allocator and native code hold. */
  nativeMb: number;
  threads: number;
}

/** Reads RSS and threads once V8 has handed back what the probe's collection freed. */
async function footprint(pid: number, probed: Probe): Promise<Footprint> {
  // V8 unmaps the pages a collection freed on a background thread, shortly after the collection.
  await sleep(1000);
  const rss = rssMb(pid);
  return { rssMb: rss, nativeMb: rss - probed.memory['heapTotal']!, threads: threads(pid) };
}

describe('reliability: 5,000 mixed invocations at 50 concurrent connections', { skip: process.platform !== 'linux' && 'reads /proc' }, () => {
  let pid = 0;
  let probes = 0;
  const tally = new Map<Fn, Tally>(FUNCTIONS.map((f) => [f, { invocations: 0, errors: 0, timeouts: 0, throttles: 0 }]));
  const baseline = { footprint: { rssMb: 0, nativeMb: 0, threads: 0 } as Footprint, probe: { resources: {}, memory: {} } as Probe };

  /** Counts a call the server answered as expected, in the terms /__coldstart/metrics uses. */
  const count = (call: Call) => {
    const t = tally.get(call.fn)!;
    if (call.fn === 'throttled') return void t.throttles++;
    t.invocations++;
    if (call.fn !== 'ok') t.errors++;
    if (call.fn === 'timeout') t.timeouts++;
  };

  const server = useColdstart(fixture('reliability', 'serverless.yml'), ['--cold-start', 'off', '--no-watch', '--idle-timeout', '2', '--gateway-timeout', '300'], {
    env: { NODE_OPTIONS: `--expose-gc --import=${fixture('reliability', 'active-resources.mjs')}` },
  });

  before(async () => {
    pid = server.child.pid!;
    // Warm-up: a fifth of the mix at the same 50 connections. Besides loading modules and the
    // libuv pool, it takes the server to the run's peak of simultaneous worker threads: glibc
    // keeps the malloc arenas of that first peak (plain node Workers, without coldstart, show
    // the same +60 MB once and then stay flat), so the baseline is taken after it (measured
    // native growth over the run: +2..14 MB). The run creates some 550 instances, so native
    // memory kept at ~100 KB per instance breaks the native bound (150 KB per instance, tried:
    // +85 MB); JS objects kept per call, the heap bound.
    const warm = await drive(server.port, plan(WARM_SHARE, 1, -100_000), count);
    assert.deepEqual(warm.failures.slice(0, 20), [], `${warm.failures.length} warm-up calls went wrong`);
    await waitForNoInstances(server);
    // The last retired instance's channel may still be closing when the state shows no instance.
    // One probe only: each collects garbage, and back-to-back collections shrink the heap (by
    // 30 MB of RSS once), which the single probe after the load would not match.
    await sleep(1000);
    baseline.probe = await probe(server, ++probes);
    baseline.footprint = await footprint(pid, baseline.probe);
  });

  test('every request is answered exactly once with the right status and body', async () => {
    const calls = plan(1, 8, 0);
    assert.equal(calls.length, TOTAL);
    const run = await drive(server.port, calls, count);
    assert.deepEqual(run.failures.slice(0, 20), [], `${run.failures.length} of ${TOTAL} calls went wrong`);
    const notOnce = run.responses.flatMap((n, i) => (n === 1 ? [] : [`#${calls[i]!.id}: ${n} responses`]));
    assert.deepEqual(notOnce, []);
    assert.equal(server.child.exitCode, null, 'the server is still running');
    process.stdout.write(`# ${TOTAL} calls at ${CONNECTIONS} connections in ${run.seconds.toFixed(1)} s\n`);
  });

  test('/__coldstart/metrics counts exactly what the client saw', async () => {
    const report = await getJson<Metrics>(server.port, '/__coldstart/metrics');
    for (const fn of FUNCTIONS) {
      const m = report.functions[fn];
      assert.ok(m, `metrics of ${fn}`);
      const { invocations, errors, timeouts, throttles } = m;
      assert.deepEqual({ invocations, errors, timeouts, throttles }, tally.get(fn), `metrics of ${fn}`);
      assert.equal(m.concurrentExecutions, 0, `${fn} has nothing running`);
    }
    // The tallies hold every call of the warm-up and the run (a wrong answer fails the test above).
    assert.equal(tally.get('ok')!.invocations, MIX.ok + Math.round(MIX.ok * WARM_SHARE));
  });

  test('after the instances retire, native memory, heap, threads and event-loop resources are back at the baseline', async () => {
    await waitForNoInstances(server);
    // A server-side socket of the last request may still be closing: ask again for a few seconds;
    // a leaked timer or handle stays in the list however long we wait.
    const after = await settle(() => probe(server, ++probes), (p) => JSON.stringify(p.resources) === JSON.stringify(baseline.probe.resources), 5_000, 500);
    const now = await footprint(pid, after);
    const was = baseline.footprint;
    process.stdout.write(
      `# RSS ${was.rssMb.toFixed(1)} -> ${now.rssMb.toFixed(1)} MB (native ${was.nativeMb.toFixed(1)} -> ${now.nativeMb.toFixed(1)} MB); ` +
        `threads ${was.threads} -> ${now.threads}; probe ${JSON.stringify(baseline.probe)} -> ${JSON.stringify(after)}\n`,
    );
    assert.ok(now.nativeMb - was.nativeMb < NATIVE_SLACK_MB, `native memory (RSS outside the V8 heap) grew from ${was.nativeMb.toFixed(1)} to ${now.nativeMb.toFixed(1)} MB`);
    assert.ok(now.threads <= was.threads + THREAD_SLACK, `threads grew from ${was.threads} to ${now.threads}`);
    // After a full GC the main heap holds what the server keeps: anything retained per invocation
    // (over ~2 KB each for 5,000 calls) would show here, whatever the allocator does with RSS.
    const heapGrowth = after.memory['heapUsed']! - baseline.probe.memory['heapUsed']!;
    assert.ok(heapGrowth < HEAP_SLACK_MB, `heap used grew by ${heapGrowth} MB`);
    // Timers, sockets, worker handles: exactly the set the idle server had before the load.
    assert.deepEqual(after.resources, baseline.probe.resources);
  });

  test('SIGTERM ends the idle server promptly with exit code 0', async () => {
    const started = Date.now();
    const code = await Promise.race([server.stop(), sleep(5000).then(() => 'still running after 5 s')]);
    assert.equal(code, 0);
    assert.ok(Date.now() - started < 5000);
  });
});
