// The emulator and the simulator agree: the same Poisson arrivals go through the real emulator's
// Lambda API (on 127.0.0.1) and through the simulator calibrated on the same handler; cold starts,
// throttles and max instances must match within the stated tolerances. The simulator models the
// handler runs the emulator measured during this very run, so a loaded machine slows both alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixture, startColdstart } from './helpers/server.js';
import { connectEvents } from './helpers/events.js';
import type { InvokeEndEvent } from '../src/types/events.js';
import { functionState, getMetrics, getState } from './helpers/state.js';
import { loadServiceConfig } from '../src/config/load.js';
import { calibrate } from '../src/simulate/calibrate.js';
import { simulate } from '../src/simulate/engine.js';
import { Replay } from '../src/simulate/arrivals.js';
import { ModelledService } from '../src/simulate/service.js';
import { seededUniform } from '../src/model/random.js';

const CONFIG = fixture('simulate', 'serverless.yml');
// 4 req/s for 45 s against a handler that waits 1 s with reservedConcurrency 4: 4 erlangs offered
// to 4 instances, so Erlang-B throttles about 31 % of the calls. A handler that waits a whole second
// keeps the emulator's own per-call overhead (a few ms, more on a loaded machine) small beside it.
const RATE = 4;
const WINDOW_MS = 45_000;

test('emulator and simulator agree on cold starts, throttles and max instances', { timeout: 180_000 }, async (t) => {
  const uniform = seededUniform(42);
  const planned: number[] = [];
  for (let t = 0; ; ) {
    t += (-Math.log(1 - uniform()) * 1000) / RATE;
    if (t >= WINDOW_MS) break;
    planned.push(t);
  }

  const cs = await startColdstart(t, CONFIG, ['--no-watch']);
  const stream = await connectEvents(cs.url);
  t.after(() => stream.close());
  const sent: number[] = [];
  let throttled = 0;
  let ok = 0;
  let maxInstances = 0;
  // Samples the instance count all through the run (not a wait for a condition).
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const fn = functionState(await getState(cs.url), 'slow');
      maxInstances = Math.max(maxInstances, fn.instances.filter((i) => i.state !== 'retired').length);
      await sleep(100);
    }
  })();
  const start = performance.now();
  const calls = planned.map(async (at) => {
    await sleep(Math.max(0, at - (performance.now() - start)));
    sent.push(performance.now() - start);
    const res = await fetch(`${cs.url}/2015-03-31/functions/slow/invocations`, { method: 'POST', body: '{}' });
    await res.arrayBuffer();
    if (res.status === 429) throttled++;
    else if (res.status === 200) ok++;
  });
  await Promise.all(calls);
  polling = false;
  await poller;
  const metrics = (await getMetrics(cs.url)).functions['slow']!;
  const emulated = { coldStarts: metrics.coldStarts, throttles: throttled, maxInstances };
  assert.equal(ok + throttled, planned.length);

  const config = await loadServiceConfig(CONFIG, {});
  const fn = config.functions.find((f) => f.name === 'slow')!;
  const [c] = await calibrate(config, [fn], { coldStarts: 3, warmInvocations: 20, events: new Map(), givenDurationMs: new Map() });
  // The warm runs the emulator measured in this run replace calibration's own (taken later, under
  // whatever load the machine has then): the comparison is of the platform rules, not of two loads.
  const runs = stream.events.filter((e): e is InvokeEndEvent => e.type === 'invoke.end' && e.function === 'slow' && !e.cold && e.measured !== undefined);
  assert.ok(runs.length > 20, `${runs.length} warm runs measured`);
  c!.measurements.invokes = runs.map((e) => ({ cpuMs: e.measured!.cpuMs, wallMs: e.measured!.wallMs, queuedMs: e.measured!.queuedMs }));
  const run = simulate({
    functions: [{ name: 'slow', memoryMb: fn.memorySize, timeoutMs: fn.timeout * 1000, reserved: fn.reservedConcurrency, provisioned: 0, frontEnd: 'direct', gatewayTimeoutMs: Infinity, service: new ModelledService(config.settings.model, fn.memorySize, c!.measurements, fn.packageBytes, fn.vpc) }],
    sources: [{ fn: 0, stream: new Replay(Float64Array.from(sent).sort()) }],
    accountConcurrency: config.settings.accountConcurrency,
    idleTimeoutMs: config.settings.idleTimeout * 1000,
    durationMs: WINDOW_MS + 5000,
    stageThrottle: null,
    seed: 1,
  }).functions[0]!;
  const simulated = { coldStarts: run.coldStarts.total, throttles: run.throttled.total, maxInstances: run.instances.max };
  const context = `durations ${JSON.stringify(metrics.duration)} sim p50 ${run.latency.quantile(0.5)} emulator ${JSON.stringify(emulated)}, simulator ${JSON.stringify(simulated)}, ${planned.length} calls`;
  t.diagnostic(context);
  // Tolerances: instances are capped by the reservation on both sides and must match exactly; cold
  // starts within 2 (an instance the emulator starts a moment later or sooner); throttles within
  // 6 % of the calls (the client's timers and this shared machine add jitter the simulator has not).
  assert.equal(simulated.maxInstances, emulated.maxInstances, context);
  assert.ok(Math.abs(simulated.coldStarts - emulated.coldStarts) <= 2, context);
  assert.ok(Math.abs(simulated.throttles - emulated.throttles) <= 0.06 * planned.length, context);
  assert.ok(emulated.throttles > 0 && simulated.throttles > 0, context);
});
