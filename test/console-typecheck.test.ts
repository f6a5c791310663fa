// The console's browser code is checked by tsc against the server's own event and state types
// (tsconfig.console.json), so a renamed event field breaks the build, not the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './helpers/server.js';

const STATIC = path.join(repoRoot, 'src', 'console', 'static');

test('every console script opts into the type check', () => {
  for (const name of readdirSync(STATIC).filter((n) => n.endsWith('.js'))) {
    assert.match(readFileSync(path.join(STATIC, name), 'utf8'), /^\/\/ @ts-check\n/, name);
  }
});

test('the console scripts type-check against src/types', () => {
  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(repoRoot, 'tsconfig.console.json')], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('the model imports the event types instead of declaring its own', () => {
  const model = readFileSync(path.join(STATIC, 'model.js'), 'utf8');
  assert.match(model, /import\('\.\.\/\.\.\/types\/events\.js'\)\.LifecycleEvent/);
});
