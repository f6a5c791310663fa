// Hot reload of code, end to end: a real server on a temp copy of a service, files edited on
// disk, the functions called through the AWS SDK.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { initDuration, invoke } from './helpers/lambda.js';
import { eventually, invokeUntil, reloadNumber, useReloadService } from './helpers/reload.js';

describe('hot reload: code', () => {
  const svc = useReloadService();

  test('an edited handler answers with the new code within 2 s, on a new instance that starts cold', async () => {
    const first = await invoke(svc.client, 'hello');
    const warm = await invoke(svc.client, 'hello');
    assert.equal(first.payload.version, 'v1');
    assert.equal(warm.payload.loadedAt, first.payload.loadedAt, 'second call is warm');
    const other = await invoke(svc.client, 'other');
    assert.equal(other.payload.invocations, 1);

    const edited = Date.now();
    await svc.edit('handlers/hello.mjs', "'v1'", "'v2'");
    const fresh = await invokeUntil(svc.client, 'hello', (r) => r.payload?.version === 'v2', 2_000);
    assert.ok(Date.now() - edited < 2_000);
    assert.notEqual(fresh.payload.loadedAt, first.payload.loadedAt, 'a new instance loaded the module');
    assert.equal(fresh.payload.invocations, 1, 'module state starts over');
    assert.ok(initDuration(fresh.log) !== undefined, `a reload is a cold start:\n${fresh.log}`);

    const reload = await reloadNumber(svc, 1);
    assert.deepEqual(reload.functions, ['hello']);
    assert.deepEqual(reload.files, ['handlers/hello.mjs']);
    assert.equal(typeof reload.codeVersion, 'number');
    const retired = svc.events('instance.retired').filter((e) => e.function === 'hello');
    assert.equal(retired.length, 1);
    assert.equal(retired[0].reason, 'reload');

    const untouched = await invoke(svc.client, 'other');
    assert.equal(untouched.payload.invocations, 2, 'a function that shares no file keeps its warm instance');
    assert.equal(initDuration(untouched.log), undefined);
  });

  test('an edited module that the handler imports is picked up', async () => {
    const count = svc.events('code.reloaded').length;
    await svc.edit('lib/message.mjs', "'m1'", "'m2'");
    const r = await invokeUntil(svc.client, 'hello', (x) => x.payload?.message === 'm2');
    assert.equal(r.payload.version, 'v2', 'the handler itself is the edited one of the previous test');
    assert.ok(initDuration(r.log) !== undefined);
    const reload = await reloadNumber(svc, count + 1);
    assert.deepEqual(reload.functions, ['hello']);
    assert.deepEqual(reload.files, ['lib/message.mjs']);
  });

  test('a burst of writes to one file is one reload', async () => {
    // An editor's save: truncate, write in pieces, write again, back to back. The promise holds
    // while each write follows the previous one within the 30 ms quiet window; on a loaded machine
    // this process may be descheduled between two writes, or the server may see the file events
    // spread wider than they were written, and then two reloads are right. Such a burst is
    // repeated, not judged: one of five must be one reload (without the quiet window, every burst
    // of six writes reloads several times).
    const file = svc.file('handlers/hello.mjs');
    try {
      for (let attempt = 1; ; attempt++) {
        const count = svc.events('code.reloaded').length;
        const text = readFileSync(file, 'utf8');
        const target = `v3-${attempt}`;
        const versions = ['a', 'b', 'c', 'd', ''].map((s) => text.replace(/'v[0-9a-z-]+'/, `'${target}${s}'`));
        let last = performance.now();
        let widestGapMs = 0;
        for (const v of ['', ...versions]) {
          writeFileSync(file, v);
          const now = performance.now();
          widestGapMs = Math.max(widestGapMs, now - last);
          last = now;
        }
        await invokeUntil(svc.client, 'hello', (x) => x.payload?.version === target);
        await sleep(600);
        const reloads = svc.events('code.reloaded').slice(count);
        if ((widestGapMs > 15 || reloads.length !== 1) && attempt < 5) continue;
        assert.ok(widestGapMs <= 15, `in five bursts, a write came over 15 ms after the one before (last ${widestGapMs.toFixed(1)} ms)`);
        assert.equal(reloads.length, 1, `in five bursts none was one reload; the last: ${JSON.stringify(reloads)}`);
        break;
      }
    } finally {
      // The tests after this one start from 'v3'.
      await svc.edit('handlers/hello.mjs', /'v3-[0-9a-z]+'/, "'v3'");
      await invokeUntil(svc.client, 'hello', (x) => x.payload?.version === 'v3');
    }
  });

  test('an invocation in flight during a reload finishes on the old code; the next one runs the new code', async () => {
    await invokeUntil(svc.client, 'hello', (x) => x.payload?.version === 'v3');
    const starts = svc.events('invoke.start').length;
    const inFlight = invoke(svc.client, 'hello', { waitMs: 2000 });
    const started = await eventually(() => svc.events('invoke.start').slice(starts).find((e) => e.function === 'hello'), 10_000, 'invoke.start');
    const count = svc.events('code.reloaded').length;
    await svc.edit('handlers/hello.mjs', "'v3'", "'v4'");
    await reloadNumber(svc, count + 1);
    const fresh = await invokeUntil(svc.client, 'hello', (x) => x.payload?.version === 'v4');
    assert.ok(initDuration(fresh.log) !== undefined);
    const old = await inFlight;
    assert.equal(old.functionError, undefined, JSON.stringify(old.payload));
    assert.equal(old.payload.version, 'v3', 'the in-flight request completed with the code it started on');
    const retired = await eventually(
      () => svc.events('instance.retired').find((e) => e.instanceId === started.instanceId),
      5_000,
      'the busy old instance retires when done',
    );
    assert.equal(retired.reason, 'reload');
  });

  test('CommonJS and TypeScript handlers reload with the files they import, each alone', async () => {
    assert.equal((await invoke(svc.client, 'legacy')).payload.tag, 't1');
    assert.equal((await invoke(svc.client, 'typed')).payload.shape, 's1');
    // The reload that carries each edited file; on a loaded machine one edit may be seen as two
    // bursts, so the reloads are found by their file, not counted.
    const reloadOf = (from: number, file: string) =>
      eventually(() => svc.events('code.reloaded').slice(from).find((e) => e.files.includes(file)), 10_000, `a reload of ${file}`);
    let count = svc.events('code.reloaded').length;
    await svc.edit('lib/tag.cjs', "'t1'", "'t2'");
    await invokeUntil(svc.client, 'legacy', (x) => x.payload?.tag === 't2');
    assert.deepEqual((await reloadOf(count, 'lib/tag.cjs')).functions, ['legacy']);
    count = svc.events('code.reloaded').length;
    await svc.edit('lib/shape.ts', "'s1'", "'s2'");
    await invokeUntil(svc.client, 'typed', (x) => x.payload?.shape === 's2');
    const reload = await reloadOf(count, 'lib/shape.ts');
    assert.deepEqual(reload.functions, ['typed']);
    assert.deepEqual(reload.files, ['lib/shape.ts']);
  });

  test('a package appearing in node_modules reloads every function', async () => {
    await svc.write(
      'handlers/other.mjs',
      "import { greet } from 'greet-pkg';\nexport const handler = async () => ({ other: true, greeting: greet() });\n",
    );
    const broken = await invokeUntil(svc.client, 'other', (x) => x.functionError !== undefined);
    assert.equal(broken.payload.errorType, 'Runtime.ImportModuleError', JSON.stringify(broken.payload));
    const count = svc.events('code.reloaded').length;
    await mkdir(svc.file('node_modules/greet-pkg'), { recursive: true });
    await writeFile(svc.file('node_modules/greet-pkg/package.json'), JSON.stringify({ name: 'greet-pkg', type: 'module', main: 'index.js' }));
    await writeFile(svc.file('node_modules/greet-pkg/index.js'), "export const greet = () => 'installed';\n");
    const fixed = await invokeUntil(svc.client, 'other', (x) => x.payload?.greeting === 'installed');
    assert.equal(fixed.functionError, undefined);
    const reload = await reloadNumber(svc, count + 1);
    assert.deepEqual(reload.functions, ['hello', 'legacy', 'other', 'typed']);
    assert.ok(reload.files.some((f: string) => f.startsWith('node_modules')), JSON.stringify(reload.files));
  });
});
