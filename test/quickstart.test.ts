// The README's quick start in a fresh temporary clone: npm ci, npm start, one request, stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot, testEnv } from './helpers/server.js';

test('quick start: a fresh clone installs with npm ci, starts with npm start and serves a request', { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'coldstart-clone-'));
  try {
    execFileSync('git', ['clone', '--quiet', '--depth', '1', `file://${repoRoot}`, dir], { stdio: 'pipe' });
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir, stdio: 'pipe', env: testEnv() });
    const child = spawn('npm', ['start', '--', '--port', '0', '--no-watch'], { cwd: dir, env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout!.on('data', (c) => (out += c));
    child.stderr!.on('data', (c) => (out += c));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line:\n${out}`)), 120_000);
      child.stdout!.on('data', () => {
        const m = /coldstart listening on (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    try {
      const res = await fetch(`${url}/2015-03-31/functions/usersPooled/invocations`, { method: 'POST', body: '{}' });
      assert.equal(res.status, 200, await res.clone().text());
      assert.equal(res.headers.get('x-amz-function-error'), null, await res.text());
      const state = (await (await fetch(`${url}/__coldstart/state`)).json()) as { functions: { name: string }[] };
      assert.ok(state.functions.some((f) => f.name === 'usersPooled'), 'the samples service is loaded');
      const health = await fetch(`${url}/__coldstart/health`);
      assert.equal(health.status, 200);
    } finally {
      // npm runs node as a child: signal the whole group so the emulator gets SIGTERM.
      process.kill(-child.pid!, 'SIGTERM');
      await once(child, 'exit');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
