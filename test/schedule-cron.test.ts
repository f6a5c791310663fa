// Unit tests of the EventBridge cron and rate parsers and their next-firing computation (UTC).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextCronFiring, parseCron } from '../src/schedule/cron.js';
import { nextFiring, parseScheduleExpression } from '../src/schedule/expression.js';
import { nextRateFiring, parseRate } from '../src/schedule/rate.js';

/** The next firing of `expression` after the ISO time `after`, as an ISO string (or null). */
function next(expression: string, after: string): string | null {
  const d = nextCronFiring(parseCron(expression), new Date(after));
  return d ? d.toISOString() : null;
}

/** The first `n` firings after `after`. */
function firings(expression: string, after: string, n: number): string[] {
  const schedule = parseCron(expression);
  const out: string[] = [];
  let t = new Date(after);
  for (let i = 0; i < n; i++) {
    const d = nextCronFiring(schedule, t);
    if (!d) break;
    out.push(d.toISOString());
    t = d;
  }
  return out;
}

describe('cron: next firing', () => {
  it('fires daily at a fixed time, strictly after the reference', () => {
    assert.equal(next('cron(0 12 * * ? *)', '2024-01-01T11:59:30Z'), '2024-01-01T12:00:00.000Z');
    assert.equal(next('cron(0 12 * * ? *)', '2024-01-01T12:00:00Z'), '2024-01-02T12:00:00.000Z');
    assert.equal(next('cron(15 10 * * ? *)', '2024-01-01T10:15:59Z'), '2024-01-02T10:15:00.000Z');
  });

  it('every minute rolls over the end of a year', () => {
    assert.equal(next('cron(* * * * ? *)', '2024-12-31T23:59:30Z'), '2025-01-01T00:00:00.000Z');
  });

  it('steps: 0/15 and 5/15 and */20 and a-b/s', () => {
    assert.deepEqual(firings('cron(0/15 * * * ? *)', '2024-01-01T00:00:00Z', 4), [
      '2024-01-01T00:15:00.000Z',
      '2024-01-01T00:30:00.000Z',
      '2024-01-01T00:45:00.000Z',
      '2024-01-01T01:00:00.000Z',
    ]);
    assert.deepEqual(firings('cron(5/15 * * * ? *)', '2024-01-01T00:00:00Z', 5), [
      '2024-01-01T00:05:00.000Z',
      '2024-01-01T00:20:00.000Z',
      '2024-01-01T00:35:00.000Z',
      '2024-01-01T00:50:00.000Z',
      '2024-01-01T01:05:00.000Z',
    ]);
    assert.deepEqual(firings('cron(*/20 3 * * ? *)', '2024-01-01T00:00:00Z', 4), [
      '2024-01-01T03:00:00.000Z',
      '2024-01-01T03:20:00.000Z',
      '2024-01-01T03:40:00.000Z',
      '2024-01-02T03:00:00.000Z',
    ]);
    assert.deepEqual(firings('cron(0 8-17/4 * * ? *)', '2024-01-01T00:00:00Z', 4), [
      '2024-01-01T08:00:00.000Z',
      '2024-01-01T12:00:00.000Z',
      '2024-01-01T16:00:00.000Z',
      '2024-01-02T08:00:00.000Z',
    ]);
  });

  it('day-of-week counts SUN=1 and accepts names and ranges', () => {
    // 2024-03-06 is a Wednesday; the next Sunday is the 10th.
    assert.equal(next('cron(0 0 ? * 1 *)', '2024-03-06T00:00:00Z'), '2024-03-10T00:00:00.000Z');
    assert.equal(next('cron(0 0 ? * sun *)', '2024-03-06T00:00:00Z'), '2024-03-10T00:00:00.000Z');
    // 2024-03-01 is a Friday: after 18:00 the next weekday evening is Monday the 4th.
    assert.equal(next('cron(0 18 ? * MON-FRI *)', '2024-03-01T18:00:00Z'), '2024-03-04T18:00:00.000Z');
    assert.equal(next('cron(0 18 ? * 2-6 *)', '2024-03-01T18:00:00Z'), '2024-03-04T18:00:00.000Z');
    assert.deepEqual(firings('cron(30 6 ? * TUE,THU *)', '2024-03-04T00:00:00Z', 3), [
      '2024-03-05T06:30:00.000Z',
      '2024-03-07T06:30:00.000Z',
      '2024-03-12T06:30:00.000Z',
    ]);
  });

  it('months by number and by name', () => {
    assert.deepEqual(firings('cron(0 0 1 JAN,JUL ? *)', '2024-02-01T00:00:00Z', 3), [
      '2024-07-01T00:00:00.000Z',
      '2025-01-01T00:00:00.000Z',
      '2025-07-01T00:00:00.000Z',
    ]);
    assert.equal(next('cron(0 0 1 6-8 ? *)', '2024-09-01T00:00:00Z'), '2025-06-01T00:00:00.000Z');
  });

  it('L in day-of-month: the last day, leap years included, and L-n', () => {
    assert.equal(next('cron(0 0 L * ? *)', '2024-02-10T00:00:00Z'), '2024-02-29T00:00:00.000Z');
    assert.equal(next('cron(0 0 L * ? *)', '2023-02-10T00:00:00Z'), '2023-02-28T00:00:00.000Z');
    assert.equal(next('cron(0 0 L * ? *)', '2024-04-30T00:00:00Z'), '2024-05-31T00:00:00.000Z');
    assert.equal(next('cron(0 0 L-2 * ? *)', '2024-04-01T00:00:00Z'), '2024-04-28T00:00:00.000Z');
  });

  it('W: the weekday nearest a day, never leaving the month; LW the last weekday', () => {
    // 2024-06-15 is a Saturday -> Friday the 14th; 2024-09-15 is a Sunday -> Monday the 16th.
    assert.equal(next('cron(0 0 15W * ? *)', '2024-06-01T00:00:00Z'), '2024-06-14T00:00:00.000Z');
    assert.equal(next('cron(0 0 15W * ? *)', '2024-09-01T00:00:00Z'), '2024-09-16T00:00:00.000Z');
    // 2024-06-01 is a Saturday: the nearest weekday inside June is Monday the 3rd.
    assert.equal(next('cron(0 0 1W * ? *)', '2024-05-31T12:00:00Z'), '2024-06-03T00:00:00.000Z');
    // 2024-08-31 is a Saturday -> Friday the 30th; 2024-03-31 a Sunday -> Friday the 29th.
    assert.equal(next('cron(0 0 LW * ? *)', '2024-08-01T00:00:00Z'), '2024-08-30T00:00:00.000Z');
    assert.equal(next('cron(0 0 LW * ? *)', '2024-03-01T00:00:00Z'), '2024-03-29T00:00:00.000Z');
    // A weekday day stays put.
    assert.equal(next('cron(0 0 4W * ? *)', '2024-03-01T00:00:00Z'), '2024-03-04T00:00:00.000Z');
  });

  it('# and L in day-of-week: the nth and the last weekday of a month', () => {
    // The first Monday of March 2024 is the 4th; of April the 1st.
    assert.deepEqual(firings('cron(0 9 ? * 2#1 *)', '2024-03-01T00:00:00Z', 2), [
      '2024-03-04T09:00:00.000Z',
      '2024-04-01T09:00:00.000Z',
    ]);
    assert.equal(next('cron(0 9 ? * MON#3 *)', '2024-03-01T00:00:00Z'), '2024-03-18T09:00:00.000Z');
    // The last Friday (6L) of March 2024 is the 29th.
    assert.equal(next('cron(0 0 ? * 6L *)', '2024-03-01T00:00:00Z'), '2024-03-29T00:00:00.000Z');
    // A fifth occurrence skips months without one: the next 5th Friday after March 2024 is May 31.
    assert.equal(next('cron(0 0 ? * FRI#5 *)', '2024-03-30T00:00:00Z'), '2024-05-31T00:00:00.000Z');
  });

  it('sparse and finished schedules', () => {
    assert.equal(next('cron(0 0 29 2 ? *)', '2024-03-01T00:00:00Z'), '2028-02-29T00:00:00.000Z');
    assert.equal(next('cron(0 0 1 1 ? 2020)', '2021-01-01T00:00:00Z'), null);
    assert.equal(next('cron(0 0 1 1 ? 2030-2032)', '2024-06-01T00:00:00Z'), '2030-01-01T00:00:00.000Z');
    assert.equal(next('cron(0 0 30 FEB ? *)', '2024-01-01T00:00:00Z'), null);
  });
});

