// Bursts of file events become single batches, and batches never overlap.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { BurstCollector } from '../src/reload/burst.js';

test('events within the quiet period form one batch', async () => {
  const batches: string[][] = [];
  const c = new BurstCollector<string>((b) => void batches.push(b), { quietMs: 80, maxWaitMs: 5000 });
  c.add('a');
  await sleep(20);
  c.add('b');
  await sleep(20);
  c.add('a');
  await c.idle();
  assert.deepEqual(batches, [['a', 'b']]);
});

test('events separated by more than the quiet period form two batches', async () => {
  const batches: string[][] = [];
  const c = new BurstCollector<string>((b) => void batches.push(b), { quietMs: 30, maxWaitMs: 5000 });
  c.add('a');
  await sleep(250);
  c.add('b');
  await c.idle();
  assert.deepEqual(batches, [['a'], ['b']]);
});

test('a continuous stream is cut at maxWait', async () => {
  const batches: string[][] = [];
  const c = new BurstCollector<string>((b) => void batches.push(b), { quietMs: 100, maxWaitMs: 300 });
  const started = Date.now();
  for (let i = 0; i < 20; i++) {
    c.add(`f${i}`);
    await sleep(50);
  }
  await c.idle();
  assert.ok(batches.length >= 2, `expected the stream to be cut, got ${batches.length} batch(es) over ${Date.now() - started} ms`);
  assert.equal(batches.flat().length, 20, 'no event is lost');
});

test('a longer quiet period asked for by one event applies to its whole burst', async () => {
  const batches: string[][] = [];
  const c = new BurstCollector<string>((b) => void batches.push(b), { quietMs: 20, maxWaitMs: 5000 });
  c.add('node_modules/x', 300);
  await sleep(150);
  assert.equal(batches.length, 0, 'still waiting for the install to settle');
  c.add('handler.js');
  await c.idle();
  assert.deepEqual(batches, [['node_modules/x', 'handler.js']]);
});

test('events arriving while a batch is handled wait for the next batch', async () => {
  const log: string[] = [];
  let active = 0;
  const c = new BurstCollector<string>(
    async (b) => {
      active += 1;
      assert.equal(active, 1, 'batches overlap');
      log.push(`start ${b.join(',')}`);
      await sleep(200);
      log.push(`end ${b.join(',')}`);
      active -= 1;
    },
    { quietMs: 10, maxWaitMs: 1000 },
  );
  c.add('a');
  await sleep(60);
  c.add('b');
  await sleep(20);
  c.add('c');
  await c.idle();
  assert.deepEqual(log, ['start a', 'end a', 'start b,c', 'end b,c']);
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
  await c.idle();
  c.add('good');
  await c.idle();
  c.add('dropped');
  c.close();
  await sleep(50);
  assert.deepEqual(batches, [['bad'], ['good']]);
});
