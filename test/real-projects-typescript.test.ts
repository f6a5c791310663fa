// TypeScript as real projects deploy it: CommonJS unless the project is ESM, packages resolved from
// where the source is, __dirname the source's directory, builds in node_modules/.cache, one build
// per code version however many cold starts ask for it; and serverless.ts read as the Framework does.
import assert from 'node:assert/strict';
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compileHandler } from '../src/code/compile.js';
import { lambdaClient, invoke } from './helpers/lambda.js';
import { copyProject, writePackage } from './helpers/project.js';
import { fixture, useColdstart } from './helpers/server.js';

// aws-sdk v2's shape: `module.exports = AWS`, its clients attached afterwards, so Node's ESM loader
// cannot see `SQS` as a named export ("Named export 'SQS' not found ... is a CommonJS module").
const FAKE_AWS_SDK = `'use strict';
var AWS = {};
function SQS(options) { this.options = options; }
SQS.prototype.sendMessage = function (params) {
  return { promise: function () { return Promise.resolve({ MessageId: 'fixture-' + params.MessageBody.length }); } };
};
Object.assign(AWS, { SQS: SQS });
module.exports = AWS;
`;

describe('a TypeScript SQS producer (CommonJS project)', () => {
  let dir = '';
  const server = useColdstart(
    async () => {
      dir = await copyProject('ts-sqs-producer');
      await writePackage(path.join(dir, 'node_modules'), 'aws-sdk', { 'index.js': FAKE_AWS_SDK }, { version: '2.1500.0' });
      // A package only the handler's directory can see.
      await writePackage(path.join(dir, 'src', 'node_modules'), 'greeting', { 'index.js': "exports.greet = (name) => 'hello ' + name;\n" });
      return path.join(dir, 'serverless.yml');
    },
    ['--cold-start', 'off', '--no-watch'],
    { afterStop: () => dir && rm(dir, { recursive: true, force: true }) },
  );

  it('runs as CommonJS: a named import from a CommonJS package, __dirname, a package next to the handler', async () => {
    const res = await fetch(`${server.url}/dev/orders`, { method: 'POST', body: '42' });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    const body = JSON.parse(text);
    assert.equal(body.moduleFormat, 'commonjs');
    assert.equal(body.messageBody, 'order: 42', 'message.txt read through __dirname');
    assert.equal(body.messageId, 'fixture-9');
    assert.equal(body.dirname, path.join(dir, 'src'), '__dirname is the source directory');
    assert.equal(body.greeting, 'hello producer');
  });

  it('writes its build under node_modules/.cache/coldstart, not into the project', async () => {
    const builds = await readdir(path.join(dir, 'node_modules', '.cache', 'coldstart', 'build', 'src'));
    assert.ok(builds.some((f) => /^producer\.[0-9a-f]{12}\.cjs$/.test(f)), builds.join(', '));
    assert.equal(await stat(path.join(dir, '.coldstart')).catch(() => null), null, 'no .coldstart folder in the project');
  });

  it('a burst of 20 simultaneous cold starts all succeed', async () => {
    // drain has never run: all 20 cold starts ask for its first build at once.
    const client = lambdaClient(server.url);
    const results = await Promise.all(Array.from({ length: 20 }, () => invoke(client, 'drain')));
    for (const [i, r] of results.entries()) {
      assert.equal(r.functionError, undefined, `invocation ${i}: ${JSON.stringify(r.payload)}`);
      assert.deepEqual(r.payload, { client: 'function', greeting: 'hello drain', invocations: 1 });
    }
    const cold = results.filter((r) => /Init Duration/.test(r.log)).length;
    assert.equal(cold, 20, 'each of the 20 ran on an instance of its own, started cold');
    const builds = (await readdir(path.join(dir, 'node_modules', '.cache', 'coldstart', 'build', 'src'))).filter((f) => f.startsWith('drain.'));
    assert.deepEqual(builds.length, 1, `one build for one code version: ${builds.join(', ')}`);
  });
});

describe('TypeScript module format', () => {
  it('compiles to ES modules when the nearest package.json says "type": "module", and for .mts', async () => {
    const dir = await copyProject('ts-sqs-producer');
    try {
      const file = path.join(dir, 'src', 'esm.ts');
      await writeFile(file, 'export const handler = async () => typeof module;\n');
      await writeFile(path.join(dir, 'src', 'also.mts'), 'export const handler = async () => 1;\n');
      assert.match((await compileHandler(file, dir)).entryFile, /\.cjs$/, 'CommonJS by default');
      await writeFile(path.join(dir, 'src', 'package.json'), JSON.stringify({ type: 'module' }));
      await writeFile(file, 'export const handler = async () => typeof module; // esm now\n');
      const esm = await compileHandler(file, dir);
      assert.match(esm.entryFile, /\.mjs$/);
      assert.equal(esm.format, 'esm');
      assert.match((await compileHandler(path.join(dir, 'src', 'also.mts'), dir)).entryFile, /\.mjs$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('builds once per code version: concurrent requests share one build, an edit makes a new one', async () => {
    const dir = await copyProject('ts-sqs-producer');
    try {
      const file = path.join(dir, 'src', 'once.ts');
      await writeFile(file, 'export const handler = async () => 1;\n');
      const all = await Promise.all(Array.from({ length: 20 }, () => compileHandler(file, dir)));
      assert.equal(new Set(all).size, 1, 'one build object for all 20');
      await writeFile(file, 'export const handler = async () => 2; // changed\n');
      const next = await compileHandler(file, dir);
      assert.notEqual(next.entryFile, all[0]!.entryFile);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('serverless.ts (the Framework TypeScript template)', () => {
  const dir = fixture('real-projects', 'serverless-ts');
  // --config names the directory: coldstart finds serverless.ts in it. The template's
  // handlerPath() needs the service directory as the working directory, as `sls` has it.
  const server = useColdstart(dir, ['--cold-start', 'off', '--no-watch'], { cwd: dir });

  it('is compiled, its module.exports read, and its functions served', async () => {
    const res = await fetch(`${server.url}/dev/hello`, { method: 'POST', body: JSON.stringify({ name: 'Ada' }), headers: { 'content-type': 'application/json' } });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    assert.equal(JSON.parse(text).message, 'Hello Ada, welcome to the exciting Serverless world!');
  });
});