describe('cron: syntax errors name the field', () => {
  const bad: [string, RegExp][] = [
    ['cron(0 12 * * ?)', /expected 6 fields/],
    ['cron(0 12 * * * *)', /exactly one of day-of-month and day-of-week must be "\?"/],
    ['cron(0 12 ? * ? *)', /exactly one of day-of-month and day-of-week/],
    ['cron(0 12 1 * MON *)', /exactly one of day-of-month and day-of-week/],
    ['cron(60 12 * * ? *)', /minutes: 60 is outside 0-59/],
    ['cron(0 24 * * ? *)', /hours: 24 is outside 0-23/],
    ['cron(0 0 0 * ? *)', /day-of-month: 0 is outside 1-31/],
    ['cron(0 0 ? * 8 *)', /day-of-week: 8 is outside 1-7/],
    ['cron(0 0 ? FOO * *)', /month: "FOO" is not a number or JAN-DEC/],
    ['cron(0 0 1 * ? 1969)', /year: 1969 is outside 1970-2199/],
    ['cron(30-10 0 1 * ? *)', /runs backwards/],
    ['cron(0/0 0 1 * ? *)', /step must be a positive integer/],
    ['cron(0 0 ? * 2#6 *)', /must be 1-5/],
    ['cron(0 0 1,,2 * ? *)', /empty list item/],
  ];
  for (const [expression, pattern] of bad) {
    it(`refuses ${expression}`, () => {
      assert.throws(() => parseCron(expression), pattern);
    });
  }
});

