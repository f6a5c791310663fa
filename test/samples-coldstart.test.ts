// The cold-start samples of samples/ (lazy loading, memory, warm-up, provisioned concurrency), run
// through their own scripts against the real emulator with the realistic model, and held to what
// the README claims.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, useColdstart } from './helpers/server.js';
import { type FunctionMetrics } from '../src/console/metrics.js';
import { type InstanceSnapshot } from '../src/types/runtime.js';
import { eventually } from './helpers/eventually.js';
import { functionState, getMetrics, getState } from './helpers/state.js';

/** Imports a sample script (plain JS ESM) from samples/scripts. */
async function sample(name: string): Promise<{ main: (opts: Record<string, unknown>) => Promise<any> }> {
  return import(pathToFileURL(path.join(repoRoot, 'samples', 'scripts', `${name}.mjs`)).href);
}

const quiet = () => {};

async function instancesOf(url: string, name: string): Promise<InstanceSnapshot[]> {
  return functionState(await getState(url), name).instances;
}

async function metricsOf(url: string, name: string): Promise<FunctionMetrics | undefined> {
  return (await getMetrics(url)).functions[name];
}

describe('samples: cold starts (realistic model)', () => {
  // A short idle timeout lets the warm-up test show an instance dying; a fixed seed makes the
  // modelled spread repeat run to run.
  const cs = useColdstart(path.join(repoRoot, 'samples', 'serverless.yml'), ['--no-watch', '--seed', '11', '--idle-timeout', '4']);

  test('lazy loading: the lazy variant cold-starts faster than the eager one (mean of 3 each)', async () => {
    const { main } = await sample('lazy-loading');
    const r = await main({ url: cs.url, print: quiet, coldStarts: 3 });
    // Calls that overlap a finished init may land warm on a loaded machine; most are cold.
    assert.ok(r.ordersEager.coldStarts >= 2, `eager cold starts: ${r.ordersEager.coldStarts}`);
    assert.ok(r.ordersLazy.coldStarts >= 2, `lazy cold starts: ${r.ordersLazy.coldStarts}`);
    assert.ok(
      r.ordersLazy.initMs < r.ordersEager.initMs,
      `lazy Init Duration ${r.ordersLazy.initMs} ms should be below eager ${r.ordersEager.initMs} ms`,
    );
    // The import moved, it did not vanish: the lazy instance's first POST pays for it.
    assert.ok(r.lazyPost.firstMs > r.lazyPost.secondMs, `first POST ${r.lazyPost.firstMs} ms vs next ${r.lazyPost.secondMs} ms`);
  });

  test('memory: the same CPU-bound code runs several times longer at 128 MB than at 1024 MB', async () => {
    const { main } = await sample('memory');
    const r = await main({ url: cs.url, print: quiet, warmCalls: 3 });
    assert.equal(r.checksum128.memoryMb, 128);
    assert.equal(r.checksum1024.memoryMb, 1024);
    assert.equal(r.checksum128.crc32, r.checksum1024.crc32, 'both do the same work');
    assert.ok(r.checksum128.initMs > 0 && r.checksum1024.initMs > 0, 'the first call of each is a cold start');
    // The model says 1769/128 vs 1769/1024, about 8x; a loaded machine blurs it, never below 3x.
    assert.ok(r.durationRatio > 3, `128 MB / 1024 MB duration ratio ${r.durationRatio}`);
  });

  test('warm-up: without a ping the rare call is cold; after the ping it is warm', async () => {
    assert.deepEqual(
      (await getState(cs.url)).schedules.filter((s) => s.function === 'inventoryReport').map((s) => s.expression),
      ['rate(5 minutes)'],
    );
    const coldBefore = (await metricsOf(cs.url, 'inventoryReport'))?.coldStarts ?? 0;
    const res = await fetch(`${cs.url}/admin/inventory`);
    assert.equal(res.status, 200);
    assert.equal((await metricsOf(cs.url, 'inventoryReport'))?.coldStarts, coldBefore + 1, 'an unpinged rare call is cold');

    // Let the idle instance die (--idle-timeout 4), as it would after minutes without traffic.
    await eventually(async () => (await instancesOf(cs.url, 'inventoryReport')).length === 0, 15_000, 'retirement of the idle instance', 250);

    const { main } = await sample('warm-up');
    const r = await main({ url: cs.url, print: quiet });
    assert.equal(r.ping.cold, true, 'the ping takes the cold start');
    assert.equal(r.user.status, 200);
    assert.ok(r.user.count >= 10, 'the report lists the functions of the service');
    assert.equal(r.user.cold, false, 'the user call after the ping is warm');
  });

  test('provisioned concurrency 5 under 10 concurrent users: 5 warm, 5 cold on-demand spill-overs', async () => {
    const { main } = await sample('provisioned');
    const r = await main({ url: cs.url, print: quiet, users: 10 });
    assert.equal(r.ready, 5);
    assert.equal(r.warm, 5);
    assert.equal(r.cold, 5);
    assert.deepEqual(r.coldInitTypes, ['on-demand', 'on-demand', 'on-demand', 'on-demand', 'on-demand']);
    assert.equal(r.initTypes.filter((t: string) => t === 'provisioned-concurrency').length, 5);
  });
});
