// Issue 2 benchmarks: warm Lambda API round trip against the express and node:http floors, and the
// accuracy of the modelled Init Duration over 20 cold starts.
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import type { BenchRow } from './types.js';
import { measureRounds } from './load.js';
import { expressFloor, nodeFloor } from './floors.js';
import { benchFixture, repoRoot, startQuiet } from './emulator.js';
import type { InitEndEvent } from '../src/types/events.js';

const BODY = JSON.stringify({ n: 1 });

/** Warm round trip through the Lambda API vs the floors. */
async function warmRoundTrip(): Promise<BenchRow[]> {
  const mod = (await import(pathToFileURL(path.join(repoRoot, 'bench/fixtures/trivial/handler.mjs')).href)) as {
    handler: (e: unknown, c: unknown) => Promise<unknown>;
  };
  const server = await startQuiet(benchFixture('trivial'));
  const expressF = await expressFloor(mod.handler);
  const nodeF = await nodeFloor(mod.handler);
  try {
    const invokePath = '/2015-03-31/functions/trivial/invocations';
    const [emu, ex, nd] = await measureRounds([server.url, expressF.url, nodeF.url].map((url) => ({ url, path: invokePath, method: 'POST', body: BODY })));
    return [
      { figure: 'lambda-api warm p50, 1 conn (ms)', value: emu.one.p50, unit: 'ms', baseline: ex.one.p50, target: '<= express floor + 0.5 ms', met: emu.one.p50 <= ex.one.p50 + 0.5 },
      { figure: 'lambda-api warm p99, 1 conn (ms)', value: emu.one.p99, unit: 'ms', baseline: ex.one.p99, target: 'report', met: true },
      { figure: 'node:http floor p50, 1 conn (ms)', value: nd.one.p50, unit: 'ms', target: 'baseline', met: true },
      { figure: 'lambda-api warm req/s, 10 conns', value: emu.ten.rps, unit: 'req/s', baseline: ex.ten.rps, target: '>= 80 % of express floor', met: emu.ten.rps >= 0.8 * ex.ten.rps },
      { figure: 'lambda-api req/s, 10 conns, young instances', value: emu.young.rps, unit: 'req/s', baseline: ex.young.rps, target: 'report: after ~100 calls each', met: true },
      { figure: 'node:http floor req/s, 10 conns', value: nd.ten.rps, unit: 'req/s', target: 'baseline', met: true },
      { figure: 'lambda-api errors during load', value: emu.one.errors + emu.ten.errors, unit: 'count', target: '0', met: emu.one.errors + emu.ten.errors === 0 },
    ];
  } finally {
    await expressF.close();
    await nodeF.close();
    await server.close();
  }
}

/** Emulated Init Duration vs the model's target over 20 sequential cold starts. */
async function initAccuracy(): Promise<BenchRow[]> {
  const server = await startQuiet(benchFixture('trivial'), { coldStart: 'realistic', seed: 7 });
  const ends: InitEndEvent[] = [];
  const unsubscribe = server.context.bus.subscribe((e) => {
    if (e.type === 'instance.init.end') ends.push(e);
  });
  try {
    for (let i = 0; i < 20; i++) {
      server.context.reloader.reloadCode(['trivial']);
      await fetch(`${server.url}/2015-03-31/functions/trivial/invocations`, { method: 'POST', body: BODY }).then((r) => r.text());
    }
  } finally {
    unsubscribe();
    await server.close();
  }
  const errors = ends.map((e) => Math.abs(e.initDurationMs - e.modelledMs));
  const within = ends.filter((e) => Math.abs(e.initDurationMs - e.modelledMs) <= Math.max(5, 0.05 * e.modelledMs)).length;
  const worst = Math.max(...errors);
  const mean = ends.reduce((s, e) => s + e.initDurationMs, 0) / ends.length;
  return [
    { figure: 'modelled init: cold starts within 5 % or 5 ms of target', value: within, unit: `of ${ends.length}`, target: `${ends.length} of ${ends.length}`, met: within === ends.length && ends.length === 20 },
    { figure: 'modelled init: worst |emulated - target| (ms)', value: worst, unit: 'ms', target: '<= 5 ms or 5 %', met: within === ends.length },
    { figure: 'modelled init: mean Init Duration, trivial handler (ms)', value: mean, unit: 'ms', target: 'report (model ~140 ms)', met: true },
  ];
}

/** Runs the core benchmarks. */
export default async function core(): Promise<BenchRow[]> {
  return [...(await warmRoundTrip()), ...(await initAccuracy())];
}
