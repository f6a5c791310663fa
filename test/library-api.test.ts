// createColdstart in-process, as a test file uses it: invoke, fetch, events, state, close; two
// emulators in one process share nothing, and the host process keeps its scheduling policy.
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { createColdstart, isColdstartError, type Coldstart, type ColdstartOptions, type LifecycleEvent } from '../src/index.js';
import { SETTINGS, type SettingRow } from '../src/config/settings-table.js';
import { parseCli } from '../src/cli/args.js';
import { fixture } from './helpers/server.js';

const CONFIG = fixture('library', 'serverless.yml');
const quiet = { config: CONFIG, port: 0, watch: false, log: false } as const;

/** createColdstart for one test: closed when the test ends, however it ends. */
async function createFor(t: TestContext, options: ColdstartOptions): Promise<Coldstart> {
  const cs = await createColdstart(options);
  t.after(() => cs.close());
  return cs;
}

/** The scheduling policy of this process's main thread (field 41 of its stat). */
function mainThreadPolicy(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[41 - 3]);
}
const canBatch = process.platform === 'linux' && spawnSync('chrt', ['--batch', '0', 'true'], { stdio: 'ignore' }).status === 0;

describe('createColdstart', () => {
  let cs: Coldstart;
  let policyBefore = 0;
  before(async () => {
    if (canBatch) policyBefore = mainThreadPolicy();
    cs = await createColdstart(quiet);
  });
  after(() => cs?.close());

  test('listens on a free loopback port', async () => {
    assert.match(cs.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(cs.port, 0);
    const res = await fetch(`${cs.url}/__coldstart/health`);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  test('invoke: a cold start with Init Duration, then a warm call on the same instance, with the log tail', async () => {
    const cold = await cs.invoke('echo', { a: 1 }, { logType: 'Tail' });
    assert.equal(cold.statusCode, 200);
    assert.deepEqual(cold.payload, { got: { a: 1 } });
    assert.equal(cold.cold, true);
    assert.ok(typeof cold.initDurationMs === 'number' && cold.initDurationMs > 0, JSON.stringify(cold));
    assert.ok(typeof cold.durationMs === 'number');
    assert.match(cold.logs ?? '', /START RequestId: [\w-]+ Version: \$LATEST/);
    assert.match(cold.logs ?? '', /REPORT RequestId: .*Init Duration/);
    const warm = await cs.invoke('lib-dev-echo', 'text');
    assert.deepEqual(warm.payload, { got: 'text' });
    assert.equal(warm.cold, false);
    assert.equal(warm.initDurationMs, undefined);
    assert.equal(warm.logs, undefined, 'no log without logType Tail');
  });

  test('invoke: a function error is Unhandled with the runtime error payload', async () => {
    const r = await cs.invoke('thrower');
    assert.equal(r.statusCode, 200);
    assert.equal(r.functionError, 'Unhandled');
    assert.equal((r.payload as { errorType: string }).errorType, 'TypeError');
    assert.equal((r.payload as { errorMessage: string }).errorMessage, 'bad input');
  });

  test('invoke: Event is queued (202) and runs; DryRun only checks (204); an unknown function is an error', async () => {
    const ended = cs.events.next('invoke.end', (e) => e.function === 'echo');
    const queued = await cs.invoke('echo', { later: true }, { invocationType: 'Event' });
    assert.equal(queued.statusCode, 202);
    assert.ok(queued.requestId);
    assert.equal((await ended).requestId, queued.requestId);
    assert.equal((await cs.invoke('echo', {}, { invocationType: 'DryRun' })).statusCode, 204);
    await assert.rejects(cs.invoke('nope'), (err: unknown) => isColdstartError(err) && err.code === 'FUNCTION_NOT_FOUND');
  });

  test('fetch goes through the gateway: REST under the stage, HTTP API at the root, a Request object', async () => {
    const rest = await cs.fetch('/dev/hello');
    assert.equal(rest.status, 200);
    const item = await cs.fetch('/items/42');
    assert.equal(((await item.json()) as { id: string }).id, '42');
    const echoed = await cs.fetch(new Request('http://example.invalid/echo', { method: 'POST', body: 'hi there' }));
    assert.equal(await echoed.text(), 'hi there');
    assert.equal((await cs.fetch('/dev/missing')).status, 403, "the REST API's answer to no route");
  });

  test('events: a subscriber sees the lifecycle of an invocation and stops after unsubscribing', async () => {
    const seen: LifecycleEvent[] = [];
    const off = cs.events.on('*', (e) => seen.push(e));
    const ends: number[] = [];
    const offEnd = cs.events.on('invoke.end', (e) => ends.push(e.durationMs));
    await cs.invoke('counter', {});
    off();
    offEnd();
    await cs.invoke('counter', {});
    const types = seen.map((e) => e.type);
    assert.ok(types.includes('invoke.start') && types.includes('invoke.end'), types.join());
    assert.equal(ends.length, 1);
  });

  test('state() lists the functions and their instances', () => {
    const state = cs.state();
    assert.equal(state.service, 'lib');
    assert.equal(state.stage, 'dev');
    const echo = state.functions.find((f) => f.name === 'echo');
    assert.ok(echo && echo.instances.length >= 1, JSON.stringify(echo));
    assert.equal(state.settings.coldStart, 'realistic');
  });

  test("library mode leaves the host process's scheduling policy alone", { skip: canBatch ? false : 'needs Linux and util-linux chrt' }, () => {
    assert.equal(mainThreadPolicy(), policyBefore);
  });
});

describe('two emulators in one process', () => {
  let a: Coldstart;
  let b: Coldstart;
  before(async () => {
    [a, b] = await Promise.all([createColdstart({ ...quiet, coldStart: 'off' }), createColdstart({ ...quiet, coldStart: 'off' })]);
  });
  after(async () => {
    await a?.close();
    await b?.close();
  });

  test('keep their own instances and module state; closing one leaves the other working', async () => {
    const count = async (cs: Coldstart) => ((await (await cs.fetch('/dev/hello')).json()) as { calls: number }).calls;
    assert.equal(await count(a), 1);
    assert.equal(await count(a), 2);
    assert.equal(await count(b), 1, "b's instance is its own");
    await a[Symbol.asyncDispose]();
    await assert.rejects(fetch(`${a.url}/__coldstart/health`), 'a no longer listens');
    assert.equal(await count(b), 2, 'b keeps its warm instance');
    const cold = await b.invoke('echo', { after: 'close' });
    assert.deepEqual(cold.payload, { got: { after: 'close' } });
    assert.equal(cold.cold, true, 'and still starts new ones');
  });

  test("the memory watch of the one left still ends a handler that grows past its memory size without yielding", async () => {
    const r = await b.invoke('syncLeak');
    assert.equal(r.functionError, 'Unhandled', JSON.stringify(r.payload));
    assert.equal((r.payload as { errorType: string }).errorType, 'Runtime.OutOfMemory');
  });
});

describe('createColdstart options', () => {
  test('defaults: serverless.yml of the current directory, the CLI defaults for the rest', async (t) => {
    const cwd = process.cwd();
    process.chdir(fixture('library'));
    t.after(() => process.chdir(cwd));
    const cs = await createFor(t, { port: 0, log: false, watch: false });
    const state = cs.state();
    assert.equal(state.service, 'lib');
    assert.equal(state.settings.accountConcurrency, 1000);
    assert.equal(state.settings.isolation, 'thread');
  });

  test('terminal lines go to a sink of your own', async (t) => {
    const lines: string[] = [];
    const cs = await createFor(t, { ...quiet, log: (line) => lines.push(line), logFormat: 'json', stage: 'qa', region: 'eu-west-1' });
    assert.equal(cs.state().region, 'eu-west-1');
    await cs.invoke('counter', {});
    assert.equal((await cs.fetch('/qa/hello')).status, 200, 'the stage option moves the REST API');
    const events = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LifecycleEvent);
    assert.ok(events.some((e) => e.type === 'invoke.end' && e.function === 'counter'), lines.join('\n'));
  });

  test('allowedHosts opens the host check to the names given, and only to them', async (t) => {
    const cs = await createFor(t, { ...quiet, allowedHosts: ['dev.mycompany.test'] });
    const statusFor = (host: string) =>
      new Promise<number>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: cs.port, path: '/__coldstart/health', headers: { host }, agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject);
      });
    assert.deepEqual(cs.state().settings.allowedHosts, ['dev.mycompany.test']);
    assert.equal(await statusFor(`dev.mycompany.test:${cs.port}`), 200);
    assert.equal(await statusFor(`evil.example:${cs.port}`), 403);
  });

  test('a bad option or configuration is a ColdstartError naming what is wrong', async () => {
    await assert.rejects(createColdstart({ ...quiet, coldStart: 'sometimes' as 'off' }), (err: unknown) => isColdstartError(err) && err.code === 'INVALID_ARGUMENT' && /coldStart/.test(err.message));
    await assert.rejects(createColdstart({ ...quiet, port: -1 }), (err: unknown) => isColdstartError(err) && /port/.test(err.message));
    await assert.rejects(createColdstart({ ...quiet, config: fixture('library', 'missing.yml') }), (err: unknown) => isColdstartError(err) && err.code === 'CONFIG_NOT_FOUND');
  });

  test('options take the bounds and words of the settings table, as the command line does', async () => {
    // The same out-of-range values, given as flags and as options, are refused for the same reason.
    const cases: Array<[keyof ColdstartOptions, unknown, string]> = [
      ['gatewayTimeout', 0.01, '0.01'],
      ['accountConcurrency', 0, '0'],
      ['spareThreads', 1001, '1001'],
      ['idleTimeout', -1, '-1'],
      ['seed', 1.5, '1.5'],
      ['port', 70000, '70000'],
      ['isolation', 'vm', 'vm'],
      ['logFormat', 'xml', 'xml'],
    ];
    for (const [key, value, flagText] of cases) {
      const row = (SETTINGS as readonly SettingRow[]).find((r) => r.key === key)!;
      let cliMessage = '';
      try {
        parseCli(['start', `--${row.flag}=${flagText}`]);
      } catch (err) {
        cliMessage = (err as Error).message;
      }
      assert.notEqual(cliMessage, '', `the CLI refuses --${row.flag} ${flagText}`);
      await assert.rejects(createColdstart({ ...quiet, [key]: value }), (err: unknown) => {
        assert.ok(isColdstartError(err) && err.code === 'INVALID_ARGUMENT', String(err));
        assert.equal(err.message.replace(`createColdstart option "${key}"`, ''), cliMessage.replace(`--${row.flag}`, ''), 'same reason as the CLI');
        return true;
      });
    }
    // Every setting `coldstart start` takes is an option: a value of the wrong type is refused by name.
    for (const row of SETTINGS.filter((r) => 'flag' in r && (r.commands as readonly string[]).includes('start'))) {
      await assert.rejects(createColdstart({ ...quiet, [row.key]: { wrong: true } } as ColdstartOptions), (err: unknown) => isColdstartError(err) && err.message.includes(`"${row.key}"`), row.key);
    }
  });

  test('a port in use is a ColdstartError that says so', async (t) => {
    const taken = await createFor(t, quiet);
    await assert.rejects(createColdstart({ ...quiet, port: taken.port }), (err: unknown) => isColdstartError(err) && err.code === 'INVALID_ARGUMENT' && /in use/.test(err.message));
    assert.equal((await taken.fetch('/__coldstart/health')).status, 200, 'the first one is unharmed');
  });
});
