// Issue 3 benchmarks: a 500-call burst against an account limit of 100, and memory per idle instance.
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchRow } from './types.js';
import { benchFixture, repoRoot, startQuiet } from './emulator.js';
import { threadBootRows } from './thread-boot.js';

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

// The server runs in its own process: a client sharing its event loop would spread the burst's
// arrivals out and hide the throttles.
async function startChild(args: string[]): Promise<{ child: ChildProcess; url: URL }> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist/src/cli/main.js'), 'start', '--config', benchFixture('burst'), '--port', '0', '--no-watch', '--cold-start', 'off', ...args], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', NO_COLOR: '1' },
  });
  let out = '';
  const url = await new Promise<URL>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /coldstart listening on (\S+)/.exec(out);
      if (m) resolve(new URL(m[1]!));
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  // Keep draining stdout so the server never blocks on a full pipe.
  child.stdout!.on('data', () => undefined);
  return { child, url };
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * The floor under any cold burst on this machine: 100 bare Node worker threads (an empty script)
 * started at once in a fresh process, timed until each has run. Every instance is one such
 * thread, so no burst of 100 cold starts can be answered faster than this.
 */
async function bareThreadBoot(count: number): Promise<number> {
  const script = `
    const { Worker } = require('node:worker_threads');
    const t0 = performance.now();
    let left = ${count};
    const all = [];
    for (let i = 0; i < ${count}; i++) {
      const w = new Worker('require("node:worker_threads").parentPort.postMessage(1)', { eval: true });
      all.push(w);
      w.once('message', () => {
        if (--left === 0) {
          process.stdout.write(String(performance.now() - t0));
          Promise.all(all.map((x) => x.terminate())).then(() => process.exit(0));
        }
      });
    }`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  await once(child, 'exit');
  return Number(out);
}

async function burst(): Promise<BenchRow[]> {
  const floor = await bareThreadBoot(100);
  const { child, url } = await startChild(['--account-concurrency', '100']);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 500 });
  let peakRss = rssMb(child.pid!);
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(child.pid!))), 20);
  const fire = async () => {
    const t0 = performance.now();
    const statuses = await Promise.all(Array.from({ length: 500 }, () => post(agent, url, '/2015-03-31/functions/burst/invocations')));
    return { elapsed: performance.now() - t0, ok: statuses.filter((s) => s === 200).length, throttled: statuses.filter((s) => s === 429).length };
  };
  try {
    const cold = await fire();
    const warm = await fire();
    const state = (await (await fetch(new URL('/__coldstart/state', url))).json()) as { functions: { instances: unknown[] }[] };
    const instances = state.functions[0]!.instances.length;
    return [
      { figure: 'burst 500 vs account 100, cold (100 new instances): time until all answered', value: cold.elapsed, unit: 'ms', baseline: floor, target: `<= handler ${HANDLER_MS} ms + 2000 ms`, met: cold.elapsed <= HANDLER_MS + 2000 },
      { figure: 'baseline: 100 bare Node worker threads started at once (empty script)', value: floor, unit: 'ms', target: 'floor of any 100 cold starts here', met: true },
      { figure: 'burst cold minus handler minus bare-thread floor', value: cold.elapsed - HANDLER_MS - floor, unit: 'ms', target: "report: coldstart's own cost", met: true },
      { figure: 'burst 500 vs account 100, warm instances: time until all answered', value: warm.elapsed, unit: 'ms', target: `<= handler ${HANDLER_MS} ms + 2000 ms`, met: warm.elapsed <= HANDLER_MS + 2000 },
      { figure: 'burst 500: answered (200 + 429), cold and warm', value: cold.ok + cold.throttled + warm.ok + warm.throttled, unit: 'of 1000', target: '1000 (nothing lost)', met: cold.ok + cold.throttled + warm.ok + warm.throttled === 1000 },
      // How many succeed depends on how closely the client's 500 requests arrive; the limit holds either way.
      { figure: 'burst 500: succeeded per burst (the rest throttled)', value: cold.ok, unit: `ok cold, ${warm.ok} ok warm`, target: 'report (>= 100)', met: cold.ok >= 100 && warm.ok >= 100 },
      { figure: 'burst 500: instances alive after both bursts', value: instances, unit: 'instances', target: '<= 100', met: instances <= 100 },
      { figure: 'burst 500: peak RSS of the server process', value: peakRss, unit: 'MB', target: 'report', met: true },
    ];
  } finally {
    clearInterval(sampler);
    agent.destroy();
    child.kill('SIGTERM');
    await once(child, 'exit');
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
  return [...(await burst()), ...(await idleMemory()), ...(await threadBootRows())];
}
