// Bursts of file events become single batches, and batches never overlap. On a mocked clock, so
// the quiet and maximum windows are exact whatever the load of the machine.
import assert from 'node:assert/strict';
import { beforeEach, afterEach, test, mock } from 'node:test';
import { BurstCollector } from '../src/reload/burst.js';

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 }));
afterEach(() => mock.timers.reset());

/** Lets promise callbacks and I/O callbacks run (setImmediate is not mocked). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Moves the mocked clock on by `ms`, a millisecond at a time, letting callbacks run at each step. */
async function advance(ms: number): Promise<void> {
  for (let i = 0; i < ms; i++) {
    mock.timers.tick(1);
    await settle();
  }
}

test('events within the quiet period form one batch', async () => {
  const batches: string[][] = [];
  const c = new BurstCollector<string>((b) => void batches.push(b), { quietMs: 80, maxWaitMs: 5000 });
  c.add('a');
  await advance(79);
  c.add('b');
  await advance(79);
  c.add('a');
  await advance(79);
  assert.deepEqual(batches, [], 'no 80 ms of quiet yet');
  await advance(1);
  assert.deepEqual(batches, [['a', 'b']]);
});

test('events separated by more than the quiet period form two batches', async () => {
  const batches: string[][] = [];
  const c = new BurstCollector<string>((b) => void batches.push(b), { quietMs: 30, maxWaitMs: 5000 });
  c.add('a');
  await advance(31);
  c.add('b');
  await advance(31);
  assert.deepEqual(batches, [['a'], ['b']]);
});

test('a continuous stream is cut at maxWait', async () => {
  const batches: { at: number; items: string[] }[] = [];
  const c = new BurstCollector<string>((b) => void batches.push({ at: Date.now(), items: b }), { quietMs: 100, maxWaitMs: 300 });
  for (let i = 0; i < 20; i++) {
    c.add(`f${i}`);
    await advance(50);
  }
  await advance(100);
  assert.deepEqual(batches.map((b) => b.at), [300, 600, 900, 1050], 'cut every 300 ms, the tail after 100 ms of quiet');
  assert.deepEqual(batches.flatMap((b) => b.items), Array.from({ length: 20 }, (_, i) => `f${i}`), 'no event is lost');
});

test('a longer quiet period asked for by one event applies to its whole burst', async () => {
  const batches: string[][] = [];
  const c = new BurstCollector<string>((b) => void batches.push(b), { quietMs: 20, maxWaitMs: 5000 });
  c.add('node_modules/x', 300);
  await advance(150);
  assert.equal(batches.length, 0, 'still waiting for the install to settle');
  c.add('handler.js');
  await advance(299);
  assert.equal(batches.length, 0);
  await advance(1);
  assert.deepEqual(batches, [['node_modules/x', 'handler.js']]);
});

test('events arriving while a batch is handled wait for the next batch', async () => {
  const log: string[] = [];
  let active = 0;
  const c = new BurstCollector<string>(
    async (b) => {
      active += 1;
      assert.equal(active, 1, 'batches overlap');
      log.push(`start ${b.join(',')} at ${Date.now()}`);
      // The global setTimeout, which the mocked clock drives (Node 20 does not mock timers/promises).
      await new Promise((resolve) => setTimeout(resolve, 200));
      log.push(`end ${b.join(',')} at ${Date.now()}`);
      active -= 1;
    },
    { quietMs: 10, maxWaitMs: 1000 },
  );
  c.add('a');
  await advance(60);
  c.add('b');
  await advance(20);
  c.add('c');
  await advance(400);
  assert.deepEqual(log, ['start a at 10', 'end a at 210', 'start b,c at 210', 'end b,c at 410']);
});

test('a failing handler does not stop later batches; close drops pending events', async () => {
  const batches: string[][] = [];
  const c = new BurstCollector<string>(
    (b) => {
      batches.push(b);
      if (b.includes('bad')) throw new Error('boom');
    },
    { quietMs: 10, maxWaitMs: 1000 },
  );
  c.add('bad');
  await advance(10);
  c.add('good');
  await advance(10);
  c.add('dropped');
  c.close();
  await advance(50);
  assert.deepEqual(batches, [['bad'], ['good']]);
});
