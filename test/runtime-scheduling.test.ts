// Instance threads run under SCHED_BATCH at an unchanged nice value: a woken instance thread does
// not preempt the thread that woke it, and it keeps its full share of the CPU.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fixture, startColdstart, type RunningColdstart } from './helpers/server.js';

const SCHED_BATCH = 3;
// Whether this machine lets a process take the policy at all (a container may forbid it).
const canBatch = process.platform === 'linux' && spawnSync('chrt', ['--batch', '0', 'true'], { stdio: 'ignore' }).status === 0;

/** The nice value of this test process, which the emulator's process inherits (field 19 of stat). */
function ownNice(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19 - 3]);
}

describe('instance thread scheduling', { skip: canBatch ? false : 'needs Linux and util-linux chrt' }, () => {
  let cs: RunningColdstart;
  before(async () => {
    cs = await startColdstart(fixture('scheduling', 'serverless.yml'), ['--cold-start', 'off', '--no-watch']);
  });
  after(async () => {
    assert.equal(await cs?.stop(), 0);
  });

  test('the instance thread and the main thread are SCHED_BATCH at the nice value they started with', async () => {
    const res = await fetch(`${cs.url}/2015-03-31/functions/policy/invocations`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { instance: { nice: number; policy: number }; main: { nice: number; policy: number } };
    const nice = ownNice();
    assert.deepEqual(body.instance, { nice, policy: SCHED_BATCH }, JSON.stringify(body));
    assert.deepEqual(body.main, { nice, policy: SCHED_BATCH }, JSON.stringify(body));
  });
});
