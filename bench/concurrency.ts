// Issue 3 benchmarks: a 500-call burst against an account limit of 100, and memory per idle instance.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchRow } from './types.js';
import { benchFixture, startQuiet } from './emulator.js';

const HANDLER_MS = 100;

function post(agent: http.Agent, url: URL, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path, method: 'POST', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

async function burst(): Promise<BenchRow[]> {
  const server = await startQuiet(benchFixture('burst'), { accountConcurrency: 100 });
  let inits = 0;
  const off = server.context.bus.subscribe((e) => {
    if (e.type === 'instance.init.start') inits++;
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 500 });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  try {
    const url = new URL(server.url);
    const t0 = performance.now();
    const statuses = await Promise.all(Array.from({ length: 500 }, () => post(agent, url, '/2015-03-31/functions/burst/invocations')));
    const elapsed = performance.now() - t0;
    const ok = statuses.filter((s) => s === 200).length;
    const throttled = statuses.filter((s) => s === 429).length;
    return [
      { figure: 'burst 500 vs account 100: time until all answered (ms)', value: elapsed, unit: 'ms', target: `<= handler ${HANDLER_MS} ms + 2000 ms`, met: elapsed <= HANDLER_MS + 2000 },
      { figure: 'burst 500: answered (200 + 429)', value: ok + throttled, unit: 'of 500', target: '500 (nothing lost)', met: ok + throttled === 500 },
      { figure: 'burst 500: succeeded / throttled', value: ok, unit: `ok (${throttled} throttled)`, target: '100 ok', met: ok === 100 },
      { figure: 'burst 500: instances created', value: inits, unit: 'instances', target: '<= 100', met: inits <= 100 },
      { figure: 'burst 500: peak RSS of the process (MB)', value: peakRss / 1048576, unit: 'MB', target: 'report', met: true },
    ];
  } finally {
    clearInterval(sampler);
    off();
    agent.destroy();
    await server.close();
  }
}

async function idleMemory(): Promise<BenchRow[]> {
  const server = await startQuiet(benchFixture('burst'));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
  try {
    const url = new URL(server.url);
    await post(agent, url, '/2015-03-31/functions/burst/invocations');
    await sleep(300);
    const before = process.memoryUsage().rss;
    const n = 20;
    await Promise.all(Array.from({ length: n }, () => post(agent, url, '/2015-03-31/functions/burst/invocations')));
    await sleep(1000);
    const after = process.memoryUsage().rss;
    const instances = server.context.invocations.snapshot()[0]!.instances.length;
    const perInstance = (after - before) / 1048576 / Math.max(1, instances - 1);
    return [{ figure: 'RSS growth per idle instance (MB)', value: perInstance, unit: `MB (${instances} instances)`, target: '< 15 MB', met: perInstance < 15 }];
  } finally {
    agent.destroy();
    await server.close();
  }
}

/** Runs the concurrency benchmarks. */
export default async function concurrency(): Promise<BenchRow[]> {
  return [...(await burst()), ...(await idleMemory())];
}
