// Broken code during hot reload: the edited function fails the way Lambda reports it, the others
// keep serving, and fixing the file recovers without a restart. And --no-watch turns it all off.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { initDuration, invoke } from './helpers/lambda.js';
import { invokeUntil, useReloadService } from './helpers/reload.js';
import { getState } from './helpers/state.js';

describe('hot reload: broken code', () => {
  const svc = useReloadService();

  test('a syntax error fails only that function with Runtime.UserCodeSyntaxError; the fix recovers', async () => {
    const other = await invoke(svc.client, 'other');
    await svc.edit('handlers/hello.mjs', 'invocations += 1;', 'invocations += ;');
    const broken = await invokeUntil(svc.client, 'hello', (x) => x.functionError !== undefined);
    assert.equal(broken.functionError, 'Unhandled');
    assert.equal(broken.payload.errorType, 'Runtime.UserCodeSyntaxError', JSON.stringify(broken.payload));
    const line = await svc.cs.waitForLine(/coldstart: hello: handlers\/hello\.mjs:\d+:\d+: /, 10_000);
    assert.match(line, /fail until this is fixed/);

    const still = await invoke(svc.client, 'other');
    assert.equal(still.functionError, undefined);
    assert.equal(still.payload.invocations, other.payload.invocations + 1, 'other kept its warm instance');

    await svc.edit('handlers/hello.mjs', 'invocations += ;', 'invocations += 1;');
    const fixed = await invokeUntil(svc.client, 'hello', (x) => x.functionError === undefined);
    assert.equal(fixed.payload.version, 'v1');
    assert.ok(initDuration(fixed.log) !== undefined);
  });

  test('an import that fails is a Runtime.ImportModuleError; creating the missing file recovers', async () => {
    await svc.edit('handlers/hello.mjs', "import { message } from '../lib/message.mjs';", "import { message } from '../lib/later.mjs';");
    const broken = await invokeUntil(svc.client, 'hello', (x) => x.functionError !== undefined);
    assert.equal(broken.payload.errorType, 'Runtime.ImportModuleError', JSON.stringify(broken.payload));
    await svc.cs.waitForLine(/coldstart: hello: .*later\.mjs/, 10_000);
    // Only the new file is written: the handler is not touched again.
    await svc.write('lib/later.mjs', "export const message = 'later';\n");
    const fixed = await invokeUntil(svc.client, 'hello', (x) => x.payload?.message === 'later');
    assert.equal(fixed.functionError, undefined);
    const reload = svc.events('code.reloaded').at(-1);
    assert.ok(reload, 'a code.reloaded event');
    assert.deepEqual(reload.functions, ['hello']);
    assert.deepEqual(reload.files, ['lib/later.mjs']);
  });

  test('a missing import in a directory that does not exist yet: creating both recovers', async () => {
    await svc.edit('handlers/hello.mjs', "import { message } from '../lib/later.mjs';", "import { message } from '../extra/deep.mjs';");
    const broken = await invokeUntil(svc.client, 'hello', (x) => x.functionError !== undefined);
    assert.equal(broken.payload.errorType, 'Runtime.ImportModuleError', JSON.stringify(broken.payload));
    await svc.cs.waitForLine(/coldstart: hello: .*extra\/deep\.mjs/, 10_000);
    await mkdir(svc.file('extra'));
    await sleep(300);
    await svc.write('extra/deep.mjs', "export const message = 'deep';\n");
    const fixed = await invokeUntil(svc.client, 'hello', (x) => x.payload?.message === 'deep');
    assert.equal(fixed.functionError, undefined);
  });

  test('a TypeScript syntax error fails the TypeScript function; the fix recovers', async () => {
    await svc.edit('lib/shape.ts', "return 's1';", "return 's1'';");
    const broken = await invokeUntil(svc.client, 'typed', (x) => x.functionError !== undefined);
    assert.equal(broken.payload.errorType, 'Runtime.UserCodeSyntaxError', JSON.stringify(broken.payload));
    assert.equal((await invoke(svc.client, 'hello')).functionError, undefined, 'hello is unaffected');
    await svc.edit('lib/shape.ts', "return 's1'';", "return 's2';");
    await invokeUntil(svc.client, 'typed', (x) => x.payload?.shape === 's2');
  });
});

describe('hot reload: --no-watch', () => {
  const svc = useReloadService('service', ['--no-watch']);

  test('edits are not picked up and no reload happens', async () => {
    const first = await invoke(svc.client, 'hello');
    assert.equal(first.payload.version, 'v1');
    await svc.edit('handlers/hello.mjs', "'v1'", "'v2'");
    await svc.write('settings.yml', 'greeting: changed\n');
    await sleep(1500);
    const again = await invoke(svc.client, 'hello');
    assert.equal(again.payload.version, 'v1');
    assert.equal(again.payload.greeting, 'hello');
    assert.equal(again.payload.loadedAt, first.payload.loadedAt, 'the same warm instance');
    assert.equal(svc.events('code.reloaded').length, 0);
    const state = await getState(svc.cs.url);
    assert.equal(state.reload?.watching, false, JSON.stringify(state.reload));
  });
});

