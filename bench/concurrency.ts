// Issue 3 benchmarks: a 500-call burst against an account limit of 100, and memory per idle instance.
import http from 'node:http';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchRow } from './types.js';
import { benchFixture, startQuiet, startServerProcess } from './emulator.js';
import { post } from './load.js';
import { threadBootRows } from './thread-boot.js';

const HANDLER_MS = 100;
/** Spare threads for the second cold burst: one per instance the account limit allows. */
const SPARES = 100;

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

interface BurstRun {
  cold: { elapsed: number; ok: number; throttled: number };
  warm: { elapsed: number; ok: number; throttled: number };
  instances: number;
  peakRss: number;
  startMs: number;
}

/** A cold burst of 500 then a warm one, against a server started with `args`. */
async function burst(args: string[]): Promise<BurstRun> {
  // The server runs in its own process: a client sharing its event loop would spread the burst's
  // arrivals out and hide the throttles.
  const { child, url, startMs } = await startServerProcess(benchFixture('burst'), ['--account-concurrency', '100', ...args]);
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
    return { cold, warm, instances: state.functions[0]!.instances.length, peakRss, startMs };
  } finally {
    clearInterval(sampler);
    agent.destroy();
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

async function burstRows(): Promise<BenchRow[]> {
  const floor = await bareThreadBoot(100);
  const plain = await burst([]);
  const spared = await burst(['--spare-threads', String(SPARES)]);
  const target = `<= handler ${HANDLER_MS} ms + 2000 ms`;
  const answered = (r: BurstRun) => r.cold.ok + r.cold.throttled + r.warm.ok + r.warm.throttled;
  return [
    { figure: 'burst 500 vs account 100, cold (100 new instances): time until all answered', value: plain.cold.elapsed, unit: 'ms', baseline: floor, target, met: plain.cold.elapsed <= HANDLER_MS + 2000 },
    { figure: 'baseline: 100 bare Node worker threads started at once (empty script)', value: floor, unit: 'ms', target: 'floor of any 100 cold starts here', met: true },
    { figure: 'burst cold minus handler minus bare-thread floor', value: plain.cold.elapsed - HANDLER_MS - floor, unit: 'ms', target: "report: coldstart's own cost", met: true },
    { figure: `burst 500 vs account 100, cold, with --spare-threads ${SPARES}: time until all answered`, value: spared.cold.elapsed, unit: 'ms', baseline: plain.cold.elapsed, target, met: spared.cold.elapsed <= HANDLER_MS + 2000 },
    { figure: `start-up to the listening line, with --spare-threads ${SPARES} / without`, value: spared.startMs, unit: 'ms', baseline: plain.startMs, target: 'report', met: true },
    { figure: 'burst 500 vs account 100, warm instances: time until all answered', value: plain.warm.elapsed, unit: 'ms', target, met: plain.warm.elapsed <= HANDLER_MS + 2000 },
    { figure: 'burst 500: answered (200 + 429), cold and warm, without and with spares', value: answered(plain) + answered(spared), unit: 'of 2000', target: '2000 (nothing lost)', met: answered(plain) + answered(spared) === 2000 },
    // How many succeed depends on how closely the client's 500 requests arrive; the limit holds either way.
    { figure: 'burst 500: succeeded per burst (the rest throttled)', value: plain.cold.ok, unit: `ok cold, ${plain.warm.ok} ok warm; with spares ${spared.cold.ok} / ${spared.warm.ok}`, target: 'report (>= 100)', met: [plain, spared].every((r) => r.cold.ok >= 100 && r.warm.ok >= 100) },
    { figure: 'burst 500: instances alive after both bursts, without / with spares', value: plain.instances, unit: `instances / ${spared.instances}`, target: '<= 100', met: plain.instances <= 100 && spared.instances <= 100 },
    { figure: 'burst 500: peak RSS of the server process, without spares', value: plain.peakRss, unit: 'MB', target: 'report', met: true },
    { figure: `burst 500: peak RSS of the server process, with --spare-threads ${SPARES}`, value: spared.peakRss, unit: 'MB', target: 'report', met: true },
  ];
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
  return [...(await burstRows()), ...(await idleMemory()), ...(await threadBootRows())];
}
