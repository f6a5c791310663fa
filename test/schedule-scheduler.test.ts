// Unit tests of the scheduler on a mocked clock: firing times, payloads, input, enabled, reload
// and stop. (schedule-fire.test.ts runs the schedule feature itself on the same mocked clock.)
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { Scheduler } from '../src/schedule/scheduler.js';
import type { ServiceConfig } from '../src/types/config.js';
import type { ScheduleEventConfig } from '../src/schedule/config.js';

interface Fired {
  fn: string;
  payload: any;
  at: string;
}

function config(schedules: Record<string, Partial<ScheduleEventConfig>[]>): ServiceConfig {
  return {
    service: 'svc',
    stage: 'dev',
    region: 'eu-west-1',
    functions: Object.entries(schedules).map(([name, events]) => ({
      name,
      events: events.map((e) => ({ kind: 'schedule', enabled: true, expression: 'rate(1 minute)', ...e })),
    })),
  } as unknown as ServiceConfig;
}

let fired: Fired[];
let warnings: string[];
let scheduler: Scheduler;

beforeEach(() => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.parse('2024-01-01T00:00:30Z') });
  fired = [];
  warnings = [];
  scheduler = new Scheduler({
    invokeAsync: (fn, payloadJson) => fired.push({ fn, payload: JSON.parse(payloadJson), at: new Date().toISOString() }),
    region: () => 'eu-west-1',
    warn: (line) => warnings.push(line),
  });
});

afterEach(() => {
  scheduler.stop();
  mock.timers.reset();
});

const MINUTE = 60_000;

describe('Scheduler', () => {
  it('fires a cron schedule at its times with the Scheduled Event payload', () => {
    scheduler.apply(config({ report: [{ expression: 'cron(0/15 * * * ? *)' }] }));
    assert.equal(scheduler.state()[0]!.nextFiring, '2024-01-01T00:15:00.000Z');
    mock.timers.tick(14 * MINUTE + 29_000);
    assert.equal(fired.length, 0);
    mock.timers.tick(1_000);
    assert.equal(fired.length, 1);
    const e = fired[0]!;
    assert.equal(e.fn, 'report');
    assert.equal(e.at, '2024-01-01T00:15:00.000Z');
    assert.equal(e.payload.version, '0');
    assert.equal(e.payload['detail-type'], 'Scheduled Event');
    assert.equal(e.payload.source, 'aws.events');
    assert.equal(e.payload.account, '000000000000');
    assert.equal(e.payload.region, 'eu-west-1');
    assert.equal(e.payload.time, '2024-01-01T00:15:00Z');
    assert.deepEqual(e.payload.resources, ['arn:aws:events:eu-west-1:000000000000:rule/svc-dev-ReportEventsRuleSchedule1']);
    assert.deepEqual(e.payload.detail, {});
    assert.match(e.payload.id, /^[0-9a-f-]{36}$/);
    mock.timers.tick(15 * MINUTE);
    assert.deepEqual(fired.map((f) => f.at), ['2024-01-01T00:15:00.000Z', '2024-01-01T00:30:00.000Z']);
    assert.equal(scheduler.state()[0]!.nextFiring, '2024-01-01T00:45:00.000Z');
    assert.equal(scheduler.state()[0]!.firings, 2);
  });

  it('fires a rate schedule one period after it was created, then every period', () => {
    scheduler.apply(config({ tick: [{ expression: 'rate(5 minutes)' }] }));
    mock.timers.tick(5 * MINUTE);
    mock.timers.tick(5 * MINUTE);
    assert.deepEqual(fired.map((f) => f.at), ['2024-01-01T00:05:30.000Z', '2024-01-01T00:10:30.000Z']);
  });

  it('input replaces the whole event', () => {
    scheduler.apply(config({ warm: [{ expression: 'rate(1 minute)', input: { warmer: true, concurrency: 1 } }] }));
    mock.timers.tick(MINUTE);
    assert.deepEqual(fired[0]!.payload, { warmer: true, concurrency: 1 });
    assert.deepEqual(scheduler.state()[0]!.input, { warmer: true, concurrency: 1 });
  });

  it('a disabled schedule never fires and has no next firing', () => {
    scheduler.apply(config({ off: [{ expression: 'rate(1 minute)', enabled: false }] }));
    mock.timers.tick(10 * MINUTE);
    assert.equal(fired.length, 0);
    assert.equal(scheduler.state()[0]!.enabled, false);
    assert.equal(scheduler.state()[0]!.nextFiring, null);
  });

  it('named rules keep their name; several schedules of one function are numbered', () => {
    scheduler.apply(config({ job: [{ expression: 'rate(1 hour)', name: 'nightly-job' }, { expression: 'rate(2 hours)' }] }));
    assert.deepEqual(
      scheduler.state().map((s) => s.name),
      ['nightly-job', 'svc-dev-JobEventsRuleSchedule2'],
    );
  });

  it('an expression the parser refuses is reported and never fires', () => {
    scheduler.apply(config({ bad: [{ expression: 'cron(61 * * * ? *)' }] }));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /minutes: 61 is outside 0-59/);
    assert.match(scheduler.state()[0]!.error!, /61/);
    mock.timers.tick(10 * MINUTE);
    assert.equal(fired.length, 0);
  });

  it('reload: an unchanged schedule keeps its cadence, a changed one re-plans, a removed one stops', () => {
    scheduler.apply(config({ keep: [{ expression: 'rate(2 minutes)' }], change: [{ expression: 'rate(1 hour)' }], drop: [{ expression: 'rate(1 minute)' }] }));
    mock.timers.tick(MINUTE); // 00:01:30: drop fires once
    scheduler.apply(config({ keep: [{ expression: 'rate(2 minutes)' }], change: [{ expression: 'cron(0 * * * ? *)' }] }));
    const byFn = Object.fromEntries(scheduler.state().map((s) => [s.function, s.nextFiring]));
    assert.equal(byFn['keep'], '2024-01-01T00:02:30.000Z');
    assert.equal(byFn['change'], '2024-01-01T01:00:00.000Z');
    assert.equal(byFn['drop'], undefined);
    for (let i = 0; i < 60; i++) mock.timers.tick(MINUTE);
    assert.equal(fired.filter((f) => f.fn === 'drop').length, 1);
    assert.equal(fired.filter((f) => f.fn === 'change').length, 1);
    assert.equal(fired.filter((f) => f.fn === 'keep').length, 30);
  });

  it('stop clears every timer', () => {
    scheduler.apply(config({ tick: [{ expression: 'rate(1 minute)' }] }));
    scheduler.stop();
    mock.timers.tick(10 * MINUTE);
    assert.equal(fired.length, 0);
  });
});
