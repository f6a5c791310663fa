// What a handler can read of the emulator's own environment through /proc/self/environ: in a
// process of its own (isolation: process) nothing; in a worker thread, the emulator's whole
// environment, because a thread shares its process's. docs/security.md says so; if the second
// test ever fails, that page must change with it.
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { invoke, lambdaClient } from './helpers/lambda.js';
import { fixture, startColdstart } from './helpers/server.js';

const MARKER = 'COLDSTART_HOST_ONLY_MARKER';

async function environNames(t: TestContext, isolation: 'thread' | 'process'): Promise<string[] | null> {
  const cs = await startColdstart(t, fixture('hardening', 'serverless.yml'), ['--isolation', isolation], { env: { [MARKER]: 'host secret' } });
  const client = lambdaClient(cs.url);
  t.after(() => client.destroy());
  const r = await invoke(client, 'environ');
  return r.payload.names as string[] | null;
}

describe('hardening: /proc/self/environ', () => {
  test('isolation: process shows the handler none of the emulator environment', async (t) => {
    const names = await environNames(t, 'process');
    assert.ok(names !== null, 'this test needs /proc');
    assert.equal(names.includes(MARKER), false);
    assert.equal(names.includes('PATH'), false);
  });

  test('isolation: thread shares the emulator environment through /proc (documented)', async (t) => {
    const names = await environNames(t, 'thread');
    assert.ok(names !== null, 'this test needs /proc');
    assert.equal(names.includes(MARKER), true);
  });
});