describe('rate expressions', () => {
  it('parses singular and plural units', () => {
    assert.equal(parseRate('rate(1 minute)').periodMs, 60_000);
    assert.equal(parseRate('rate(5 minutes)').periodMs, 300_000);
    assert.equal(parseRate('rate(1 hour)').periodMs, 3_600_000);
    assert.equal(parseRate('rate(2 hours)').periodMs, 7_200_000);
    assert.equal(parseRate('rate(1 day)').periodMs, 86_400_000);
    assert.equal(parseRate('rate(7 days)').periodMs, 7 * 86_400_000);
  });

  it('refuses a plural for 1, a singular above 1, zero and unknown units', () => {
    assert.throws(() => parseRate('rate(1 minutes)'), /singular unit/);
    assert.throws(() => parseRate('rate(5 minute)'), /plural unit/);
    assert.throws(() => parseRate('rate(0 minutes)'), /not a positive integer/);
    assert.throws(() => parseRate('rate(2 weeks)'), /unknown unit/);
    assert.throws(() => parseRate('rate(five minutes)'), /not a positive integer/);
    assert.throws(() => parseRate('rate(5)'), /expected rate\(VALUE UNIT\)/);
  });

  it('fires one period after creation, then every period', () => {
    const s = parseRate('rate(5 minutes)');
    const created = new Date('2024-01-01T00:00:10Z');
    assert.equal(nextRateFiring(s, created, created).toISOString(), '2024-01-01T00:05:10.000Z');
    assert.equal(nextRateFiring(s, created, new Date('2024-01-01T00:05:10Z')).toISOString(), '2024-01-01T00:10:10.000Z');
    assert.equal(nextRateFiring(s, created, new Date('2024-01-01T00:07:00Z')).toISOString(), '2024-01-01T00:10:10.000Z');
  });
});

describe('parseScheduleExpression', () => {
  it('dispatches on rate( and cron(', () => {
    assert.equal(parseScheduleExpression('rate(1 hour)').kind, 'rate');
    assert.equal(parseScheduleExpression(' cron(0 12 * * ? *) ').kind, 'cron');
    assert.throws(() => parseScheduleExpression('every 5 minutes'), /expected rate\(\.\.\.\) or cron\(\.\.\.\)/);
  });

  it('nextFiring works for both kinds', () => {
    const created = new Date('2024-01-01T00:00:00Z');
    assert.equal(nextFiring(parseScheduleExpression('rate(1 day)'), created, created)?.toISOString(), '2024-01-02T00:00:00.000Z');
    assert.equal(
      nextFiring(parseScheduleExpression('cron(0 6 * * ? *)'), created, created)?.toISOString(),
      '2024-01-01T06:00:00.000Z',
    );
  });
});
