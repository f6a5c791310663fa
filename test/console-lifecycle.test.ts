// Lifecycle events that need their own server: idle retirement (short idle timeout) and hot reload (watching a copy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixture, startColdstart } from './helpers/server.js';
import { invoke, lambdaClient } from './helpers/lambda.js';
import { connectEvents } from './helpers/events.js';
import type { CodeReloadedEvent, InitStartEvent, InstanceRetiredEvent, InvokeStartEvent } from '../src/types/events.js';

test('an idle instance is retired with reason idle', async (t) => {
  const cs = await startColdstart(t, fixture('console', 'serverless.yml'), ['--cold-start', 'off', '--no-watch', '--idle-timeout', '1']);
  const client = lambdaClient(cs.url);
  t.after(() => client.destroy());
  const stream = await connectEvents(cs.url);
  const r = await invoke(client, 'sleepy', { ms: 10 });
  assert.equal(r.functionError, undefined);
  const start = await stream.waitFor<InvokeStartEvent>((e) => e.type === 'invoke.start' && e.function === 'sleepy');
  const retired = await stream.waitFor<InstanceRetiredEvent>((e) => e.type === 'instance.retired', 15_000);
  assert.deepEqual(
    { function: retired.function, instanceId: retired.instanceId, reason: retired.reason },
    { function: 'sleepy', instanceId: start.instanceId, reason: 'idle' },
  );
  assert.match(cs.stdout.join('\n'), new RegExp(`^sleepy +\\| retired instance ${start.instanceId} \\(idle\\)$`, 'm'));
  await stream.close();
});

test('editing a handler publishes code.reloaded, retires the old instance and the next call starts cold on the new version', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'coldstart-console-'));
  cpSync(fixture('console'), dir, { recursive: true });
  const cs = await startColdstart(t, path.join(dir, 'serverless.yml'), ['--cold-start', 'off']);
  const client = lambdaClient(cs.url);
  t.after(async () => {
    client.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  const stream = await connectEvents(cs.url);
  await invoke(client, 'hello');
  const firstInit = await stream.waitFor<InitStartEvent>((e) => e.type === 'instance.init.start' && e.function === 'hello');
  assert.equal(firstInit.codeVersion, 1);

  appendFileSync(path.join(dir, 'handlers.mjs'), '\n// edited by the test\n');
  const reloaded = await stream.waitFor<CodeReloadedEvent>((e) => e.type === 'code.reloaded', 20_000);
  assert.ok(reloaded.functions.includes('hello'), JSON.stringify(reloaded));
  assert.ok(reloaded.codeVersion > 1);
  assert.ok(reloaded.files.some((f) => f.endsWith('handlers.mjs')), JSON.stringify(reloaded.files));
  assert.equal(typeof reloaded.time, 'number');

  const retired = await stream.waitFor<InstanceRetiredEvent>((e) => e.type === 'instance.retired' && e.instanceId === firstInit.instanceId);
  assert.equal(retired.reason, 'reload');

  await invoke(client, 'hello');
  const secondInit = await stream.waitFor<InitStartEvent>(
    (e) => e.type === 'instance.init.start' && e.function === 'hello' && e.instanceId !== firstInit.instanceId,
  );
  assert.equal(secondInit.codeVersion, reloaded.codeVersion);
  const start = await stream.waitFor<InvokeStartEvent>((e) => e.type === 'invoke.start' && e.instanceId === secondInit.instanceId);
  assert.equal(start.cold, true);
  await cs.waitForLine(/^reload +\| RELOAD code version \d+: .*hello/);
  await stream.close();
});
