// The terminal printer: CloudWatch-style lines behind aligned function names, one-liners for
// lifecycle events, JSON lines on request, colour only on a terminal and never with NO_COLOR.
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { TooManyRequestsException } from '@aws-sdk/client-lambda';
import { cliPath, fixture, startColdstart, testEnv } from './helpers/server.js';
import { invoke, lambdaClient } from './helpers/lambda.js';
import { palette, shouldColor } from '../src/terminal/colors.js';
import { PrettyFormatter } from '../src/terminal/format.js';
import type { LifecycleEvent } from '../src/types/events.js';
import { eventually } from './helpers/eventually.js';

const ANSI = /\x1b\[[0-9;]*m/;
const ID = '0f3c2a9e-1111-4222-8333-444455556666';
const T = Date.UTC(2024, 0, 2, 3, 4, 5, 678);

describe('terminal: formatting', () => {
  test('an invocation prints as CloudWatch shows it, prefixed with the aligned function name', () => {
    const f = new PrettyFormatter(palette(false), ['api', 'reportBuilder']);
    const lines = [
      { type: 'instance.init.start', time: T, function: 'api', instanceId: 'i-1', initType: 'on-demand', codeVersion: 1 },
      { type: 'instance.init.end', time: T, function: 'api', instanceId: 'i-1', initDurationMs: 412.071, measuredMs: 200, modelledMs: 412, platformDelayMs: 0, packageBytes: 2048 },
      { type: 'invoke.start', time: T, function: 'api', instanceId: 'i-1', requestId: ID, cold: true, source: 'gateway' },
      { type: 'log', time: T, function: 'api', instanceId: 'i-1', requestId: ID, level: 'INFO', message: 'first\nsecond' },
      {
        type: 'invoke.end', time: T, function: 'api', instanceId: 'i-1', requestId: ID, cold: true, durationMs: 12.34, billedDurationMs: 13,
        initDurationMs: 412.07, maxMemoryUsedMb: 61, memorySizeMb: 1024, outcome: 'success',
        report: `REPORT RequestId: ${ID}\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 1024 MB\tMax Memory Used: 61 MB\tInit Duration: 412.07 ms\t`,
      },
    ].flatMap((e) => f.format(e as LifecycleEvent));
    assert.deepEqual(lines, [
      'api           | COLD START instance i-1  Init Duration: 412.07 ms  (package 2.0 KB)',
      `api           | START RequestId: ${ID} Version: $LATEST`,
      `api           | 2024-01-02T03:04:05.678Z\t${ID}\tINFO\tfirst`,
      'api           | second',
      `api           | END RequestId: ${ID}`,
      `api           | REPORT RequestId: ${ID}\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 1024 MB\tMax Memory Used: 61 MB\tInit Duration: 412.07 ms`,
    ]);
  });

  test('throttles, timeouts, retirements, reloads and gateway responses are one short line each', () => {
    const f = new PrettyFormatter(palette(false), ['api']);
    const out = (e: object) => f.format(e as LifecycleEvent);
    assert.deepEqual(out({ type: 'invoke.throttled', time: T, function: 'api', requestId: ID, reason: 'ConcurrentInvocationLimitExceeded', source: 'sqs' }), [
      `api     | THROTTLED RequestId: ${ID}  ConcurrentInvocationLimitExceeded  (sqs)`,
    ]);
    const timeout = out({
      type: 'invoke.end', time: T, function: 'api', instanceId: 'i-2', requestId: ID, cold: false, durationMs: 3000, billedDurationMs: 3000,
      maxMemoryUsedMb: 50, memorySizeMb: 128, outcome: 'timeout', report: `REPORT RequestId: ${ID}\tDuration: 3000.00 ms\tStatus: timeout\t`,
    });
    assert.equal(timeout.length, 3);
    assert.equal(timeout[2], `api     | TIMEOUT RequestId: ${ID}  after 3.00 s; the instance is destroyed`);
    assert.deepEqual(out({ type: 'instance.retired', time: T, function: 'api', instanceId: 'i-2', reason: 'idle' }), ['api     | retired instance i-2 (idle)']);
    assert.deepEqual(out({ type: 'code.reloaded', time: T, functions: ['api'], codeVersion: 3, files: ['src/api.js'] }), [
      'reload  | RELOAD code version 3: api  (src/api.js)',
    ]);
    assert.deepEqual(out({ type: 'gateway.response', time: T, function: 'api', method: 'GET', path: '/users/7', status: 502, durationMs: 31.2 }), [
      'api     | GET /users/7 502 31 ms',
    ]);
    assert.deepEqual(out({ type: 'instance.init.start', time: T, function: 'api', instanceId: 'i-3', initType: 'provisioned-concurrency', codeVersion: 1 }), []);
    assert.deepEqual(
      out({ type: 'instance.init.end', time: T, function: 'api', instanceId: 'i-3', initDurationMs: 90, measuredMs: 1, modelledMs: 90, platformDelayMs: 150, packageBytes: 3 * 1024 * 1024 }),
      ['api     | PROVISIONED INIT instance i-3  Init Duration: 90.00 ms  (platform delay 150 ms, package 3.0 MB)'],
    );
  });

  test('colour: badges and function names are coloured when enabled, untouched otherwise', () => {
    const event = { type: 'invoke.throttled', time: T, function: 'api', requestId: ID, reason: 'ConcurrentInvocationLimitExceeded', source: 'gateway' } as LifecycleEvent;
    const [coloured] = new PrettyFormatter(palette(true), ['api']).format(event);
    assert.match(coloured!, ANSI);
    assert.ok(coloured!.includes('\x1b[1;37;41m THROTTLED \x1b[0m'), JSON.stringify(coloured));
    const [plain] = new PrettyFormatter(palette(false), ['api']).format(event);
    assert.doesNotMatch(plain!, ANSI);
  });

  test('colour is used only on a terminal, and NO_COLOR always wins', () => {
    assert.equal(shouldColor({ isTTY: true }, {}), true);
    assert.equal(shouldColor({ isTTY: false }, {}), false);
    assert.equal(shouldColor({}, {}), false);
    assert.equal(shouldColor({ isTTY: true }, { NO_COLOR: '1' }), false);
    assert.equal(shouldColor({ isTTY: true }, { NO_COLOR: '' }), true, 'an empty NO_COLOR is unset (no-color.org)');
    assert.equal(shouldColor({ isTTY: true }, { TERM: 'dumb' }), false);
    assert.equal(shouldColor({ isTTY: false }, { FORCE_COLOR: '1' }), true);
    assert.equal(shouldColor({ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: '1' }), false);
  });
});

describe('terminal: the running server', () => {
  test('piped stdout: plain lines, names aligned, cold start, throttle, timeout and retirement stand on their own lines', async (t) => {
    const cs = await startColdstart(t, fixture('console', 'serverless.yml'), ['--cold-start', 'off', '--no-watch'], { env: { NO_COLOR: '' } });
    const client = lambdaClient(cs.url);
    t.after(() => client.destroy());
    const r = await invoke(client, 'hello', { name: 'term' });
    const id: string = r.payload.requestId;
    const busy = invoke(client, 'single', { ms: 1200 });
    await cs.waitForLine(/^single +\| START RequestId/);
    await assert.rejects(invoke(client, 'single'), (e: unknown) => e instanceof TooManyRequestsException);
    await busy;
    await invoke(client, 'slow', { ms: 3000 });
    await cs.waitForLine(/^slow +\| retired instance \S+ \(timeout\)$/);

    const out = cs.stdout.join('\n');
    assert.doesNotMatch(out, ANSI, 'no escape codes when stdout is not a terminal');
    // Longest name is "failing" (7), but "gateway" sets the minimum width: 7 + one space.
    assert.match(out, new RegExp(`^hello   \\| START RequestId: ${id} Version: \\$LATEST$`, 'm'));
    assert.match(out, new RegExp(`^hello   \\| \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t${id}\\tINFO\\thello term #1$`, 'm'));
    assert.match(out, new RegExp(`^hello   \\| \\d{4}-[^\\t]+\\t${id}\\tWARN\\ta warning line$`, 'm'));
    assert.match(out, new RegExp(`^hello   \\| END RequestId: ${id}$`, 'm'));
    assert.match(out, new RegExp(`^hello   \\| REPORT RequestId: ${id}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 1024 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: [\\d.]+ ms$`, 'm'));
    assert.match(out, /^hello   \| COLD START instance \S+  Init Duration: [\d.]+ ms  \(package [\d.]+ (B|KB)\)$/m);
    assert.match(out, /^single  \| THROTTLED RequestId: [0-9a-f-]{36}  ReservedFunctionConcurrentInvocationLimitExceeded  \(lambda-api\)$/m);
    assert.match(out, /^slow    \| TIMEOUT RequestId: [0-9a-f-]{36}  after 1\.00 s; the instance is destroyed$/m);
    // Every event line puts its separator in the same column.
    const columns = new Set(cs.stdout.filter((l) => / \| /.test(l)).map((l) => l.indexOf(' | ')));
    assert.deepEqual([...columns], [7]);
  });

  test('--log-format json prints each event as one JSON line', async (t) => {
    // Process isolation and a spare add start-up notices, which must not reach stdout.
    const cs = await startColdstart(t, fixture('console', 'serverless.yml'), [
      '--cold-start', 'off', '--no-watch', '--log-format', 'json', '--isolation', 'process', '--spare-threads', '1',
    ]);
    const client = lambdaClient(cs.url);
    t.after(() => client.destroy());
    const r = await invoke(client, 'hello', { name: 'json' });
    const id: string = r.payload.requestId;
    await cs.waitForLine(new RegExp(`"type":"invoke.end".*"requestId":"${id}"`));
    const events = cs.stdout.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    const mine = events.filter((e) => e.requestId === id).map((e) => e.type);
    assert.deepEqual(mine, ['invoke.start', 'log', 'log', 'invoke.end']);
    const end = events.find((e) => e.type === 'invoke.end');
    assert.equal(end.cold, true);
    assert.match(end.report, /^REPORT RequestId: /);
    assert.ok(events.some((e) => e.type === 'instance.init.end' && typeof e.initDurationMs === 'number'));
    // Nothing but the listening line and JSON events on stdout.
    const other = cs.stdout.filter((l) => l && !l.startsWith('{') && !l.startsWith('coldstart listening on'));
    assert.deepEqual(other, []);
    assert.ok(cs.stderr.some((l) => /^coldstart: \d+ spare processes ready/.test(l)), cs.stderr.join('\n'));
    assert.ok(cs.stderr.includes('coldstart: each instance runs in a child process of its own (isolation: process)'), cs.stderr.join('\n'));
  });

  test('on a terminal the output is coloured, unless NO_COLOR is set', { skip: !existsSync('/usr/bin/script') && 'needs script(1) for a pseudo-terminal' }, async (t) => {
    const coloured = await runOnTerminal(t, {});
    const coldLine = coloured.split('\n').find((l) => l.includes('COLD START'));
    assert.ok(coldLine, coloured);
    assert.match(coldLine, ANSI);
    assert.match(stripAnsi(coldLine), /^hello +│ +COLD START +instance/);
    const plain = await runOnTerminal(t, { NO_COLOR: '1' });
    assert.doesNotMatch(plain, ANSI);
    assert.match(plain, /^hello +\| COLD START instance/m);
  });
});

/**
 * Runs the server on a pseudo-terminal (script(1)), makes one cold call, stops it with Ctrl-C and
 * returns what it printed. The test's teardown stops it too, should the test end first.
 */
async function runOnTerminal(t: TestContext, env: Record<string, string>): Promise<string> {
  const base = testEnv(env);
  if (!('NO_COLOR' in env)) delete base.NO_COLOR;
  const command = `${process.execPath} ${cliPath} start --config ${fixture('console', 'serverless.yml')} --port 0 --cold-start off --no-watch`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...base, TERM: 'xterm-256color' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const exited = once(child, 'exit');
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.write('\x03');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    })());
  t.after(stop);
  const url = await eventually(() => /coldstart listening on (http:\/\/[\d.:]+)/.exec(stripAnsi(output))?.[1], 20_000, 'the listening line', 50);
  const client = lambdaClient(url);
  t.after(() => client.destroy());
  await invoke(client, 'hello');
  await eventually(() => /REPORT RequestId/.test(stripAnsi(output)), 20_000, 'the REPORT line', 50);
  const printed = output.replace(/\r\n/g, '\n');
  await stop();
  return printed;
}

function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}
