// The memory limit through the real AWS SDK: faults that must end one environment and never the
// emulator, and garbage that must not count as memory in use.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, useColdstart } from './helpers/server.js';
import { invoke, initDuration, lambdaClient } from './helpers/lambda.js';

// Every test runs against instances in worker threads (the default) and in child processes.
for (const isolation of ['thread', 'process'] as const) {
  describe(`core: the memory limit (isolation: ${isolation})`, () => {
    let client: ReturnType<typeof lambdaClient>;

    const cs = useColdstart(fixture('memory', 'serverless.yml'), ['--cold-start', 'off', '--no-watch', '--isolation', isolation], { cleanExit: true });

    before(async () => {
      client = lambdaClient(cs.url);
    });
    after(async () => {
      client?.destroy();
    });

    async function stillServing(): Promise<void> {
      const r = await invoke(client, 'small');
      assert.equal(r.functionError, undefined, JSON.stringify(r.payload));
      assert.equal(typeof r.payload.calls, 'number');
      assert.equal(r.payload.gc, 'undefined');
    }

    for (const step of ['spreadKeys', 'mapObjects', 'mapStrings', 'bigString']) {
      test(`${step}: an allocation past the limit in one step ends only its environment, with Runtime.OutOfMemory`, async () => {
        const r = await invoke(client, 'oneStep', { step, keep: true });
        assert.equal(r.functionError, 'Unhandled', JSON.stringify(r.payload));
        assert.equal(r.payload.errorType, 'Runtime.OutOfMemory');
        assert.match(r.log, /Max Memory Used: 128 MB\t.*Status: error\tError Type: Runtime\.OutOfMemory/);
        await stillServing();
      });
    }

    // Seen only while the handler runs: the thread is measured from outside while it has not
    // yielded for 100 ms. Both take far longer than that here.
    for (const step of ['spreadKeys', 'buildLoop']) {
      test(`${step}: a peak over the limit that is garbage again when the handler returns still counts`, async () => {
        const r = await invoke(client, 'oneStep', { step });
        assert.equal(r.payload.errorType, 'Runtime.OutOfMemory', JSON.stringify(r.payload));
        await stillServing();
      });
    }

    // In a thread, the first aborts the emulator and the second goes unseen (README, "Known limits").
    for (const step of isolation === 'process' ? ['fillHoles', 'parseDropped'] : []) {
      test(`${step}: past memorySize inside one built-in, ended by V8's cap in the instance's own process`, async () => {
        const r = await invoke(client, 'oneStep', { step });
        assert.equal(r.functionError, 'Unhandled', JSON.stringify(r.payload));
        assert.equal(r.payload.errorType, 'Runtime.OutOfMemory', JSON.stringify(r.payload));
        assert.match(r.log, /Max Memory Used: 128 MB\t.*Status: error\tError Type: Runtime\.OutOfMemory/);
        await stillServing();
      });
    }

    test('600 MB of objects that die after a while, at most 65 MB alive at once, fit in 128 MB', async () => {
      const r = await invoke(client, 'churn');
      assert.equal(r.functionError, undefined, JSON.stringify(r.payload));
      assert.equal(r.payload.total, 150 * 1e5);
      assert.equal(r.payload.gc, 'undefined', 'no global gc() leaks to handlers');
      const used = Number(/Max Memory Used: (\d+) MB/.exec(r.log)![1]);
      assert.ok(used <= 128, `Max Memory Used ${used} MB`);
    });

    test('a leak that never yields is measured from outside its thread and stopped near memorySize', async () => {
      const r = await invoke(client, 'syncLeak');
      assert.equal(r.payload.errorType, 'Runtime.OutOfMemory', JSON.stringify(r.payload));
      if (isolation === 'process') {
        // A process's V8 cap is the memory size itself: V8 ends it, and no measurement is needed.
        assert.match(r.payload.errorMessage, /exceeded the function's memorySize of 128 MB/);
      } else {
        // Only a measurement knows the amount; V8's cap (memorySize + 1 GB = 1152 MB) ends the thread
        // without one, so a message with no amount, or one near 1152 MB, means the measurement failed.
        const reached = /reached (\d+) MB, over the function's memorySize of 128 MB/.exec(r.payload.errorMessage);
        assert.ok(reached, r.payload.errorMessage);
        assert.ok(Number(reached[1]) < 640, r.payload.errorMessage);
      }
      await stillServing();
    });

    test('Buffers kept by code that never yields are measured from outside and stopped long before the loop ends', async () => {
      const r = await invoke(client, 'syncBuffers');
      assert.equal(r.payload.errorType, 'Runtime.OutOfMemory', JSON.stringify(r.payload));
      // A thread is asked through the inspector; a process's resident memory is read from /proc.
      const reached = /reached (\d+) MB, over the function's memorySize of 128 MB/.exec(r.payload.errorMessage);
      assert.ok(reached && Number(reached[1]) < 1024, r.payload.errorMessage);
      await stillServing();
    });

    test('code that never yields, with garbage over memorySize but 70 MB alive, is not stopped', async () => {
      const r = await invoke(client, 'syncChurn');
      assert.equal(r.functionError, undefined, JSON.stringify(r.payload));
      assert.equal(r.payload.kept, 40);
      const used = Number(/Max Memory Used: (\d+) MB/.exec(r.log)![1]);
      assert.ok(used <= 128, `Max Memory Used ${used} MB`);
    });

    test('module scope over memorySize fails the init phase and its re-run with Runtime.OutOfMemory', async () => {
      const r = await invoke(client, 'initHog');
      assert.equal(r.payload.errorType, 'Runtime.OutOfMemory', JSON.stringify(r.payload));
      assert.match(r.log, /^INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: Runtime\.OutOfMemory$/m);
      assert.match(r.log, /^INIT_REPORT Init Duration: [\d.]+ ms\tPhase: invoke\tStatus: error\tError Type: Runtime\.OutOfMemory$/m);
      await stillServing();
    });

    test('process.exit in module scope fails the init phase at once, not at the 10 s init limit', async () => {
      const t0 = Date.now();
      const r = await invoke(client, 'initExit');
      const elapsed = Date.now() - t0;
      assert.equal(r.payload.errorType, 'Runtime.ExitError', JSON.stringify(r.payload));
      assert.match(r.payload.errorMessage, /Runtime exited with error: exit status 2/);
      assert.match(r.log, /^INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: Runtime\.ExitError$/m);
      assert.match(r.log, /^INIT_REPORT Init Duration: [\d.]+ ms\tPhase: invoke\tStatus: error\tError Type: Runtime\.ExitError$/m);
      assert.ok(initDuration(r.log)! < 5_000, r.log);
      assert.ok(elapsed < 8_000, `answered in ${elapsed} ms`);
      // Every call meets a fresh environment that fails the same way.
      const again = await invoke(client, 'initExit');
      assert.equal(again.payload.errorType, 'Runtime.ExitError');
      await stillServing();
    });
  });
}
