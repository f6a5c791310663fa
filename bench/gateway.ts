// Issue 4 benchmark: warm requests through the emulated API Gateway (REST and HTTP API) for a
// trivial handler, at 1 and 10 connections, against the same handler called in-process behind a
// bare express app and behind bare node:http, all measured in the same run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startQuiet } from './emulator.js';
import { expressFloor, nodeFloor, workerFloor } from './floors.js';
import { measureRounds, type Measured } from './load.js';
import type { BenchRow } from './types.js';
import { loadServiceConfig } from '../src/config/load.js';
import { EventBus } from '../src/events/bus.js';
import { createGatewayFeature } from '../src/gateway/feature.js';
import { MemoryConfigStore } from '../src/server/config-store.js';
import type { AppContext } from '../src/types/feature.js';
import type { InvocationRequest, InvocationResult } from '../src/types/runtime.js';

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

const ROUNDS = 3;

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/**
 * Diagnostic only: the gateway feature on bare node:http with the invocation answered
 * in-process (no worker thread). It isolates the cost of the gateway layer (routing, event,
 * mapping, events) from the runtime's worker round trip, which the real figures include.
 */
async function gatewayLayerAlone(configPath: string, handler: Handler): Promise<{ url: string; close(): Promise<void> }> {
  const config = await loadServiceConfig(configPath, { coldStart: 'off' });
  const invoke = async (r: InvocationRequest): Promise<InvocationResult> => {
    const value = await handler(JSON.parse(r.payloadJson), {});
    return {
      status: 'completed', requestId: r.requestId ?? '', function: 'hello', instanceId: 'in-process', outcome: 'success',
      payloadJson: JSON.stringify(value), cold: false, durationMs: 0, billedDurationMs: 0, maxMemoryUsedMb: 0, memorySizeMb: 0, logLines: [],
    };
  };
  const ctx = { bus: new EventBus(), config: new MemoryConfigStore(config), invocations: { invoke }, printError: () => undefined } as unknown as AppContext;
  // Served as the emulator serves it: straight to the gateway, not through express's layers.
  const feature = createGatewayFeature(ctx);
  const server = http.createServer((req, res) => void feature.direct!(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function rows(label: string, g: Measured, ex: Measured): BenchRow[] {
  const ratio = g.ten.rps / ex.ten.rps;
  return [
    { figure: `gateway ${label} warm p50, 1 conn`, value: g.one.p50, unit: 'ms', baseline: ex.one.p50, target: '<= express floor + 0.5 ms', met: g.one.p50 <= ex.one.p50 + 0.5 },
    { figure: `gateway ${label} warm p99, 1 conn`, value: g.one.p99, unit: 'ms', baseline: ex.one.p99, target: 'report', met: true },
    { figure: `gateway ${label} req/s, 1 conn`, value: g.one.rps, unit: 'req/s', baseline: ex.one.rps, target: 'report', met: true },
    { figure: `gateway ${label} req/s, 10 conns`, value: g.ten.rps, unit: 'req/s', baseline: ex.ten.rps, target: '>= 80 % of express floor', met: ratio >= 0.8 },
    { figure: `gateway ${label} req/s, 10 conns, young instances`, value: g.young.rps, unit: 'req/s', baseline: ex.young.rps, target: 'report: after ~100 calls each', met: true },
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
  const layer = await gatewayLayerAlone(path.join(dir, 'serverless.yml'), mod.handler);
  // As many threads as the emulator ends up with at 10 connections: one instance per connection.
  const threads = await workerFloor(pathToFileURL(path.join(dir, 'handler.mjs')).href, 10);
  try {
    const [rest, httpApi, lambdaApi, layerRest, ex, nd, wt] = await measureRounds([
      { url: server.url, path: '/dev/hello', method: 'GET' },
      { url: server.url, path: '/hello', method: 'GET' },
      // The same invocation without the gateway: what the runtime's worker round trip costs alone.
      { url: server.url, path: '/2015-03-31/functions/hello/invocations', method: 'POST', body: '{}' },
      { url: layer.url, path: '/dev/hello', method: 'GET' },
      { url: expressF.url, path: '/hello', method: 'GET' },
      { url: nodeF.url, path: '/hello', method: 'GET' },
      { url: threads.url, path: '/hello', method: 'GET' },
    ], ROUNDS);
    return [
      ...rows('REST', rest, ex),
      ...rows('HTTP API', httpApi, ex),
      { figure: 'express floor p50, 1 conn', value: ex.one.p50, unit: 'ms', baseline: nd.one.p50, target: 'baseline (vs node:http)', met: true },
      { figure: 'express floor p99, 1 conn', value: ex.one.p99, unit: 'ms', baseline: nd.one.p99, target: 'baseline (vs node:http)', met: true },
      { figure: 'express floor req/s, 10 conns', value: ex.ten.rps, unit: 'req/s', baseline: nd.ten.rps, target: 'baseline (vs node:http)', met: true },
      { figure: 'node:http floor p50, 1 conn', value: nd.one.p50, unit: 'ms', target: 'baseline', met: true },
      { figure: 'node:http floor req/s, 10 conns', value: nd.ten.rps, unit: 'req/s', target: 'baseline', met: true },
      { figure: 'gateway REST req/s, 10 conns / node:http floor', value: rest.ten.rps / nd.ten.rps, unit: 'ratio', target: 'report', met: true },
      { figure: 'lambda-api invoke (no gateway) p50, 1 conn', value: lambdaApi.one.p50, unit: 'ms', baseline: ex.one.p50, target: 'context: worker round trip', met: true },
      { figure: 'lambda-api invoke (no gateway) req/s, 10 conns', value: lambdaApi.ten.rps, unit: 'req/s', baseline: ex.ten.rps, target: 'context: worker round trip', met: true },
      { figure: 'gateway REST p50 minus lambda-api p50, 1 conn', value: rest.one.p50 - lambdaApi.one.p50, unit: 'ms', target: 'report: the gateway layer itself', met: true },
      { figure: 'gateway layer alone (no worker) REST p50, 1 conn', value: layerRest.one.p50, unit: 'ms', baseline: ex.one.p50, target: 'diagnostic: <= express floor + 0.5 ms', met: layerRest.one.p50 <= ex.one.p50 + 0.5 },
      { figure: 'gateway layer alone (no worker) REST req/s, 10 conns', value: layerRest.ten.rps, unit: 'req/s', baseline: ex.ten.rps, target: 'diagnostic: >= 80 % of express floor', met: layerRest.ten.rps >= 0.8 * ex.ten.rps },
      { figure: 'bare worker threads behind node:http p50, 1 conn', value: wt.one.p50, unit: 'ms', baseline: ex.one.p50, target: 'context: a thread round trip, small event', met: true },
      { figure: 'bare worker threads behind node:http req/s, 10 conns', value: wt.ten.rps, unit: 'req/s', baseline: ex.ten.rps, target: 'context: a thread round trip, small event', met: true },
      { figure: 'gateway REST req/s, 10 conns / bare worker threads', value: rest.ten.rps / wt.ten.rps, unit: 'ratio', target: 'report', met: true },
    ];
  } finally {
    await expressF.close();
    await nodeF.close();
    await layer.close();
    await threads.close();
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
