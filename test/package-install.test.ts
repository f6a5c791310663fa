// The package as a user meets it: `npm pack` of the working tree, installed from the tarball into
// a fresh Serverless project outside this repository, then `npx coldstart start` and test files
// of that project (ESM, CommonJS, TypeScript types) that use createColdstart.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, testEnv } from './helpers/server.js';

/** What `npm pack` needs to build the package (its `prepare` script runs the declaration build). */
const PACKED_SOURCES = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'tsconfig.console.json', 'src', 'scripts', 'README.md', 'LICENSE', 'docs', 'serverless.yml.example'];

/** The environment of a user's shell: without this test runner's own variables. */
function userEnv(): NodeJS.ProcessEnv {
  const env = testEnv();
  // A nested `node --test` would otherwise report to this runner's protocol instead of printing.
  delete env.NODE_TEST_CONTEXT;
  return env;
}

function run(cmd: string, args: string[], cwd: string, timeoutMs = 180_000): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, env: userEnv(), encoding: 'utf8', timeout: timeoutMs });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} in ${cwd} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r;
}

const SERVERLESS_YML = `service: my-service
frameworkVersion: '3'
provider:
  name: aws
  runtime: nodejs20.x
plugins:
  - serverless-offline
functions:
  hello:
    handler: handler.hello
    events:
      - http: GET /hello
      - httpApi: GET /hi
`;

const HANDLER = `let calls = 0;
module.exports.hello = async () => ({ statusCode: 200, body: JSON.stringify({ hello: 'world', calls: ++calls }) });
`;

const ESM_TEST = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createColdstart } from 'coldstart';

test('hello answers through the gateway and the Invoke API (ESM)', async () => {
  const cs = await createColdstart({ port: 0, watch: false, log: false });
  try {
    const res = await cs.fetch('/dev/hello');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { hello: 'world', calls: 1 });
    const r = await cs.invoke('hello', {});
    assert.equal(r.statusCode, 200);
    assert.equal(r.cold, false);
    assert.equal(JSON.parse(r.payload.body).calls, 2);
  } finally {
    await cs.close();
  }
});
`;

const CJS_TEST = `const { test } = require('node:test');
const assert = require('node:assert/strict');
const { createColdstart, isColdstartError } = require('coldstart');

test('a cold start is reported, then the HTTP API answers (CommonJS)', async () => {
  const cs = await createColdstart({ port: 0, watch: false, log: false });
  try {
    const init = cs.events.next('instance.init.end');
    const r = await cs.invoke('my-service-dev-hello', {});
    assert.equal(r.cold, true);
    assert.ok(r.initDurationMs > 0);
    assert.ok((await init).initDurationMs > 0);
    assert.equal((await cs.fetch('/hi')).status, 200);
    await assert.rejects(cs.invoke('nope'), (err) => isColdstartError(err) && err.code === 'FUNCTION_NOT_FOUND');
  } finally {
    await cs.close();
  }
});
`;

const TYPED = `import { createColdstart, type Coldstart, type InvokeResult } from 'coldstart';
const cs: Coldstart = await createColdstart({ port: 0, coldStart: 'off', isolation: 'thread' });
const r: InvokeResult = await cs.invoke('hello', { a: 1 }, { logType: 'Tail' });
const n: number = r.statusCode;
// @ts-expect-error: coldStart is 'realistic' or 'off'
await createColdstart({ coldStart: 'sometimes' });
cs.events.on('invoke.end', (e) => e.durationMs.toFixed(n));
await cs.close();
`;

describe('the npm package, installed into a Serverless project', { timeout: 600_000 }, () => {
  let tmp: string;
  let project: string;
  let tarball: string;

  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'coldstart-pack-'));
    // A copy of the working tree, so the pack's own build never rewrites the dist/ other tests run from.
    const tree = path.join(tmp, 'tree');
    await mkdir(tree);
    for (const entry of PACKED_SOURCES) await cp(path.join(repoRoot, entry), path.join(tree, entry), { recursive: true });
    await symlink(path.join(repoRoot, 'node_modules'), path.join(tree, 'node_modules'), 'dir');
    const packed = run('npm', ['pack', '--json', '--pack-destination', tmp], tree);
    const info = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(tmp, info[0]!.filename);
    const files = info[0]!.files.map((f) => f.path);
    assert.ok(files.includes('dist/src/index.js') && files.includes('dist/src/index.d.ts') && files.includes('LICENSE'), files.join('\n'));
    const stray = files.filter((f) => /(^|\/)(test|tests|bench|fixtures)(\/|$)|\.map$/.test(f));
    assert.deepEqual(stray, [], 'no test, fixture, bench file or source map in the package');

    project = path.join(tmp, 'my-service');
    await mkdir(path.join(project, 'test'), { recursive: true });
    await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'my-service', version: '1.0.0', private: true, scripts: { offline: 'coldstart start' } }, null, 2));
    await writeFile(path.join(project, 'serverless.yml'), SERVERLESS_YML);
    await writeFile(path.join(project, 'handler.js'), HANDLER);
    await writeFile(path.join(project, 'test', 'esm.test.mjs'), ESM_TEST);
    await writeFile(path.join(project, 'test', 'cjs.test.cjs'), CJS_TEST);
    await writeFile(path.join(project, 'typed.mts'), TYPED);
    // Dependencies come from the npm cache `npm ci` filled.
    run('npm', ['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', tarball], project);
  });
  after(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  test('`npx coldstart start --port 0` answers a route of the project', async () => {
    // A process group of its own: npx runs coldstart as a child, and both must end.
    const child = spawn('npx', ['--no-install', 'coldstart', 'start', '--port', '0', '--no-watch'], { cwd: project, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listening line\n${out}\n${err}`)), 60_000);
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /coldstart listening on (http:\/\/\S+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.once('exit', (code) => reject(new Error(`coldstart exited ${code}\n${out}\n${err}`)));
      });
      const res = await fetch(`${url}/dev/hello`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { hello: 'world', calls: 1 });
      assert.match(err, /not emulated.*plugins/, 'the plugins key is named, not fatal');
    } finally {
      const exited = child.exitCode === null ? new Promise((r) => child.once('exit', r)) : Promise.resolve();
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  });

  test('node:test files of the project, in ESM and in CommonJS, pass with createColdstart', () => {
    const r = run(process.execPath, ['--test', 'test/'], project);
    assert.match(r.stdout, /# pass 2/, r.stdout);
    assert.match(r.stdout, /# fail 0/, r.stdout);
  });

  test('the declarations type a TypeScript caller', async () => {
    assert.ok((await readdir(path.join(project, 'node_modules', 'coldstart', 'dist', 'src'))).includes('index.d.ts'));
    const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    run(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', 'typed.mts'], project);
  });
});
