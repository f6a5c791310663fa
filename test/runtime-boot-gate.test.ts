// Thread boots are gated to a few at a time (they are CPU-bound); a handler's own init is not.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { BootGate } from '../src/runtime/boot-gate.js';
import { fixture, useColdstart } from './helpers/server.js';

describe('boot gate', () => {
  test('grants at most its capacity at once, first come first served; a release twice frees one slot', async () => {
    const gate = new BootGate(2);
    const order: number[] = [];
    const releases = await Promise.all([gate.acquire(), gate.acquire()]);
    const waiting = [3, 4, 5].map((n) => gate.acquire().then((release) => (order.push(n), release)));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, [], 'nobody past capacity');
    releases[0]!();
    releases[0]!();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, [3], 'one release, one grant, in arrival order');
    releases[1]!();
    (await waiting[0]!)();
    await Promise.all(waiting);
    assert.deepEqual(order, [3, 4, 5]);
  });
});

describe('boot gate in the emulator', () => {
  const cs = useColdstart(fixture('boot-gate', 'serverless.yml'), ['--cold-start', 'off', '--no-watch'], { cleanExit: true });

  const invoke = (name: string) =>
    fetch(`${cs.url}/2015-03-31/functions/${name}/invocations`, { method: 'POST', body: '{}' }).then(async (r) => ({ status: r.status, body: await r.text() }));

  test("slow inits filling every boot slot do not hold up another function's cold start", async () => {
    // More slow inits (4 s each, waiting at module scope) than there are boot slots.
    const slow = Array.from({ length: availableParallelism() + 2 }, () => invoke('slow'));
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    const fast = await invoke('fast');
    const fastMs = Date.now() - t0;
    assert.equal(fast.status, 200, fast.body);
    assert.ok(fastMs < 3000, `the fast cold start took ${fastMs} ms, as if it waited for the slow inits`);
    for (const r of await Promise.all(slow)) assert.equal(r.status, 200, r.body);
  });
});
