// Runs every compiled test file with node's test runner; two files at a time (CI has 2 cores).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve('dist/test');
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.js')) files.push(p);
  }
};
walk(root);
files.sort();
const only = process.argv.slice(2);
const selected = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
// A hang fails on its own after ten minutes instead of holding the run until CI gives up. Node 20
// applies --test-timeout to each test file as a whole (later versions to each test), and the
// slowest file (quickstart: npm ci in a fresh copy) needs several minutes on two busy cores.
const TEST_TIMEOUT_MS = 600_000;
const res = spawnSync(process.execPath, ['--test', '--test-concurrency=2', `--test-timeout=${TEST_TIMEOUT_MS}`, ...selected], { stdio: 'inherit' });
process.exit(res.status ?? 1);
