// Schedules end to end, on the real clock: a rate(1 minute) rule fires about a minute after
// start-up (this file takes a little over a minute), with the Scheduled Event payload or its
// input, as an invocation with source `schedule`; the state lists every schedule.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { nextCronFiring, parseCron } from '../src/schedule/cron.js';
import { fixture, startColdstart, type RunningColdstart } from './helpers/server.js';

let server: RunningColdstart;
let startedAt: number;

interface ScheduleState {
  function: string;
  name: string;
  expression: string;
  enabled: boolean;
  nextFiring: string | null;
  firings: number;
}

interface JsonEvent {
  type: string;
  time: number;
  function?: string;
  message?: string;
  source?: string;
}

function events(): JsonEvent[] {
  return server.stdout.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as JsonEvent);
}

/** The events a function was invoked with (its `EVENT <json>` log lines). */
function received(fn: string): { time: number; payload: any }[] {
  return events()
    .filter((e) => e.type === 'log' && e.function === fn && e.message?.startsWith('EVENT '))
    .map((e) => ({ time: e.time, payload: JSON.parse(e.message!.slice(6)) }));
}

async function state(): Promise<{ schedules: ScheduleState[]; functions: { name: string; instances: unknown[] }[] }> {
  return (await (await fetch(`${server.url}/__coldstart/state`)).json()) as { schedules: ScheduleState[]; functions: { name: string; instances: unknown[] }[] };
}

before(async () => {
  startedAt = Date.now();
  server = await startColdstart(fixture('schedule', 'serverless.yml'), ['--cold-start', 'off', '--no-watch', '--log-format', 'json']);
});

after(async () => {
  await server?.stop();
});

describe('schedules (real clock)', () => {
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

  it('rate(1 minute) fires about a minute after start-up with the Scheduled Event payload', { timeout: 90_000 }, async () => {
    const planned = Date.parse((await state()).schedules.find((x) => x.function === 'tick')!.nextFiring!);
    const deadline = Date.now() + 85_000;
    while (received('tick').length === 0) {
      assert.ok(Date.now() < deadline, 'the schedule did not fire within 85 s');
      await new Promise((r) => setTimeout(r, 250));
    }
    const [first] = received('tick');
    assert.ok(first!.time >= planned - 50 && first!.time < planned + 5_000, `fired at ${first!.time}, planned ${planned}`);
    const e = first!.payload;
    assert.equal(e['detail-type'], 'Scheduled Event');
    assert.equal(e.source, 'aws.events');
    assert.equal(e.version, '0');
    assert.equal(e.account, '000000000000');
    assert.equal(e.region, 'eu-west-1');
    assert.deepEqual(e.resources, ['arn:aws:events:eu-west-1:000000000000:rule/sched-dev-TickEventsRuleSchedule1']);
    assert.deepEqual(e.detail, {});
    // EventBridge writes whole seconds.
    assert.match(e.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(Math.abs(Date.parse(e.time) - planned) < 1_000);
    // A real invocation with source `schedule`.
    assert.ok(events().some((x) => x.type === 'invoke.start' && x.function === 'tick' && x.source === 'schedule'));
    // Disabled schedules never fire.
    assert.equal(received('off').length, 0);
  });

  it('a schedule with input sends the input, and a warm-up warms one instance', async () => {
    const deadline = Date.now() + 10_000;
    while (received('warm').length === 0) {
      assert.ok(Date.now() < deadline, 'the warm-up schedule did not fire');
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.deepEqual(received('warm')[0]!.payload, { warmer: true });
    const s = await state();
    assert.equal(s.functions.find((f) => f.name === 'warm')!.instances.length, 1);
    assert.equal(s.schedules.find((x) => x.function === 'warm')!.firings, 1);
  });
});
