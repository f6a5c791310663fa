// A small closed-loop load generator over keep-alive loopback connections: N connections, each
// sending its next request when the previous answer arrived. Bounded in count and time.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

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

/** Runs the load and measures it. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
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
