// The cold-start and CPU model, end to end: real handlers on real threads, measured and modelled.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { InitEndEvent } from '../src/types/events.js';
import { fixture, startColdstart, useColdstart } from './helpers/server.js';
import { duration, initDuration, invoke, lambdaClient } from './helpers/lambda.js';
import { connectEvents, type EventClient } from './helpers/events.js';

// A 2 MB module of real code: functions and data the engine must parse and run at import. The
// length is summed as parts are added: joining all parts to measure them on every step made this
// quadratic (about a minute per copy on two busy cores).
function bigModule(): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < 2 * 1024 * 1024; i++) {
    const part = `function f${i}(a, b) { const t = [${Array.from({ length: 40 }, (_, k) => (i * 31 + k) % 997).join(',')}]; return t.reduce((s, v) => s + v * a - b, 0); }\n`;
    parts.push(part);
    length += part.length;
  }
  const count = parts.length;
  return parts.join('') + `export const table = [${Array.from({ length: count }, (_, i) => `f${i}`).join(',')}].map((f) => f(1, 2));\n`;
}

async function serviceCopy(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'coldstart-model-'));
  await cp(fixture('model'), dir, { recursive: true });
  await writeFile(path.join(dir, 'big.mjs'), bigModule());
  return dir;
}

describe('model: realistic', () => {
  let dir: string;
  let events: EventClient;
  let client: ReturnType<typeof lambdaClient>;
  before(async () => {
    dir = await serviceCopy();
  });
  const cs = useColdstart(() => path.join(dir, 'serverless.yml'), ['--no-watch']);
  before(async () => {
    events = await connectEvents(cs.url);
    client = lambdaClient(cs.url);
  });
  after(async () => {
    client?.destroy();
    await events?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('a handler that loads a 2 MB module at init cold-starts measurably slower than a trivial one', async () => {
    const trivial = await invoke(client, 'trivial');
    const heavy = await invoke(client, 'heavy');
    const t = initDuration(trivial.log)!;
    const h = initDuration(heavy.log)!;
    assert.ok(t >= 140, `the runtime base is modelled (${t} ms)`);
    assert.ok(h > t + 20, `heavy ${h} ms vs trivial ${t} ms`);
    const heavyInit = await events.waitFor<InitEndEvent>((e) => e.type === 'instance.init.end' && e.function === 'heavy');
    const trivialInit = await events.waitFor<InitEndEvent>((e) => e.type === 'instance.init.end' && e.function === 'trivial');
    assert.ok(heavyInit.measuredMs > trivialInit.measuredMs, 'the difference comes from measured init work');
    assert.ok(heavyInit.platformDelayMs >= 120, `the platform delay is modelled (${heavyInit.platformDelayMs} ms)`);
    assert.ok(heavyInit.packageBytes > 100_000, `the 2 MB module is in the package (${heavyInit.packageBytes} bytes zipped)`);
  });

  test('a CPU-bound handler at 128 MB takes many times longer than at 1769 MB', async () => {
    await invoke(client, 'spin1769', { iterations: 1 });
    await invoke(client, 'spin128', { iterations: 1 });
    const fast = duration((await invoke(client, 'spin1769', { iterations: 3e6 })).log);
    const slow = duration((await invoke(client, 'spin128', { iterations: 3e6 })).log);
    // The model's ratio is 1769/128 = 13.8; waiting time the scheduler adds is not scaled, so allow less.
    assert.ok(slow / fast > 6, `128 MB: ${slow} ms, 1769 MB: ${fast} ms`);
  });
});

describe('model: --cold-start off', () => {
  test('removes every modelled delay; what was measured stays', async (t) => {
    const dir = await serviceCopy();
    const cs = await startColdstart(t, path.join(dir, 'serverless.yml'), ['--no-watch', '--cold-start', 'off']);
    const events = await connectEvents(cs.url);
    const client = lambdaClient(cs.url);
    t.after(async () => {
      client.destroy();
      await events.close();
      await rm(dir, { recursive: true, force: true });
    });
    const r = await invoke(client, 'heavy');
    const init = await events.waitFor<InitEndEvent>((e) => e.type === 'instance.init.end' && e.function === 'heavy');
    assert.equal(init.platformDelayMs, 0);
    assert.ok(init.measuredMs > 0);
    assert.ok(initDuration(r.log)! >= init.measuredMs, 'Init Duration reports the measured init');
    await invoke(client, 'spin1769', { iterations: 1 });
    await invoke(client, 'spin128', { iterations: 1 });
    const fast = duration((await invoke(client, 'spin1769', { iterations: 3e6 })).log);
    const slow = duration((await invoke(client, 'spin128', { iterations: 3e6 })).log);
    assert.ok(slow / fast < 3, `no memory scaling: 128 MB ${slow} ms, 1769 MB ${fast} ms`);
  });
});
