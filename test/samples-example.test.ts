// serverless.yml.example at the repository root documents every key coldstart reads; it must load
// as written (given stub handlers) and mean what its comments say.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot, useColdstart } from './helpers/server.js';
import { functionState, getState } from './helpers/state.js';

describe('serverless.yml.example', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'coldstart-example-'));

  before(() => {
    copyFileSync(path.join(repoRoot, 'serverless.yml.example'), path.join(dir, 'serverless.yml'));
    mkdirSync(path.join(dir, 'src'));
    for (const name of ['hello', 'report', 'worker']) {
      writeFileSync(path.join(dir, 'src', `${name}.mjs`), 'export const handler = async () => ({ statusCode: 200, body: "ok" });\n');
    }
  });
  const cs = useColdstart(path.join(dir, 'serverless.yml'), ['--no-watch', '--cold-start', 'off']);
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('loads with no warning and the settings its comments describe', async () => {
    const warnings = [...cs.stdout, ...cs.stderr].filter((l) => /warning:/.test(l));
    assert.deepEqual(warnings, []);
    const state = await getState(cs.url);
    assert.equal(state.service, 'shop');
    assert.equal(state.stage, 'dev');
    const hello = functionState(state, 'hello');
    assert.equal(hello.fullName, 'shop-dev-hello');
    assert.equal(hello.memorySize, 512);
    assert.equal(hello.timeout, 10);
    assert.equal(hello.reservedConcurrency, 50);
    assert.equal(hello.provisionedConcurrency, 2);
    const kinds = hello.events.map((e) => e.kind).sort();
    assert.deepEqual(kinds, ['http', 'http', 'httpApi', 'httpApi', 'sqs']);
    assert.deepEqual(
      state.schedules.filter((s) => s.function === 'report').map((s) => s.expression).sort(),
      ['cron(0 8 ? * MON-FRI *)', 'rate(5 minutes)'],
    );
    assert.deepEqual(state.queues.map((q) => q.name).sort(), ['shop-dev-jobs', 'shop-dev-jobs-dlq', 'shop-failures']);
    assert.equal(state.settings.throttle?.rateLimit, 100);
  });

  test('its routes answer: REST under /dev, HTTP API at the root', async () => {
    assert.equal((await fetch(`${cs.url}/dev/hello/ann`)).status, 200);
    assert.equal((await fetch(`${cs.url}/hi`)).status, 200);
  });
});
