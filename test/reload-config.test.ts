// Hot reload of serverless.yml (and the files it includes), end to end.
import assert from 'node:assert/strict';
import { ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { describe, test } from 'node:test';
import { initDuration, invoke } from './helpers/lambda.js';
import { eventually, invokeUntil, reloadNumber, useReloadService } from './helpers/reload.js';

describe('hot reload: serverless.yml', () => {
  const svc = useReloadService();

  const memorySize = (log: string) => Number(/Memory Size: (\d+) MB/.exec(log)?.[1]);

  test('a value from a ${file()} include changes the environment of new instances', async () => {
    const first = await invoke(svc.client, 'hello');
    assert.equal(first.payload.greeting, 'hello');
    const count = svc.events('code.reloaded').length;
    await svc.write('settings.yml', 'greeting: bonjour\n');
    const r = await invokeUntil(svc.client, 'hello', (x) => x.payload?.greeting === 'bonjour');
    assert.ok(initDuration(r.log) !== undefined, 'a new instance was set up with the new environment');
    const reload = await reloadNumber(svc, count + 1);
    assert.deepEqual(reload.files, ['settings.yml']);
    assert.deepEqual(reload.functions, ['hello', 'legacy', 'other', 'typed'], 'provider.environment is every function’s');
  });

  test('a function-level setting (memory, environment) applies to that function only', async () => {
    const other = await invoke(svc.client, 'other');
    const count = svc.events('code.reloaded').length;
    await svc.edit('serverless.yml', '    handler: handlers/hello.handler\n', '    handler: handlers/hello.handler\n    memorySize: 512\n    environment:\n      GREETING: hola\n');
    const r = await invokeUntil(svc.client, 'hello', (x) => x.payload?.greeting === 'hola');
    assert.equal(memorySize(r.log), 512, r.log);
    const reload = await reloadNumber(svc, count + 1);
    assert.deepEqual(reload.functions, ['hello']);
    assert.deepEqual(reload.files, ['serverless.yml']);
    const still = await invoke(svc.client, 'other');
    assert.equal(still.payload.invocations, other.payload.invocations + 1, 'other kept its warm instance');
    assert.equal(memorySize(still.log), 256);
  });

  test('an added function appears, a removed one is gone, a changed route is served', async () => {
    await invoke(svc.client, 'legacy');
    // Requested before the edit, so the old route table has resolved this path once already.
    assert.equal((await fetch(`${svc.cs.url}/hello`)).status, 200);
    const count = svc.events('code.reloaded').length;
    await svc.edit('serverless.yml', /  legacy:\n    handler: handlers\/legacy.handler\n/, '  added:\n    handler: handlers/other.handler\n');
    await svc.edit('serverless.yml', 'path: /hello', 'path: /hi');
    const added = await invokeUntil(svc.client, 'added', (x) => x.payload?.other === true);
    assert.equal(added.functionError, undefined);
    const reload = await reloadNumber(svc, count + 1);
    assert.ok(reload.functions.includes('added'), JSON.stringify(reload));
    await assert.rejects(invoke(svc.client, 'legacy'), (err: unknown) => err instanceof ResourceNotFoundException);
    const retired = svc.events('instance.retired').filter((e) => e.function === 'legacy');
    assert.equal(retired.at(-1)?.reason, 'reload');
    const hi = await fetch(`${svc.cs.url}/hi`);
    assert.equal(hi.status, 200);
    assert.equal(((await hi.json()) as { greeting: string }).greeting, 'hola');
    assert.equal((await fetch(`${svc.cs.url}/hello`)).status, 404);
  });

  test('an invalid edit is reported with file, line and key; the last good configuration keeps serving until fixed', async () => {
    const reloads = svc.events('code.reloaded').length;
    // Only lines printed after this edit count: a reader that caught an earlier write half done
    // (settings.yml empty for a moment) may have printed one already.
    const notReloaded = () => svc.cs.stderr.filter((l) => /serverless\.yml not reloaded/.test(l));
    const earlier = notReloaded().length;
    await svc.edit('serverless.yml', 'timeout: 10', 'timeout: 9999');
    const line = await eventually(() => notReloaded()[earlier], 10_000, 'the invalid-timeout line');
    assert.match(line, /serverless\.yml:\d+:\d+/);
    assert.match(line, /provider\.timeout/);
    assert.match(line, /900/);
    const served = await invoke(svc.client, 'hello');
    assert.equal(served.functionError, undefined);
    assert.equal(served.payload.greeting, 'hola', 'the old configuration still serves');

    await svc.edit('serverless.yml', 'timeout: 9999', 'timeout: [10');
    const yamlError = await eventually(() => notReloaded()[earlier + 1], 10_000, 'YAML error line');
    assert.match(yamlError, /serverless\.yml:\d+:\d+: invalid YAML/);
    assert.equal((await invoke(svc.client, 'hello')).payload.greeting, 'hola');
    assert.equal(svc.events('code.reloaded').length, reloads, 'nothing was reloaded');

    await svc.edit('serverless.yml', 'timeout: [10', 'timeout: 10');
    await svc.edit('serverless.yml', 'GREETING: hola', 'GREETING: fixed');
    await invokeUntil(svc.client, 'hello', (x) => x.payload?.greeting === 'fixed');
    assert.equal(svc.cs.child.exitCode, null, 'the server never stopped');
  });

  test('a handler named before its file exists fails only its function until the file is created', async () => {
    await svc.edit('serverless.yml', '  added:\n    handler: handlers/other.handler\n', '  added:\n    handler: handlers/later.handler\n');
    const line = await svc.cs.waitForLine(/function "added" cannot load: .*handlers\/later\.handler/, 10_000);
    assert.match(line, /Runtime\.ImportModuleError/);
    // As after a deploy that names a missing file: that function fails, the others serve.
    await invokeUntil(svc.client, 'added', (x) => x.payload?.errorType === 'Runtime.ImportModuleError');
    assert.equal((await invoke(svc.client, 'hello')).functionError, undefined);
    await svc.write('handlers/later.mjs', "export const handler = async () => ({ later: true });\n");
    await invokeUntil(svc.client, 'added', (x) => x.payload?.later === true);
  });
});
