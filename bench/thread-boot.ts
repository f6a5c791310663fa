// CPU per instance thread boot, the cost that bounds a cold burst on a small machine: a thread
// started as the runtime starts one (piscina, the runtime's entry, a trivial handler's init) against
// a piscina thread that loads an empty module, measured in the same run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import { benchFixture } from './emulator.js';
import { median } from './load.js';
import type { BenchRow } from './types.js';
import { workerBootData } from '../src/runtime/environment-setup.js';
import { BootedThread } from '../src/runtime/booted-thread.js';
import { ExecutionEnvironment } from '../src/runtime/execution-environment.js';
import { createRuntimeResources } from '../src/runtime/runtime-resources.js';

// As the command-line program boots them: under SCHED_BATCH.
const RESOURCES = createRuntimeResources({ batchScheduling: true });

const THREADS = 30;
const ROUNDS = 5;

const BOOT = workerBootData(
  { fullName: 'bench-trivial', memorySize: 1024, handlerExport: 'handler' },
  { entryFile: path.join(path.dirname(benchFixture('trivial')), 'handler.mjs'), region: 'us-east-1', logStream: 'bench', instanceId: 'bench' },
);

/** A piscina thread that loads `emptyModule` and runs it once. */
function emptyThread(emptyModule: string): () => Promise<{ destroy(): Promise<unknown> }> {
  return async () => {
    const pool = new Piscina({ filename: emptyModule, minThreads: 1, maxThreads: 1, atomics: 'disabled', idleTimeout: 2 ** 31 - 1, recordTiming: false });
    await pool.run({});
    return pool;
  };
}

/** An instance's thread, started and initialized as the runtime does it. */
async function instanceThread(): Promise<{ destroy(): Promise<unknown> }> {
  const thread = new ExecutionEnvironment(new BootedThread(1024, 'now', RESOURCES), BOOT, { AWS_EC2_METADATA_DISABLED: 'true' }, () => undefined, () => undefined, RESOURCES.memoryWatch);
  const init = await thread.init(10_000, false);
  if (!init.ok) throw new Error(`bench thread failed its init: ${JSON.stringify(init.failure)}`);
  return thread;
}

/** CPU of this process per thread while `count` threads are started together and initialized, ms. */
async function cpuPerThread(start: () => Promise<{ destroy(): Promise<unknown> }>, count: number): Promise<number> {
  const before = process.cpuUsage();
  const pools = await Promise.all(Array.from({ length: count }, start));
  const used = process.cpuUsage(before);
  await Promise.all(pools.map((p) => p.destroy()));
  return (used.user + used.system) / 1000 / count;
}

/** Rows for the thread boot figures. */
export async function threadBootRows(): Promise<BenchRow[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'coldstart-boot-'));
  try {
    const empty = path.join(dir, 'empty.mjs');
    writeFileSync(empty, 'export default function run() { return null; }\n');
    const variants = { empty: emptyThread(empty), runtime: instanceThread };
    const cpu: Record<keyof typeof variants, number[]> = { empty: [], runtime: [] };
    // Interleaved, so a drift in the machine's speed falls on every variant alike.
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of Object.keys(variants) as (keyof typeof variants)[]) cpu[name].push(await cpuPerThread(variants[name], THREADS));
    }
    return [
      {
        figure: `CPU per instance thread boot (runtime entry + handler init), ${THREADS} started together`,
        value: median(cpu.runtime),
        unit: 'ms',
        baseline: median(cpu.empty),
        target: 'report: baseline is a piscina thread with an empty module',
        met: true,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
