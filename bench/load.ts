// A small closed-loop load generator over keep-alive loopback connections: N connections, each
// sending its next request when the previous answer arrived. Bounded in count and time. It runs in
// a process of its own, as every real client does: a client inside the server's process would share
// its event loop, which favours an in-process handler over one on a worker thread.
import { execFile } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/** What to send. */
export interface LoadOptions {
  url: string;
  method?: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
  connections: number;
  requests: number;
  /** Stop early after this long. */
  maxMs?: number;
}

/** Latency percentiles (ms) and throughput. */
export interface LoadResult {
  count: number;
  errors: number;
  p50: number;
  p99: number;
  rps: number;
}

/** The value at quantile q of sorted numbers. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function once(agent: http.Agent, o: LoadOptions, target: URL): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: target.hostname, port: target.port, path: o.path, method: o.method ?? 'POST', agent, headers: o.headers },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

/** Runs the load from this process and measures it (the load process's side of `runLoad`). */
export async function measureLoad(o: LoadOptions): Promise<LoadResult> {
  const target = new URL(o.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections });
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const deadline = performance.now() + (o.maxMs ?? 30_000);
  const start = performance.now();
  const loop = async () => {
    while (sent < o.requests && performance.now() < deadline) {
      sent++;
      const t0 = performance.now();
      try {
        const status = await once(agent, o, target);
        if (status >= 400) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: o.connections }, loop));
  const elapsed = performance.now() - start;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { count: latencies.length, errors, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), rps: (latencies.length / elapsed) * 1000 };
}

/** POSTs `{}` to `path` and resolves with the status code once the answer has been read. */
export function post(agent: http.Agent, url: URL, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path, method: 'POST', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

const CHILD = fileURLToPath(new URL('./load-child.js', import.meta.url));

/** Runs the load from a separate Node process and measures it there. */
export function runLoad(o: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CHILD, JSON.stringify(o)], { maxBuffer: 1 << 20 }, (err, stdout) => {
      if (err) reject(err);
      else resolve(JSON.parse(stdout) as LoadResult);
    });
  });
}

/** What one target answered at 1 and at 10 connections. */
export interface Measured {
  one: LoadResult;
  ten: LoadResult;
  /** 10 connections while the instances are young: about 100 invocations each (see `measureRounds`). */
  young: LoadResult;
}

/** A URL to load. */
export interface Target {
  url: string;
  path: string;
  method?: string;
  body?: string;
}

/** The median of some numbers (the upper one of an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The per-round median of each figure: one noisy round cannot decide a comparison. */
function combine(results: LoadResult[]): LoadResult {
  return {
    count: results.reduce((n, r) => n + r.count, 0),
    errors: results.reduce((n, r) => n + r.errors, 0),
    p50: median(results.map((r) => r.p50)),
    p99: median(results.map((r) => r.p99)),
    rps: median(results.map((r) => r.rps)),
  };
}

/**
 * Invocations each of the 10 instances gets before measured rounds. An instance thread is its own
 * V8 isolate with its own JIT and sees a tenth of the calls: for its first ~2,000 invocations it
 * spends up to twice the CPU per call of a warmed one (README, "Where the warm time goes"). A
 * floor's single isolate sees every call, so without this the comparison would set warmed-up
 * floors against instances still compiling.
 */
export const WARM_PER_INSTANCE = 2_000;

/**
 * Measures every target at 1 and 10 connections in interleaved rounds (A B C, A B C, ...), so that
 * load from the rest of the machine falls on all of them alike rather than on whichever ran
 * during a busy spell. Every target is first warmed alike: a short warm-up, one 10-connection
 * measurement while the emulator's instances are young (reported, not judged), then
 * `WARM_PER_INSTANCE` calls per connection.
 */
export async function measureRounds(targets: Target[], rounds = 3): Promise<Measured[]> {
  const young: LoadResult[] = [];
  for (const t of targets) {
    await runLoad({ ...t, connections: 1, requests: 500 });
    await runLoad({ ...t, connections: 10, requests: 1000 });
    young.push(await runLoad({ ...t, connections: 10, requests: 4000, maxMs: 10_000 }));
    await runLoad({ ...t, connections: 10, requests: 10 * WARM_PER_INSTANCE, maxMs: 60_000 });
  }
  const ones: LoadResult[][] = targets.map(() => []);
  const tens: LoadResult[][] = targets.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < targets.length; i++) {
      ones[i]!.push(await runLoad({ ...targets[i]!, connections: 1, requests: 1500, maxMs: 10_000 }));
      tens[i]!.push(await runLoad({ ...targets[i]!, connections: 10, requests: 4000, maxMs: 10_000 }));
    }
  }
  return targets.map((_, i) => ({ one: combine(ones[i]!), ten: combine(tens[i]!), young: young[i]! }));
}
