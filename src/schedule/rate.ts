// EventBridge rate expressions: `rate(1 minute)`, `rate(5 minutes)`, `rate(1 hour)`, `rate(2 days)`.
// A rate schedule starts when its rule is created and fires every period from then on.

/** A parsed rate expression. */
export interface RateSchedule {
  readonly kind: 'rate';
  readonly expression: string;
  readonly value: number;
  readonly unit: 'minute' | 'hour' | 'day';
  /** The period in milliseconds. */
  readonly periodMs: number;
}

/** Why a rate expression was refused. */
export class RateSyntaxError extends Error {
  constructor(expression: string, detail: string) {
    super(`invalid schedule expression "${expression}": ${detail}`);
    this.name = 'RateSyntaxError';
  }
}

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/** Parses `rate(N unit)`; the unit is singular for 1 and plural otherwise, as EventBridge requires. */
export function parseRate(expression: string): RateSchedule {
  const m = /^\s*rate\(\s*(\S+)\s+(\S+)\s*\)\s*$/.exec(expression);
  if (!m) throw new RateSyntaxError(expression, 'expected rate(VALUE UNIT), e.g. rate(5 minutes)');
  const [, valueText, unitText] = m as unknown as [string, string, string];
  if (!/^\d+$/.test(valueText) || Number(valueText) < 1) {
    throw new RateSyntaxError(expression, `"${valueText}" is not a positive integer`);
  }
  const value = Number(valueText);
  const unitMatch = /^(minute|hour|day)(s?)$/.exec(unitText);
  if (!unitMatch) throw new RateSyntaxError(expression, `unknown unit "${unitText}" (minute(s), hour(s) or day(s))`);
  const unit = unitMatch[1] as RateSchedule['unit'];
  const plural = unitMatch[2] === 's';
  if (value === 1 && plural) throw new RateSyntaxError(expression, `a value of 1 takes the singular unit: rate(1 ${unit})`);
  if (value > 1 && !plural) throw new RateSyntaxError(expression, `a value above 1 takes the plural unit: rate(${value} ${unit}s)`);
  return { kind: 'rate', expression, value, unit, periodMs: value * UNIT_MS[unit] };
}

/** The first firing of a rate schedule created at `createdAt` that falls strictly after `after`. */
export function nextRateFiring(schedule: RateSchedule, createdAt: Date, after: Date): Date {
  const elapsed = after.getTime() - createdAt.getTime();
  const periods = elapsed < 0 ? 1 : Math.floor(elapsed / schedule.periodMs) + 1;
  return new Date(createdAt.getTime() + periods * schedule.periodMs);
}
