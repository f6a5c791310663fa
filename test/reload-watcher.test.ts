// The directory watcher on a real temp directory: one level deep, ignored build directories,
// directories added later or created after they were asked for.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import type { FileChange } from '../src/reload/plan.js';
import { DirectoryWatcher } from '../src/reload/watcher.js';
import { eventually } from './helpers/eventually.js';

let dir: string;
let watcher: DirectoryWatcher;
const seen: FileChange[] = [];

async function waitFor(file: string, kind?: FileChange['kind']): Promise<void> {
  await eventually(() => seen.some((c) => c.file === file && (!kind || c.kind === kind)), 5_000, `${kind ?? 'an event'} for ${file}`, 10);
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'coldstart-watch-'));
  await mkdir(path.join(dir, 'lib', 'deep'), { recursive: true });
  await mkdir(path.join(dir, '.coldstart', 'build'), { recursive: true });
  await writeFile(path.join(dir, 'a.mjs'), '1');
  await writeFile(path.join(dir, 'lib', 'b.mjs'), '1');
  await writeFile(path.join(dir, 'lib', 'deep', 'c.mjs'), '1');
  watcher = new DirectoryWatcher([dir, path.join(dir, 'lib'), path.join(dir, 'node_modules')], {
    serviceDir: dir,
    onChange: (c) => seen.push(c),
    onError: (e) => assert.fail(String(e)),
  });
  await watcher.whenReady();
});
after(async () => {
  await watcher?.close();
  await rm(dir, { recursive: true, force: true });
});

test('changes in watched directories are reported; one level deep only; build output ignored', async () => {
  await writeFile(path.join(dir, 'a.mjs'), '2');
  await writeFile(path.join(dir, 'lib', 'b.mjs'), '2');
  await writeFile(path.join(dir, 'lib', 'deep', 'c.mjs'), '2');
  await writeFile(path.join(dir, '.coldstart', 'build', 'a.mjs'), '2');
  await waitFor(path.join(dir, 'a.mjs'), 'change');
  await waitFor(path.join(dir, 'lib', 'b.mjs'), 'change');
  await sleep(300);
  assert.ok(!seen.some((c) => c.file.includes(`${path.sep}deep${path.sep}`)), 'lib/deep is not watched');
  assert.ok(!seen.some((c) => c.file.includes('.coldstart')), '.coldstart is ignored');
});

test('a save by rename (write a temp file, move it over) is seen', async () => {
  const tmp = path.join(dir, 'lib', '.b.mjs.tmp');
  await writeFile(tmp, '3');
  await rename(tmp, path.join(dir, 'lib', 'b.mjs'));
  await waitFor(path.join(dir, 'lib', 'b.mjs'));
});

test('a directory asked for before it existed is watched once created; added directories are watched', async () => {
  await mkdir(path.join(dir, 'node_modules'));
  await waitFor(path.join(dir, 'node_modules'), 'addDir');
  await sleep(200);
  await writeFile(path.join(dir, 'node_modules', '.package-lock.json'), '{}');
  await waitFor(path.join(dir, 'node_modules', '.package-lock.json'), 'add');

  watcher.add([path.join(dir, 'lib', 'deep')]);
  await sleep(300);
  await writeFile(path.join(dir, 'lib', 'deep', 'c.mjs'), '4');
  await waitFor(path.join(dir, 'lib', 'deep', 'c.mjs'), 'change');
});
