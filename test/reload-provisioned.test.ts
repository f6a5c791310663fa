// Hot reload of a function with provisioned concurrency: the new code is initialized in the
// background while the old provisioned instance keeps serving, then takes over, never cold.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initDuration, invoke } from './helpers/lambda.js';
import { eventually, invokeUntil, useReloadService } from './helpers/reload.js';

const svc = useReloadService('provisioned');

test('provisioned instances are re-initialized in the background and serve the old code until the new ones are ready', { timeout: 180_000 }, async () => {
  const first = await invoke(svc.client, 'warm');
  assert.equal(first.payload.version, 'v1');
  assert.equal(first.payload.initType, 'provisioned-concurrency');
  assert.equal(initDuration(first.log), undefined, 'a provisioned instance answers warm');
  const oldInstance = svc.events('invoke.start').at(-1)?.instanceId;
  assert.ok(oldInstance, 'an invoke.start event');

  await svc.edit('handler.mjs', "'v1'", "'v2'");
  const reload = await eventually(() => svc.events('code.reloaded')[0], 10_000, 'code.reloaded');
  assert.deepEqual(reload.functions, ['warm']);
  // The replacement needs 3 s of init: meanwhile the old instance answers, with the old code, warm.
  const during = await invoke(svc.client, 'warm');
  assert.equal(during.payload.version, 'v1');
  assert.equal(initDuration(during.log), undefined, 'no cold start while the new code initializes');
  const reinit = svc.events('instance.init.start').find((e) => e.codeVersion === reload.codeVersion);
  assert.equal(reinit?.initType, 'provisioned-concurrency', 'the re-initialization started right away');

  const fresh = await invokeUntil(svc.client, 'warm', (x) => x.payload?.version === 'v2', 20_000);
  assert.equal(fresh.payload.initType, 'provisioned-concurrency');
  assert.equal(initDuration(fresh.log), undefined, 'the new provisioned instance answers warm');
  const retired = await eventually(() => svc.events('instance.retired').find((e) => e.instanceId === oldInstance), 5_000, 'old instance retired');
  assert.equal(retired.reason, 'reload');
});
