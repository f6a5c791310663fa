// Concurrency, throttling, provisioned concurrency, idle retirement and async retries, through the real SDK.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteFunctionConcurrencyCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvalidParameterValueException,
  InvokeCommand,
  ListFunctionsCommand,
  PutFunctionConcurrencyCommand,
  PutProvisionedConcurrencyConfigCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { eventually } from './helpers/eventually.js';
import { fixture, startColdstart, useColdstart } from './helpers/server.js';
import { functionState, getMetrics, getState } from './helpers/state.js';
import { invoke, initDuration, lambdaClient } from './helpers/lambda.js';

type Outcome = { ok: true; cold: boolean } | { ok: false; reason?: string };

async function call(client: ReturnType<typeof lambdaClient>, name: string, event: unknown): Promise<Outcome> {
  try {
    const r = await invoke(client, name, event);
    return { ok: true, cold: initDuration(r.log) !== undefined };
  } catch (err) {
    assert.ok(err instanceof TooManyRequestsException, `expected a throttle, got ${String(err)}`);
    return { ok: false, reason: (err as TooManyRequestsException).Reason };
  }
}

describe('concurrency', () => {
  let client: ReturnType<typeof lambdaClient>;
  const attempts = path.join(mkdtempSync(path.join(tmpdir(), 'coldstart-conc-')), 'attempts.log');
  const cs = useColdstart(fixture('concurrency', 'serverless.yml'), ['--cold-start', 'off', '--no-watch', '--account-concurrency', '40'], {
    env: { ATTEMPTS_FILE: attempts },
  });
  before(() => {
    client = lambdaClient(cs.url);
  });
  after(() => client?.destroy());

  test('5 overlapping calls on reservedConcurrency 2: exactly 2 run, 3 are throttled with the reserved reason', async () => {
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => call(client, 'limited', { ms: 1500 })));
    assert.equal(results.filter((r) => r.ok).length, 2);
    const throttled = results.filter((r) => !r.ok);
    assert.equal(throttled.length, 3);
    for (const t of throttled) assert.equal((t as { reason?: string }).reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
  });

  test('reservedConcurrency 0 throttles every call', async () => {
    const r = await call(client, 'zero', {});
    assert.deepEqual(r, { ok: false, reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
  });

  test('provisioned 2: the first two concurrent calls are warm, the third is a cold spill-over', async () => {
    const results = await Promise.all([1, 2, 3].map(() => invoke(client, 'pc', { ms: 800 })));
    const warm = results.filter((r) => initDuration(r.log) === undefined);
    const cold = results.filter((r) => initDuration(r.log) !== undefined);
    assert.equal(warm.length, 2);
    assert.equal(cold.length, 1);
    for (const w of warm) assert.equal(w.payload.initType, 'provisioned-concurrency');
    assert.equal(cold[0]!.payload.initType, 'on-demand');
  });

  test('a 60-call burst against an account limit of 40: every call answered once, counters add up', async () => {
    const before = (await getMetrics(cs.url)).functions.plain ?? { invocations: 0, throttles: 0 };
    const results = await Promise.all(Array.from({ length: 60 }, () => call(client, 'plain', { ms: 5000 })));
    const ok = results.filter((r) => r.ok).length;
    const throttled = results.filter((r) => !r.ok);
    assert.equal(ok + throttled.length, 60);
    // 40 minus the 2 reserved for `limited` and 0 for `zero` is what unreserved functions share.
    assert.equal(ok, 38);
    for (const t of throttled) assert.equal((t as { reason?: string }).reason, 'ConcurrentInvocationLimitExceeded');
    const m = (await getMetrics(cs.url)).functions.plain!;
    assert.equal(m.invocations - before.invocations, 38);
    assert.equal(m.throttles - before.throttles, 22);
    assert.equal(m.concurrentExecutions, 0);
  });

  test('an Event invocation that fails is retried twice, then recorded as failed with its payload', async () => {
    const res = await client.send(new InvokeCommand({ FunctionName: 'failing', InvocationType: 'Event', Payload: Buffer.from('{"job":7}') }));
    assert.equal(res.StatusCode, 202);
    const line = await cs.waitForLine(/Async invocation .* failed after 3 attempt\(s\)/, 20_000);
    assert.match(line, /\{"job":7\}/);
    assert.ok(existsSync(attempts));
    const lines = readFileSync(attempts, 'utf8').trim().split('\n');
    assert.equal(lines.length, 3);
    for (const l of lines) assert.match(l, /\{"job":7\}$/);
  });

});

describe('concurrency controls', () => {
  let client: ReturnType<typeof lambdaClient>;
  const cs = useColdstart(fixture('concurrency', 'serverless.yml'), ['--cold-start', 'off', '--no-watch']);
  before(async () => {
    client = lambdaClient(cs.url);
  });
  after(async () => {
    client?.destroy();
  });

  test('each concurrency API round-trips through the SDK and applies at once', async () => {
    const put = await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'plain', ReservedConcurrentExecutions: 1 }));
    assert.equal(put.ReservedConcurrentExecutions, 1);
    const got = await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'plain' }));
    assert.equal(got.ReservedConcurrentExecutions, 1);
    const pair = await Promise.all([call(client, 'plain', { ms: 800 }), call(client, 'plain', { ms: 800 })]);
    assert.equal(pair.filter((r) => r.ok).length, 1, 'the new reservation applies at once');
    await client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'plain' }));
    const cleared = await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'plain' }));
    assert.equal(cleared.ReservedConcurrentExecutions, undefined);

    await assert.rejects(
      client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'plain', ReservedConcurrentExecutions: 999 })),
      (err: unknown) => err instanceof InvalidParameterValueException,
    );

    const pc = await client.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'plain', Qualifier: '$LATEST', ProvisionedConcurrentExecutions: 1 }));
    assert.equal(pc.RequestedProvisionedConcurrentExecutions, 1);
    await eventually(
      async () => (await client.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'plain', Qualifier: '$LATEST' }))).Status === 'READY',
      5_000,
      'provisioned concurrency READY',
      100,
    );
    const warm = await invoke(client, 'plain', { ms: 1 });
    assert.equal(initDuration(warm.log), undefined, 'the provisioned instance serves warm');
    await client.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'plain', Qualifier: '$LATEST' }));
    await assert.rejects(client.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'plain', Qualifier: '$LATEST' })));

    const list = await client.send(new ListFunctionsCommand({}));
    assert.ok(list.Functions?.some((f) => f.FunctionName === 'conc-dev-plain'));
    const fn = await client.send(new GetFunctionCommand({ FunctionName: 'conc-dev-limited' }));
    assert.equal(fn.Configuration?.MemorySize, 1024);
    assert.equal(fn.Concurrency?.ReservedConcurrentExecutions, 2);
  });
});

describe('idle retirement', () => {
  test('an instance idle for idleTimeout is retired and the next call is cold', async (t) => {
    const cs = await startColdstart(t, fixture('concurrency', 'serverless.yml'), ['--cold-start', 'off', '--no-watch', '--idle-timeout', '1']);
    const client = lambdaClient(cs.url);
    t.after(() => client.destroy());
    const first = await invoke(client, 'plain', { ms: 1 });
    assert.ok(initDuration(first.log) !== undefined);
    const warm = await invoke(client, 'plain', { ms: 1 });
    assert.equal(initDuration(warm.log), undefined);
    await sleep(2500);
    const state = await getState(cs.url);
    assert.equal(functionState(state, 'plain').instances.length, 0);
    assert.equal(functionState(state, 'pc').instances.length, 2, 'provisioned instances are never retired for idleness');
    const again = await invoke(client, 'plain', { ms: 1 });
    assert.ok(initDuration(again.log) !== undefined);
  });
});
