// Schedules: the running server lists every schedule with its next firing; the schedule feature,
// on a mocked clock, fires the fixture's rate(1 minute) rules a minute after start as Event
// invocations with source `schedule`, with the Scheduled Event payload or the rule's input.
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { loadServiceConfig } from '../src/config/load.js';
import { nextCronFiring, parseCron } from '../src/schedule/cron.js';
import { createScheduleFeature } from '../src/schedule/feature.js';
import { MemoryConfigStore } from '../src/server/config-store.js';
import type { AppContext } from '../src/types/feature.js';
import type { InvocationRequest } from '../src/types/runtime.js';
import { fixture, useColdstart } from './helpers/server.js';
import { getState } from './helpers/state.js';

// Set before the server starts (the module runs before any hook).
const startedAt = Date.now();
const server = useColdstart(fixture('schedule', 'serverless.yml'), ['--cold-start', 'off', '--no-watch', '--log-format', 'json']);
const state = () => getState(server.url);

describe('schedules of the running server', () => {
  it('the state lists each schedule with its next firing', async () => {
    const s = await state();
    const by = Object.fromEntries(s.schedules.map((x) => [x.function, x]));
    const tickNext = Date.parse(by['tick']!.nextFiring!);
    assert.ok(tickNext >= startedAt + 59_000 && tickNext <= Date.now() + 60_000, `tick next ${by['tick']!.nextFiring}`);
    assert.equal(by['nightly']!.name, 'nightly-report');
    assert.equal(by['nightly']!.nextFiring, nextCronFiring(parseCron('cron(0 3 * * ? *)'), new Date())!.toISOString());
    assert.equal(by['off']!.enabled, false);
    assert.equal(by['off']!.nextFiring, null);
    assert.equal(by['tick']!.name, 'sched-dev-TickEventsRuleSchedule1');
  });
});

describe('the schedule feature on a mocked clock', () => {
  it('fires rate(1 minute) a minute after start with the Scheduled Event payload, the input when given, never when disabled', async (t) => {
    const config = await loadServiceConfig(fixture('schedule', 'serverless.yml'), {});
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.parse('2024-05-01T10:00:00.250Z') });
    t.after(() => mock.timers.reset());
    const requests: InvocationRequest[] = [];
    const ctx = {
      config: new MemoryConfigStore(config),
      invocations: { invokeAsync: (r: InvocationRequest) => (requests.push(r), { requestId: String(requests.length) }) },
      printError: (line: string) => assert.fail(line),
    } as unknown as AppContext;
    const feature = createScheduleFeature(ctx);
    await feature.start?.({} as never);
    t.after(() => feature.stop?.());

    mock.timers.tick(59_999);
    assert.equal(requests.length, 0, 'nothing fires before the first minute is over');
    mock.timers.tick(1);
    const by = new Map(requests.map((r) => [r.functionName, r]));
    assert.deepEqual([...by.keys()].sort(), ['tick', 'warm'], 'both enabled rate rules fire, the disabled one does not');
    for (const r of requests) assert.equal(r.source, 'schedule');
    const e = JSON.parse(by.get('tick')!.payloadJson);
    assert.equal(e['detail-type'], 'Scheduled Event');
    assert.equal(e.source, 'aws.events');
    assert.equal(e.version, '0');
    assert.equal(e.account, '000000000000');
    assert.equal(e.region, 'eu-west-1');
    assert.deepEqual(e.resources, ['arn:aws:events:eu-west-1:000000000000:rule/sched-dev-TickEventsRuleSchedule1']);
    assert.deepEqual(e.detail, {});
    // EventBridge writes whole seconds.
    assert.equal(e.time, '2024-05-01T10:01:00Z');
    assert.deepEqual(JSON.parse(by.get('warm')!.payloadJson), { warmer: true });
    const states = (feature.state?.() as { schedules: { function: string; firings: number }[] }).schedules;
    assert.equal(states.find((s) => s.function === 'warm')!.firings, 1);
    mock.timers.tick(60_000);
    assert.equal(requests.length, 4, 'then every minute');
  });
});
