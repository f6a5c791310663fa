// The coldstart binary: invoke, exit statuses, configuration errors, graceful shutdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, runColdstart, startColdstart } from './helpers/server.js';

test('coldstart invoke prints the result on stdout and START/END/REPORT on stderr', async (t) => {
  const r = await runColdstart(t, ['invoke', 'counter', '--config', fixture('core', 'serverless.yml'), '--data', '{"a":1}']);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.equal(result.count, 1);
  assert.match(r.stderr, /^START RequestId: \S+ Version: \$LATEST$/m);
  assert.match(r.stderr, /^END RequestId: /m);
  assert.match(r.stderr, /^REPORT RequestId: .*Init Duration: [\d.]+ ms/m);
});

test('coldstart invoke exits 1 on a function error', async (t) => {
  const r = await runColdstart(t, ['invoke', 'thrower', '--config', fixture('core', 'serverless.yml')]);
  assert.equal(r.code, 1);
  assert.equal(JSON.parse(r.stdout).errorType, 'TypeError');
});

test('coldstart invoke --isolation process runs the handler in a process of its own', async (t) => {
  const r = await runColdstart(t, ['invoke', 'sleep', '--config', fixture('core', 'serverless.yml'), '--data', '{"ms":1}', '--isolation', 'process']);
  assert.equal(r.code, 0, r.stderr);
  const { pid } = JSON.parse(r.stdout) as { pid: number };
  assert.equal(typeof pid, 'number');
  assert.notEqual(pid, r.pid);
  const bad = await runColdstart(t, ['invoke', 'sleep', '--config', fixture('core', 'serverless.yml'), '--isolation', 'vm']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--isolation must be "thread" or "process", got "vm"/);
});

const configErrors: [string, RegExp][] = [
  ['timeout.yml', /timeout\.yml.*function "hello".*timeout.*900/s],
  ['memory.yml', /memory\.yml.*function "hello".*memorySize/s],
  ['yaml.yml', /yaml\.yml:\d+:\d+/],
];
for (const [file, pattern] of configErrors) {
  test(`a bad configuration (${file}) exits 2 naming the place`, async (t) => {
    const r = await runColdstart(t, ['start', '--config', fixture('bad', file), '--port', '0', '--no-watch']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stdout, /listening/, 'nothing starts half-configured');
  });
}

// As on AWS, a missing handler file or export fails only that function: the server starts and warns.
for (const [file, pattern] of [
  ['handler-file.yml', /handler-file\.yml:\d+: function "hello" cannot load/],
  ['handler-export.yml', /handler-export\.yml:\d+: function "hello" cannot load: .*doesNotExist/],
] as [string, RegExp][]) {
  test(`a missing handler (${file}) is a start-up warning, not a refusal`, async (t) => {
    const cs = await startColdstart(t, fixture('bad', file), ['--no-watch']);
    assert.match(cs.stderr.join('\n'), pattern);
    assert.ok(cs.stdout.some((l) => l.startsWith('coldstart listening on')));
  });
}

test('SIGTERM lets the in-flight invocation finish, then exits 0', async (t) => {
  // Stopping is what this test is about, so it stops the server itself.
  const cs = await startColdstart(t, fixture('core', 'serverless.yml'), ['--cold-start', 'off', '--no-watch']);
  assert.match(cs.stdout.join('\n'), /^coldstart listening on http:\/\/127\.0\.0\.1:\d+$/m);
  const pending = fetch(`${cs.url}/2015-03-31/functions/sleep/invocations`, { method: 'POST', body: '{"ms":1200}' });
  await new Promise((r) => setTimeout(r, 500));
  const code = cs.stop();
  const res = await pending;
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { slept: number }).slept, 1200);
  assert.equal(await code, 0);
});
