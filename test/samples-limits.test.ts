// The limit samples of samples/ (reserved-concurrency spike, gateway timeout, connection pool, SQS
// migration), run through their own scripts against the real emulator, held to what the README
// claims. The gateway timeout and the engine latency are shortened (6 s and 9 s instead of 29 s
// and 35 s) and migrateAll's timeout is 2 s instead of 900 s, through the sample's own ${env:}
// variables and the --gateway-timeout flag: the handlers are unchanged.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, useColdstart, testEnv } from './helpers/server.js';
import { invoke, lambdaClient } from './helpers/lambda.js';
import { getMetrics } from './helpers/state.js';

/** Imports a sample script (plain JS ESM) from samples/scripts. */
async function sample(name: string): Promise<{ main: (opts: Record<string, unknown>) => Promise<any> }> {
  return import(pathToFileURL(path.join(repoRoot, 'samples', 'scripts', `${name}.mjs`)).href);
}

const quiet = () => {};

describe('samples: limits', () => {
  const cs = useColdstart(path.join(repoRoot, 'samples', 'serverless.yml'), ['--no-watch', '--cold-start', 'off', '--gateway-timeout', '6'], {
    env: { ENGINE_LATENCY_MS: '9000', MIGRATE_ALL_TIMEOUT: '2' },
  });

  test('start-up warns about the slow recommendation function, not about its fix', async () => {
    const lines = [...cs.stdout, ...cs.stderr].filter((l) => /warning: .*gives up after/.test(l));
    assert.ok(lines.some((l) => l.includes('"recommendationsSlow"')), lines.join('\n'));
    assert.ok(!lines.some((l) => l.includes('"recommendations"')), lines.join('\n'));
  });

  test('spike on reservedConcurrency 3: 429s without retry, all through with backoff, never more than 3 running', async () => {
    const { main } = await sample('spike');
    const r = await main({ url: cs.url, print: quiet, burst: 20 });
    assert.equal(r.naive.succeeded + r.naive.throttled, 20);
    assert.ok(r.naive.succeeded >= 3, `succeeded ${r.naive.succeeded}`);
    assert.ok(r.naive.throttled >= 10, `throttled ${r.naive.throttled}`);
    assert.deepEqual(r.naive.reasons, ['ReservedFunctionConcurrentInvocationLimitExceeded']);
    assert.equal(r.retried.succeeded, 20);
    assert.ok(r.retried.maxAttempts > 1, 'some calls needed a retry');
    const metrics = (await getMetrics(cs.url)).functions.ingest!;
    assert.ok(metrics.peakConcurrentExecutions <= 3, `peak ${metrics.peakConcurrentExecutions}`);
    assert.ok(metrics.throttles >= r.naive.throttled);
  });

  test('gateway timeout: 504 while the slow function runs on; the fix answers 200 with a fallback in time', async () => {
    const { main } = await sample('gateway-timeout');
    const r = await main({ url: cs.url, print: quiet, waitForEnd: true });
    assert.equal(r.slow.status, 504);
    assert.deepEqual(r.slow.body, { message: 'Endpoint request timed out' });
    assert.ok(r.slow.ms >= 5500 && r.slow.ms < 9000, `504 after ${r.slow.ms} ms (gateway timeout 6 s, engine 9 s)`);
    assert.equal(r.stillRunningAfterGatewayTimeout, 1, 'the invocation outlives the gateway');
    assert.ok(r.slowEndedAfterMs >= 8500, `the slow invocation ended after ${r.slowEndedAfterMs} ms (engine 9 s)`);
    assert.equal(r.fixed.status, 200);
    assert.equal(r.fixed.body.source, 'fallback');
    // A 200 is itself the proof that the fix answered inside the gateway timeout (else: 504). The
    // client's own clock also counts connecting and queueing, so it is not compared with 6 s.
    assert.deepEqual(r.fixed.body.items, ['beans', 'espresso machine', 'grinder']);
  });

  test('connection pool: one connection per instance vs one per call', async () => {
    const { main } = await sample('connection-pool');
    const r = await main({ url: cs.url, print: quiet, calls: 10 });
    assert.equal(r.usersPooled.coldStarts, 1);
    assert.equal(r.usersPooled.connectionsOpened, 1);
    assert.equal(r.usersPerCall.connectionsOpened, 10);
    assert.equal(r.usersPerCall.connectionsOpen, 0);
    assert.ok(r.usersPooled.warmDurationMs < r.usersPerCall.warmDurationMs, 'reusing the connection skips the connect time');
  });

  test('migration: one invocation hits its timeout; the same records as SQS batches all finish', async () => {
    const client = lambdaClient(cs.url);
    try {
      const all = await invoke(client, 'migrateAll', { totalRecords: 5000 });
      assert.equal(all.functionError, 'Unhandled');
      assert.match(all.payload.errorMessage, /Task timed out after 2\.00 seconds/);
    } finally {
      client.destroy();
    }
    const { main } = await sample('sqs-migration');
    const r = await main({ url: cs.url, print: quiet, records: 5000, batchSize: 500, timeoutMs: 40_000 });
    assert.equal(r.batches, 10);
    assert.equal(r.processed, 10);
    assert.equal(r.failed, 0);
    assert.ok(r.perBatchP50Ms < 2000, `each batch (${r.perBatchP50Ms} ms) fits in the time the single invocation could not`);
  });

  test('a sample script runs from the command line and prints its table', async () => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'samples', 'scripts', 'connection-pool.mjs')], {
      env: testEnv({ COLDSTART_URL: cs.url }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, err);
    assert.match(out, /usersPooled\s+10\s+\d\s+\d+/);
    assert.match(out, /connections opened/);
  });
});
