// An init past the init limit fails its init phase (INIT_REPORT ... Status: timeout) and is retried
// inside the first invocation, counted against the function timeout.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { fixture, useColdstart } from './helpers/server.js';
import { invoke, lambdaClient } from './helpers/lambda.js';

describe('init limit', () => {
  let client: ReturnType<typeof lambdaClient>;
  const cs = useColdstart(fixture('init-timeout', 'serverless.yml'), ['--no-watch']);
  before(async () => {
    client = lambdaClient(cs.url);
  });
  after(async () => {
    client?.destroy();
  });

  test('the init times out at the limit and is re-run inside the first invocation, which succeeds', async () => {
    const t0 = performance.now();
    const r = await invoke(client, 'slowInit');
    const elapsed = performance.now() - t0;
    assert.equal(r.functionError, undefined, JSON.stringify(r.payload));
    assert.match(r.log, /^INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: timeout$/m);
    const initReport = Number(/INIT_REPORT Init Duration: ([\d.]+) ms/.exec(r.log)![1]);
    assert.ok(initReport >= 1000 && initReport < 1500, `the init phase was cut at the 1 s limit (${initReport} ms)`);
    // 1 s of failed init, then the re-run init (1.5 s) inside the invocation.
    assert.ok(elapsed >= 2500, `the client waited for both inits (${elapsed.toFixed(0)} ms)`);
    const duration = Number(/\tDuration: ([\d.]+) ms/.exec(r.log)![1]);
    assert.ok(duration >= 1500, `the re-run init counts in the invocation's Duration (${duration} ms)`);
    const warm = await invoke(client, 'slowInit');
    assert.equal(warm.payload.initializedAt, r.payload.initializedAt, 'the re-initialized instance then serves warm');
  });

  test('a re-run init that passes the function timeout fails the invocation with a timeout', async () => {
    const r = await invoke(client, 'slowInitShortTimeout');
    assert.equal(r.functionError, 'Unhandled');
    assert.match(r.payload.errorMessage, /Task timed out after 1\.00 seconds/);
  });
});
