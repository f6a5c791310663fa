// Instance threads run under SCHED_BATCH at the normal nice value: a woken instance thread does
// not preempt the thread that woke it, and it keeps a full share of the CPU.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fixture, startColdstart, type RunningColdstart } from './helpers/server.js';

const SCHED_BATCH = 3;
const canBatch = process.platform === 'linux' && spawnSync('chrt', ['--version'], { stdio: 'ignore' }).status === 0;

describe('instance thread scheduling', { skip: canBatch ? false : 'needs Linux and util-linux chrt' }, () => {
  let cs: RunningColdstart;
  before(async () => {
    cs = await startColdstart(fixture('scheduling', 'serverless.yml'), ['--cold-start', 'off', '--no-watch']);
  });
  after(async () => {
    assert.equal(await cs?.stop(), 0);
  });

  test('the instance thread and the main thread are SCHED_BATCH with nice 0', async () => {
    const res = await fetch(`${cs.url}/2015-03-31/functions/policy/invocations`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { instance: { nice: number; policy: number }; main: { nice: number; policy: number } };
    assert.deepEqual(body.instance, { nice: 0, policy: SCHED_BATCH }, JSON.stringify(body));
    assert.deepEqual(body.main, { nice: 0, policy: SCHED_BATCH }, JSON.stringify(body));
  });
});
