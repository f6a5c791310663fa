// The console history is bounded in bytes: a long log line is kept as an excerpt that does not
// hold the whole line alive.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { HISTORY_MESSAGE_LIMIT, RecentEvents, detached } from '../src/console/recent.js';
import type { LifecycleEvent } from '../src/types/events.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapMb(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

test('200 log lines of 1 MB leave about 200 excerpts of 8 KB in the heap, not 200 MB', () => {
  const recent = new RecentEvents(1000);
  const before = heapMb();
  for (let i = 0; i < 200; i++) {
    // Each line a string of its own (a repeat() of one seed would share memory between lines).
    const line = `${i}:`.padEnd(1024 * 1024, String.fromCharCode(97 + (i % 26)));
    recent.add({ type: 'log', time: Date.now(), function: 'f', level: 'INFO', message: line } as LifecycleEvent);
  }
  const grewMb = heapMb() - before;
  assert.ok(grewMb < 20, `the history grew the heap by ${grewMb.toFixed(1)} MB`);
  const kept = recent.list();
  assert.equal(kept.length, 200);
  const message = (kept[0] as { message: string }).message;
  assert.ok(message.startsWith('0:aaa'));
  assert.ok(message.endsWith('… [truncated]'));
  assert.equal(message.length, HISTORY_MESSAGE_LIMIT + '… [truncated]'.length);
});

test('detached() keeps the text', () => {
  assert.equal(detached('héllo ✓'), 'héllo ✓');
});
