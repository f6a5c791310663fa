// What `isolation: process` costs against worker threads (the default), both measured in the same
// run: simultaneous cold starts, memory per idle instance, and the warm round trip.
import http from 'node:http';
import { once } from 'node:events';
import { readFileSync, readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Isolation } from '../src/types/config.js';
import type { BenchRow } from './types.js';
import { benchFixture, startQuiet, startServerProcess, type ServerProcess } from './emulator.js';
import { measureRounds, post } from './load.js';

const COLD = 20;
const MODES: Isolation[] = ['thread', 'process'];

// Proportional set size, so the pages a process shares with its siblings (Node's own code) count
// once across them, as they take memory once.
function pssMb(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The fourth field of stat is the parent's pid; the second (the name) may hold spaces.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) kids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return kids;
}

/** PSS of the server and of every process it started, MB. */
function serverPssMb(pid: number): number {
  return pssMb(pid) + childrenOf(pid).reduce((sum, kid) => sum + pssMb(kid), 0);
}

interface ColdRun {
  elapsed: number;
  ok: number;
  perInstanceMb: number;
}

/** COLD simultaneous cold starts of a 100 ms handler, then the memory they hold once idle. */
async function coldStarts(isolation: Isolation): Promise<ColdRun> {
  const server: ServerProcess = await startServerProcess(benchFixture('burst'), ['--isolation', isolation]);
  const agent = new http.Agent({ keepAlive: true, maxSockets: COLD });
  try {
    await sleep(500);
    const before = serverPssMb(server.child.pid!);
    const t0 = performance.now();
    const statuses = await Promise.all(Array.from({ length: COLD }, () => post(agent, server.url, '/2015-03-31/functions/burst/invocations')));
    const elapsed = performance.now() - t0;
    await sleep(1000);
    const after = serverPssMb(server.child.pid!);
    return { elapsed, ok: statuses.filter((s) => s === 200).length, perInstanceMb: (after - before) / COLD };
  } finally {
    agent.destroy();
    server.child.kill('SIGTERM');
    await once(server.child, 'exit');
  }
}

/** Runs the isolation benchmarks. */
export default async function isolation(): Promise<BenchRow[]> {
  const [thread, proc] = [await coldStarts('thread'), await coldStarts('process')];
  // In this process with terminal output discarded, as the core benchmark runs its server.
  const servers = [];
  try {
    for (const mode of MODES) servers.push(await startQuiet(benchFixture('trivial'), { isolation: mode }));
    const invokePath = '/2015-03-31/functions/trivial/invocations';
    const [t, p] = await measureRounds(servers.map((s) => ({ url: s.url, path: invokePath, method: 'POST', body: '{"n":1}' })));
    return [
      { figure: `${COLD} simultaneous cold starts (100 ms handler), process: time until all answered`, value: proc.elapsed, unit: 'ms', baseline: thread.elapsed, target: 'report (baseline: threads)', met: true },
      { figure: `${COLD} simultaneous cold starts: answered 200, thread + process`, value: thread.ok + proc.ok, unit: `of ${2 * COLD}`, target: `${2 * COLD}`, met: thread.ok + proc.ok === 2 * COLD },
      { figure: 'memory (PSS) per idle instance, process', value: proc.perInstanceMb, unit: 'MB', baseline: thread.perInstanceMb, target: 'report (baseline: threads)', met: true },
      { figure: 'lambda-api warm p50, 1 conn, process', value: p!.one.p50, unit: 'ms', baseline: t!.one.p50, target: 'report (baseline: threads)', met: true },
      { figure: 'lambda-api warm req/s, 10 conns, process', value: p!.ten.rps, unit: 'req/s', baseline: t!.ten.rps, target: 'report (baseline: threads)', met: true },
      { figure: 'lambda-api errors during load, thread + process', value: t!.one.errors + t!.ten.errors + p!.one.errors + p!.ten.errors, unit: 'count', target: '0', met: t!.one.errors + t!.ten.errors + p!.one.errors + p!.ten.errors === 0 },
    ];
  } finally {
    for (const s of servers) await s.close();
  }
}
