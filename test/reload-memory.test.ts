// Many reloads in a row: every one is picked up, and the server's memory does not grow with them
// (old instances, their threads and module caches are released).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { initDuration } from './helpers/lambda.js';
import { invokeUntil, useReloadService } from './helpers/reload.js';
import { functionState, getState } from './helpers/state.js';

const svc = useReloadService();

/** Resident set size of a process, in MB (Linux /proc). */
async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  assert.ok(kb > 0, 'VmRSS readable');
  return kb / 1024;
}

async function reload(i: number): Promise<void> {
  // Both the handler and a module it imports change: each instance must see both new files.
  await svc.edit('handlers/hello.mjs', /const VERSION = '[^']*';/, `const VERSION = 'r${i}';`);
  await svc.write('lib/message.mjs', `export const message = 'm${i}';\n`);
  const r = await invokeUntil(svc.client, 'hello', (x) => x.payload?.version === `r${i}` && x.payload?.message === `m${i}`, 10_000);
  assert.ok(initDuration(r.log) !== undefined, `reload ${i} ran on a new instance`);
}

test('50 reloads in a row are all picked up and RSS grows by less than 50 MB', { timeout: 300_000 }, async () => {
  const pid = svc.cs.child.pid!;
  // Warm-up: JIT, the esbuild service, the first worker threads.
  for (let i = 0; i < 5; i++) await reload(i);
  const baseline = await rssMb(pid);
  const reloadsBefore = svc.events('code.reloaded').length;
  for (let i = 5; i < 55; i++) await reload(i);
  const final = await rssMb(pid);
  // Two writes per edit: a burst may be cut between them, or merge with the next edit's writes.
  const reloads = svc.events('code.reloaded').length - reloadsBefore;
  assert.ok(reloads >= 25, `reloads happened (${reloads})`);
  assert.ok(final - baseline < 50, `RSS grew from ${baseline.toFixed(1)} MB to ${final.toFixed(1)} MB over 50 reloads`);
  const hello = functionState(await getState(svc.cs.url), 'hello');
  assert.ok(hello.instances.filter((i) => i.state !== 'retired').length <= 1, 'old instances are gone');
  console.log(`# RSS ${baseline.toFixed(1)} MB -> ${final.toFixed(1)} MB after 50 edits (${reloads} reloads)`);
});
