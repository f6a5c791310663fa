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

/** Writes `text` and dates the file `agoMs` back: past the poller's grace period for fresh saves. */
function saveDated(file: string, text: string, agoMs: number): void {
  writeFileSync(file, text);
  const then = new Date(Date.now() - agoMs);
  utimesSync(file, then, then);
}

/** A poller over one file saved a minute ago, its state recorded, its interval stopped: rounds run by hand. */
async function pollerOver(name: string): Promise<{ file: string; poller: FilePoller; reported: string[] }> {
  const file = path.join(dir, name);
  saveDated(file, 'one', 60_000);
  const reported: string[] = [];
  const poller = new FilePoller(() => [file], (f) => reported.push(f));
  await poller.start();
  poller.stop();
  return { file, poller, reported };
}

test('a save no native event reported is reported once by the poller', async () => {
  const { file, poller, reported } = await pollerOver('missed.mjs');
  saveDated(file, 'two, longer', 30_000);
  await poller.check();
  await poller.check();
  assert.deepEqual(reported, [file]);
});

test('a save acknowledged while a poll was reading the file is not reported again', async () => {
  const { file, poller, reported } = await pollerOver('raced.mjs');
  // The poll's stat is in flight; give it time to read the old state before the save lands.
  const polling = poller.check();
  const until = Date.now() + 20;
  while (Date.now() < until) {
    // busy wait: the stat runs on libuv's thread pool meanwhile
  }
  saveDated(file, 'two, longer', 30_000);
  poller.acknowledge(file);
  await polling;
  await poller.check();
  assert.deepEqual(reported, [], 'the watcher reported this save; the poller must not report it again');
});
