// Issue 4 benchmark: warm requests through the emulated API Gateway (REST and HTTP API) for a
// trivial handler, at 1 and 10 connections, against the same handler called in-process behind a
// bare express app and behind bare node:http, all measured in the same run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startQuiet } from './emulator.js';
import { expressFloor, nodeFloor } from './floors.js';
import { runLoad, type LoadResult } from './load.js';
import type { BenchRow } from './types.js';

// A proxy response, so the REST API (which refuses anything else with a 502) can serve it too.
const HANDLER = `export const handler = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' });\n`;
const CONFIG = `service: benchgw
provider:
  name: aws
  runtime: nodejs20.x
  # 1769 MB is one full vCPU; with --cold-start off nothing is held back either way.
  memorySize: 1769
functions:
  hello:
    handler: handler.handler
    events:
      - http: GET hello
      - httpApi: GET /hello
`;

interface Measured {
  one: LoadResult;
  ten: LoadResult;
}

async function measure(url: string, urlPath: string): Promise<Measured> {
  const base = { url, path: urlPath, method: 'GET' };
  await runLoad({ ...base, connections: 1, requests: 500 });
  await runLoad({ ...base, connections: 10, requests: 1000 });
  const one = await runLoad({ ...base, connections: 1, requests: 3000, maxMs: 20_000 });
  const ten = await runLoad({ ...base, connections: 10, requests: 10_000, maxMs: 20_000 });
  return { one, ten };
}

function rows(label: string, g: Measured, ex: Measured): BenchRow[] {
  const ratio = g.ten.rps / ex.ten.rps;
  return [
    { figure: `gateway ${label} warm p50, 1 conn`, value: g.one.p50, unit: 'ms', baseline: ex.one.p50, target: '<= express floor + 0.5 ms', met: g.one.p50 <= ex.one.p50 + 0.5 },
    { figure: `gateway ${label} warm p99, 1 conn`, value: g.one.p99, unit: 'ms', baseline: ex.one.p99, target: 'report', met: true },
    { figure: `gateway ${label} req/s, 1 conn`, value: g.one.rps, unit: 'req/s', baseline: ex.one.rps, target: 'report', met: true },
    { figure: `gateway ${label} req/s, 10 conns`, value: g.ten.rps, unit: 'req/s', baseline: ex.ten.rps, target: '>= 80 % of express floor', met: ratio >= 0.8 },
    { figure: `gateway ${label} p50 / p99, 10 conns`, value: g.ten.p50, unit: `ms (p99 ${g.ten.p99.toFixed(2)})`, baseline: ex.ten.p50, target: 'report', met: true },
    { figure: `gateway ${label} errors under load`, value: g.one.errors + g.ten.errors, unit: 'count', target: '0', met: g.one.errors + g.ten.errors === 0 },
  ];
}

/** Runs the gateway benchmark. */
export default async function gateway(): Promise<BenchRow[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'coldstart-bench-gw-'));
  writeFileSync(path.join(dir, 'handler.mjs'), HANDLER);
  writeFileSync(path.join(dir, 'serverless.yml'), CONFIG);
  const mod = (await import(pathToFileURL(path.join(dir, 'handler.mjs')).href)) as { handler: (e: unknown, c: unknown) => Promise<unknown> };
  const server = await startQuiet(path.join(dir, 'serverless.yml'));
  const expressF = await expressFloor(mod.handler);
  const nodeF = await nodeFloor(mod.handler);
  try {
    const rest = await measure(server.url, '/dev/hello');
    const httpApi = await measure(server.url, '/hello');
    const ex = await measure(expressF.url, '/hello');
    const nd = await measure(nodeF.url, '/hello');
    return [
      ...rows('REST', rest, ex),
      ...rows('HTTP API', httpApi, ex),
      { figure: 'express floor p50, 1 conn', value: ex.one.p50, unit: 'ms', baseline: nd.one.p50, target: 'baseline (vs node:http)', met: true },
      { figure: 'express floor p99, 1 conn', value: ex.one.p99, unit: 'ms', baseline: nd.one.p99, target: 'baseline (vs node:http)', met: true },
      { figure: 'express floor req/s, 10 conns', value: ex.ten.rps, unit: 'req/s', baseline: nd.ten.rps, target: 'baseline (vs node:http)', met: true },
      { figure: 'node:http floor p50, 1 conn', value: nd.one.p50, unit: 'ms', target: 'baseline', met: true },
      { figure: 'node:http floor req/s, 10 conns', value: nd.ten.rps, unit: 'req/s', target: 'baseline', met: true },
      { figure: 'gateway REST req/s, 10 conns / node:http floor', value: rest.ten.rps / nd.ten.rps, unit: 'ratio', target: 'report', met: true },
    ];
  } finally {
    await expressF.close();
    await nodeF.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// `node dist/bench/gateway.js` runs this benchmark alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  gateway().then(
    (r) => {
      console.table(r.map((x) => ({ ...x, ratio: x.baseline ? x.value / x.baseline : undefined })));
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
