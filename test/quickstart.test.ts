// The README's quick start on a fresh copy of the working tree (committed or not, as git would
// see it after `git add`): npm ci, npm start, one request, stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually } from './helpers/eventually.js';
import { repoRoot, testEnv } from './helpers/server.js';
import { functionState, getState } from './helpers/state.js';

/** Copies every file git tracks or would add (ignored files left out) to `dir`: a clone of the working tree. */
function copyWorkingTree(dir: string): void {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' });
  for (const rel of new Set(listed.split('\0').filter(Boolean))) {
    const from = path.join(repoRoot, rel);
    // A tracked file deleted in the working tree is not part of it.
    if (!existsSync(from)) continue;
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    cpSync(from, path.join(dir, rel));
  }
}

test('quick start: a fresh copy installs with npm ci, starts with npm start and serves a request', { timeout: 600_000 }, async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'coldstart-clone-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  copyWorkingTree(dir);
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir, stdio: 'pipe', env: testEnv() });
  const child = spawn('npm', ['start', '--', '--port', '0', '--no-watch'], { cwd: dir, env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const exited = once(child, 'exit');
  t.after(async () => {
    // npm runs node as a child: signal the whole group so the emulator gets SIGTERM.
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const url = await eventually(() => /coldstart listening on (http:\/\/\S+)/.exec(out)?.[1], 120_000, 'the listening line', 100).catch((err: Error) => {
    throw new Error(`${err.message}\n${out}`);
  });

  const res = await fetch(`${url}/2015-03-31/functions/usersPooled/invocations`, { method: 'POST', body: '{}' });
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(res.headers.get('x-amz-function-error'), null, await res.text());
  assert.equal(functionState(await getState(url), 'usersPooled').name, 'usersPooled', 'the samples service is loaded');
  const health = await fetch(`${url}/__coldstart/health`);
  assert.equal(health.status, 200);
});
