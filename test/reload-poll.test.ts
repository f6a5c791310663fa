// The poller under the native watcher, on real files: it reports a save the watcher missed, and
// never a save the watcher already reported.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { FilePoller } from '../src/reload/file-poll.js';

let dir: string;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'coldstart-poll-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A file last modified a minute ago: past the poller's grace period from the start. */
function oldFile(name: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, 'one');
  const past = new Date(Date.now() - 60_000);
  utimesSync(file, past, past);
  return file;
}

test('a save no native event reported is reported once by the poller', async () => {
  const file = oldFile('missed.mjs');
  const reported: string[] = [];
  const poller = new FilePoller(() => [file], (f) => reported.push(f));
  await poller.start();
  poller.stop();
  writeFileSync(file, 'two, longer');
  const past = new Date(Date.now() - 30_000);
  utimesSync(file, past, past);
  await poller.check();
  await poller.check();
  assert.deepEqual(reported, [file]);
});

test('a save acknowledged while a poll was reading the file is not reported again', async () => {
  const file = oldFile('raced.mjs');
  const reported: string[] = [];
  const poller = new FilePoller(() => [file], (f) => reported.push(f));
  await poller.start();
  poller.stop();
  // The poll's stat is in flight; give it time to read the old state before the save lands.
  const polling = poller.check();
  const until = Date.now() + 20;
  while (Date.now() < until) {
    // busy wait: the stat runs on libuv's thread pool meanwhile
  }
  writeFileSync(file, 'two, longer');
  const past = new Date(Date.now() - 30_000);
  utimesSync(file, past, past);
  poller.acknowledge(file);
  await polling;
  await poller.check();
  assert.deepEqual(reported, [], 'the watcher reported this save; the poller must not report it again');
});
