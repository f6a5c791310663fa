// The core through the real AWS SDK: instances on worker threads (or child processes), state,
// faults, handler styles.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvokeCommand, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { fixture, useColdstart } from './helpers/server.js';
import { invoke, initDuration, lambdaClient } from './helpers/lambda.js';
import { functionState, getState } from './helpers/state.js';

// Every test runs against instances in worker threads (the default) and in child processes.
for (const isolation of ['thread', 'process'] as const) {
  describe(`core: invocations through the Lambda API (isolation: ${isolation})`, () => {
    let client: ReturnType<typeof lambdaClient>;

    const cs = useColdstart(fixture('core', 'serverless.yml'), ['--cold-start', 'off', '--no-watch', '--isolation', isolation], { cleanExit: true });

    before(async () => {
      client = lambdaClient(cs.url);
    });
    after(async () => {
      client?.destroy();
    });

    test('cold then warm on the same instance keeps module state; only the cold call reports Init Duration', async () => {
      const first = await invoke(client, 'counter');
      const second = await invoke(client, 'core-dev-counter');
      assert.equal(first.functionError, undefined);
      assert.equal(first.payload.count, 1);
      assert.equal(second.payload.count, 2);
      assert.equal(second.payload.loadedAt, first.payload.loadedAt);
      assert.ok(initDuration(first.log) !== undefined, first.log);
      assert.equal(initDuration(second.log), undefined, second.log);
      assert.match(first.log, /^START RequestId: [0-9a-f-]+ Version: \$LATEST$/m);
      assert.match(first.log, /\tINFO\tcounter 1$/m);
      assert.match(first.log, /^END RequestId: /m);
      assert.match(first.log, /^REPORT RequestId: [^\t]+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 1024 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms\t$/m);
      assert.equal(first.raw.ExecutedVersion, '$LATEST');
    });

    test('context and environment are those of a Lambda execution environment', async () => {
      const { payload } = await invoke(client, 'counter');
      assert.equal(payload.env.name, 'core-dev-counter');
      assert.equal(payload.env.memory, '1024');
      assert.equal(payload.env.initType, 'on-demand');
      assert.equal(payload.env.metadataDisabled, 'true');
      assert.equal(payload.env.region, 'us-east-1');
      assert.equal(payload.env.handler, 'handlers.counter');
      assert.equal(payload.env.custom, 'from-provider');
      assert.equal(payload.env.key, 'test');
      assert.equal(payload.context.functionName, 'core-dev-counter');
      assert.equal(payload.context.memoryLimitInMB, '1024');
      assert.equal(payload.context.functionVersion, '$LATEST');
      assert.equal(payload.context.invokedFunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:core-dev-counter');
      assert.equal(payload.context.logGroupName, '/aws/lambda/core-dev-counter');
      assert.match(payload.context.logStreamName, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
      assert.equal(payload.context.callbackWaitsForEmptyEventLoop, true);
      assert.ok(payload.remaining > 0 && payload.remaining <= 6000);
    });

    test('three overlapping calls run on three instances', async () => {
      const results = await Promise.all([1, 2, 3].map(() => invoke(client, 'sleep', { ms: 400 })));
      assert.equal(results.filter((r) => initDuration(r.log) !== undefined).length, 3);
      const fn = functionState(await getState(cs.url), 'sleep');
      assert.equal(fn.instances.length, 3);
      // The process each instance ran in: the emulator's own, or one of its own.
      const pids = results.map((r) => r.payload.pid);
      if (isolation === 'thread') assert.deepEqual(pids, [cs.child.pid, cs.child.pid, cs.child.pid]);
      else assert.equal(new Set(pids.filter((pid) => pid !== cs.child.pid)).size, 3, `pids ${pids} (emulator ${cs.child.pid})`);
    });

    test('a thrown error is an Unhandled function error with errorType, errorMessage and trace', async () => {
      const r = await invoke(client, 'thrower');
      assert.equal(r.functionError, 'Unhandled');
      assert.equal(r.raw.StatusCode, 200);
      assert.equal(r.payload.errorType, 'TypeError');
      assert.equal(r.payload.errorMessage, 'boom');
      assert.ok(Array.isArray(r.payload.trace) && r.payload.trace[0].includes('TypeError: boom'));
      assert.match(r.log, /\tERROR\tInvoke Error \t\{"errorType":"TypeError","errorMessage":"boom"/);
    });

    test('a timeout fails with Task timed out, destroys the instance, and the next call is cold', async () => {
      const r = await invoke(client, 'slow', { ms: 5000 });
      assert.equal(r.functionError, 'Unhandled');
      assert.match(r.payload.errorMessage, /Task timed out after 1\.00 seconds/);
      assert.match(r.log, /Status: timeout/);
      const next = await invoke(client, 'slow', { ms: 10 });
      assert.equal(next.functionError, undefined);
      assert.ok(initDuration(next.log) !== undefined, 'the call after a timeout starts cold');
    });

    test('process.exit fails only its own invocation with Runtime.ExitError', async () => {
      const r = await invoke(client, 'exiter');
      assert.equal(r.functionError, 'Unhandled');
      assert.equal(r.payload.errorType, 'Runtime.ExitError');
      const ok = await invoke(client, 'counter');
      assert.equal(ok.functionError, undefined);
    });

    if (isolation === 'process') {
      test('a process killed by a signal fails only its own invocation, naming the signal as Lambda does', async () => {
        const r = await invoke(client, 'selfKill');
        assert.equal(r.payload.errorType, 'Runtime.ExitError', JSON.stringify(r.payload));
        assert.match(r.payload.errorMessage, /Runtime exited with error: signal: killed$/);
        const ok = await invoke(client, 'counter');
        assert.equal(ok.functionError, undefined);
      });
    }

    for (const fault of ['exit', 'throw'] as const) {
      test(`a ${fault} from a timer between invocations ends the environment; the next call is cold and served`, async () => {
        const first = await invoke(client, 'lateFault', { fault });
        assert.deepEqual(first.payload, { answered: true });
        // Give the timer (50 ms) time to fire and the thread time to go.
        await new Promise((r) => setTimeout(r, 500));
        const second = await invoke(client, 'lateFault');
        assert.equal(second.functionError, undefined, JSON.stringify(second.payload));
        assert.deepEqual(second.payload, { answered: true });
        assert.ok(initDuration(second.log) !== undefined, `the dead environment was not reused: ${second.log}`);
      });
    }

    test('a heap over memorySize kills the instance with Runtime.OutOfMemory', async () => {
      const r = await invoke(client, 'hog');
      assert.equal(r.functionError, 'Unhandled');
      assert.equal(r.payload.errorType, 'Runtime.OutOfMemory');
      assert.match(r.log, /Max Memory Used: 128 MB/);
      assert.match(r.log, /Error Type: Runtime.OutOfMemory/);
    });

    test('Buffers over memorySize end the environment with Runtime.OutOfMemory, at return or while the handler waits', async () => {
      const small = await invoke(client, 'bufferHog', { mb: 16 });
      assert.equal(small.functionError, undefined, JSON.stringify(small.payload));
      assert.equal(small.payload.bytes, 16 * 1048576);

      const atReturn = await invoke(client, 'bufferHog', { mb: 300 });
      assert.equal(atReturn.payload.errorType, 'Runtime.OutOfMemory', JSON.stringify(atReturn.payload));
      assert.match(atReturn.log, /Max Memory Used: 128 MB/);

      const t0 = Date.now();
      const waiting = await invoke(client, 'bufferHog', { mb: 300, waitMs: 60_000 });
      assert.equal(waiting.payload.errorType, 'Runtime.OutOfMemory', JSON.stringify(waiting.payload));
      assert.ok(Date.now() - t0 < 45_000, `killed while waiting, not after the 60 s wait (${Date.now() - t0} ms)`);

      const after = await invoke(client, 'bufferHog', { mb: 16 });
      assert.equal(after.functionError, undefined);
      assert.ok(initDuration(after.log) !== undefined, 'the killed environment is not reused');
    });

    test('callback-style handlers succeed and fail through the callback', async () => {
      const ok = await invoke(client, 'callback', { a: 1 });
      assert.deepEqual(ok.payload, { style: 'callback', got: { a: 1 } });
      const bad = await invoke(client, 'callbackError');
      assert.equal(bad.functionError, 'Unhandled');
      assert.equal(bad.payload.errorMessage, 'callback failed');
    });

    test('context.succeed, context.fail and context.done answer for the handler', async () => {
      assert.deepEqual((await invoke(client, 'contextMethods', { via: 'succeed' })).payload, { via: 'succeed' });
      assert.deepEqual((await invoke(client, 'contextMethods', { via: 'done' })).payload, { via: 'done' });
      const failed = await invoke(client, 'contextMethods', { via: 'fail' });
      assert.equal(failed.functionError, 'Unhandled');
      assert.equal(failed.payload.errorMessage, 'failed through context.fail');
    });

    test('a TypeScript handler is compiled and sees its function environment', async () => {
      const r = await invoke(client, 'typed', { name: 'ts' });
      assert.deepEqual(r.payload, { message: 'hello ts', custom: 'from-function' });
    });

    test('unknown functions are ResourceNotFoundException through the SDK', async () => {
      await assert.rejects(
        client.send(new InvokeCommand({ FunctionName: 'nope', Payload: Buffer.from('{}') })),
        (err: unknown) => err instanceof ResourceNotFoundException && /Function not found/.test((err as Error).message),
      );
    });

    test('Event answers 202, DryRun 204, bad JSON 400, over 6 MB 413', async () => {
      const ev = await client.send(new InvokeCommand({ FunctionName: 'counter', InvocationType: 'Event', Payload: Buffer.from('{}') }));
      assert.equal(ev.StatusCode, 202);
      const dry = await client.send(new InvokeCommand({ FunctionName: 'counter', InvocationType: 'DryRun' }));
      assert.equal(dry.StatusCode, 204);
      const url = `${cs.url}/2015-03-31/functions/counter/invocations`;
      const bad = await fetch(url, { method: 'POST', body: '{not json' });
      assert.equal(bad.status, 400);
      assert.equal(bad.headers.get('x-amzn-errortype'), 'InvalidRequestContentException');
      assert.equal(((await bad.json()) as { Type: string }).Type, 'User');
      const big = await fetch(url, { method: 'POST', body: JSON.stringify({ x: 'a'.repeat(7 * 1024 * 1024) }) });
      assert.equal(big.status, 413);
      assert.equal(big.headers.get('x-amzn-errortype'), 'RequestEntityTooLargeException');
    });

    test('the server keeps serving after every fault', async () => {
      const r = await invoke(client, 'counter');
      assert.equal(r.functionError, undefined);
      const health = await fetch(`${cs.url}/__coldstart/health`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: 'ok' });
    });
  });
}
