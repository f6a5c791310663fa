// Instance threads (and processes) run under SCHED_BATCH at an unchanged nice value: a woken
// instance does not preempt the thread that woke it, and it keeps its full share of the CPU.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fixture, useColdstart } from './helpers/server.js';

const SCHED_BATCH = 3;
// Whether this machine lets a process take the policy at all (a container may forbid it).
const canBatch = process.platform === 'linux' && spawnSync('chrt', ['--batch', '0', 'true'], { stdio: 'ignore' }).status === 0;

/** Nice value and policy of a thread or process (fields 19 and 41 of stat, counted after the command name). */
function schedOf(statPath: string): { nice: number; policy: number } {
  const stat = readFileSync(statPath, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { nice: Number(fields[19 - 3]), policy: Number(fields[41 - 3]) };
}

/** The nice value of this test process, which the emulator's process inherits. */
function ownNice(): number {
  return schedOf('/proc/self/stat').nice;
}

// A thread inherits the policy from the thread that starts it, a process from the one that forks it.
for (const isolation of ['thread', 'process'] as const) {
  describe(`instance thread scheduling (isolation: ${isolation})`, { skip: canBatch ? false : 'needs Linux and util-linux chrt' }, () => {
    const cs = useColdstart(fixture('scheduling', 'serverless.yml'), ['--cold-start', 'off', '--no-watch', '--isolation', isolation], { cleanExit: true });

    test("the instance's thread and the emulator's main thread are SCHED_BATCH at the nice value they started with", async () => {
      const res = await fetch(`${cs.url}/2015-03-31/functions/policy/invocations`, { method: 'POST', body: '{}' });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { instance: { nice: number; policy: number }; main: { nice: number; policy: number } };
      const nice = ownNice();
      assert.deepEqual(body.instance, { nice, policy: SCHED_BATCH }, JSON.stringify(body));
      assert.deepEqual(body.main, { nice, policy: SCHED_BATCH }, JSON.stringify(body));
      // Read from here: in a process of its own, the handler's main thread is not the emulator's.
      assert.deepEqual(schedOf(`/proc/${cs.child.pid}/stat`), { nice, policy: SCHED_BATCH });
    });
  });
}
