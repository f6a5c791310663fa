// A handler's child process ends with its instance, as Lambda ends the whole sandbox: when the
// instance is retired and when the emulator shuts down, in thread and in process isolation.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { connectEvents } from './helpers/events.js';
import { eventually } from './helpers/eventually.js';
import { invoke, lambdaClient } from './helpers/lambda.js';
import { fixture, startColdstart } from './helpers/server.js';

/** True while the process exists and is not a zombie. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function gone(pid: number, what: string): Promise<true> {
  return eventually(() => !running(pid), 10_000, what, 100);
}

for (const isolation of ['thread', 'process'] as const) {
  describe(`hardening: a handler's child processes (isolation: ${isolation})`, () => {
    test('a sleep 300 started by a handler ends when its instance is retired, and at shutdown', async (t) => {
      const cs = await startColdstart(t, fixture('hardening', 'serverless.yml'), ['--isolation', isolation, '--idle-timeout', '2']);
      const pids: number[] = [];
      // Runs after the server's teardown (hooks run in the order registered): nothing the test started outlives it.
      t.after(() => {
        for (const pid of pids) if (running(pid)) process.kill(pid, 'SIGKILL');
      });
      const events = await connectEvents(cs.url);
      const client = lambdaClient(cs.url);
      t.after(async () => {
        client.destroy();
        await events.close();
      });
      const first = await invoke(client, 'spawnSleep');
      const pid = first.payload.pid as number;
      pids.push(pid);
      assert.ok(running(pid), 'the child runs while its instance lives');
      await events.waitFor((e) => e.type === 'instance.retired' && e.function === 'spawnSleep', 30_000);
      await gone(pid, `the end of sleep ${pid} with its retired instance`);

      const second = await invoke(client, 'spawnSleep');
      pids.push(second.payload.pid as number);
      assert.ok(running(pids[1]!));
      // A shell's own child (as `exec` starts one) ends too.
      const tree = await invoke(client, 'spawnTree');
      const { shell, sleeper } = tree.payload as { shell: number; sleeper: number | null };
      assert.ok(sleeper !== null, 'the shell started its sleep');
      pids.push(shell, sleeper);
      assert.ok(running(sleeper));
      await events.close();
      client.destroy();
      assert.equal(await cs.stop(), 0);
      for (const pid of pids.slice(1)) await gone(pid, `the end of process ${pid} with the emulator`);
    });
  });
}
