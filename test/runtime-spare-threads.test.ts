// Spare threads (`spareThreads`): threads booted before the listening line, taken by cold starts,
// given each function's own environment and memory limit, replaced after use and following a
// reload's memory sizes; under `isolation: process` the spares are processes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BootGate } from '../src/runtime/boot-gate.js';
import type { SpareEnvironmentsStatus } from '../src/types/runtime.js';
import { fixture, useColdstart } from './helpers/server.js';
import { invoke, lambdaClient } from './helpers/lambda.js';
import { eventually } from './helpers/eventually.js';
import { getState } from './helpers/state.js';

describe('boot gate priorities', () => {
  test('a background boot waits for every boot a cold start is waiting on', async () => {
    const gate = new BootGate(1);
    const order: string[] = [];
    const first = await gate.acquire();
    const waiting = [
      gate.acquire('background').then((release) => (order.push('spare'), release)),
      gate.acquire('now').then((release) => (order.push('cold'), release)),
    ];
    first();
    (await waiting[1]!)();
    (await waiting[0]!)();
    assert.deepEqual(order, ['cold', 'spare']);
  });
});

for (const isolation of ['thread', 'process'] as const) {
  describe(`spare threads (isolation: ${isolation})`, () => {
    let dir: string;
    let client: ReturnType<typeof lambdaClient>;

    before(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'coldstart-spares-'));
      await cp(fixture('spares'), dir, { recursive: true });
    });
    // A variable of the emulator's own environment must never reach a handler, spare or not.
    const cs = useColdstart(() => path.join(dir, 'serverless.yml'), ['--cold-start', 'off', '--isolation', isolation], {
      env: { COLDSTART_TEST_HOST_MARKER: 'leaked' },
      cleanExit: true,
    });
    before(() => {
      client = lambdaClient(cs.url);
    });
    after(async () => {
      client?.destroy();
      await rm(dir, { recursive: true, force: true });
    });

    const spares = async (): Promise<SpareEnvironmentsStatus> => (await getState(cs.url)).spareThreads;

    /** The spare-thread status once `check` holds. */
    const sparesWhen = (what: string, check: (s: SpareEnvironmentsStatus) => boolean, timeoutMs = 30_000): Promise<SpareEnvironmentsStatus> =>
      eventually(async () => {
        const s = await spares();
        return check(s) && s;
      }, timeoutMs, what, 100);

    test('are booted for each memory size before the listening line', async () => {
      const kind = isolation === 'process' ? 'processes' : 'threads';
      const ready = cs.stdout.findIndex((l) => l === `coldstart: 4 spare ${kind} ready (2 for each memory size: 128, 256 MB)`);
      const listening = cs.stdout.findIndex((l) => l.startsWith('coldstart listening on'));
      assert.ok(ready >= 0 && ready < listening, cs.stdout.join('\n'));
      const announced = cs.stdout.includes('coldstart: each instance runs in a child process of its own (isolation: process)');
      assert.equal(announced, isolation === 'process', cs.stdout.join('\n'));
      assert.deepEqual(await spares(), { perMemorySize: 2, memorySizes: [128, 256], ready: 4, booting: 0, taken: 0 });
    });

    test("cold starts take them, each with its function's environment and fresh module state", async () => {
      const overlapping = await Promise.all([1, 2, 3].map(() => invoke(client, 'who', { holdMs: 1000 })));
      const ids = new Set<string>();
      for (const r of overlapping) {
        assert.equal(r.functionError, undefined, JSON.stringify(r.payload));
        assert.deepEqual({ ...r.payload, environmentId: undefined, pid: undefined }, {
          environmentId: undefined,
          pid: undefined,
          calls: 1,
          functionName: 'spares-dev-who',
          memoryEnv: '128',
          memoryContext: '128',
          greeting: 'hello',
          hostMarker: null,
          initType: 'on-demand',
        });
        ids.add(r.payload.environmentId);
        // A spare process is a process of its own; a spare thread runs in the emulator's.
        if (isolation === 'process') assert.notEqual(r.payload.pid, cs.child.pid);
        else assert.equal(r.payload.pid, cs.child.pid);
      }
      assert.equal(ids.size, 3, 'three environments, none sharing module state');
      const after = await spares();
      // Two were ready for 128 MB; the third call may find a replacement if the calls came apart.
      assert.ok(after.taken >= 2, JSON.stringify(after));
      const large = await invoke(client, 'large');
      assert.equal(large.payload.memoryContext, '256');
      assert.equal(large.payload.functionName, 'spares-dev-large');
      const warm = await invoke(client, 'who');
      assert.equal(warm.payload.calls, 2, 'a warm call finds its environment again');
    });

    test('are replaced in the background once taken', async () => {
      await sparesWhen('spares back to 2 per memory size', (s) => s.ready === 4 && s.booting === 0);
    });

    test("a spare holds the function's memory limit: over 128 MB ends that environment only", async () => {
      const r = await invoke(client, 'hog');
      assert.equal(r.payload.errorType, 'Runtime.OutOfMemory', JSON.stringify(r.payload));
      const after = await invoke(client, 'who');
      assert.equal(after.functionError, undefined, JSON.stringify(after.payload));
    });

    test("require() resolves through the function's NODE_PATH, which arrives after the thread booted", async () => {
      const r = await invoke(client, 'nodePath');
      assert.deepEqual(r.payload, { greeting: 'hello from NODE_PATH, spare' });
    });

    test('follow the memory sizes of a reloaded serverless.yml', async () => {
      const file = path.join(dir, 'serverless.yml');
      await writeFile(file, (await readFile(file, 'utf8')).replace('memorySize: 256', 'memorySize: 512'));
      const s = await sparesWhen('spares for 128 and 512 MB', (x) => x.memorySizes.join() === '128,512' && x.ready === 4 && x.booting === 0);
      assert.equal(s.perMemorySize, 2);
      const large = await invoke(client, 'large');
      assert.equal(large.payload.memoryContext, '512');
    });
  });
}
