// One entry point for both kinds of schedule expression, so the config loader and the scheduler
// accept and refuse exactly the same things.
import { nextCronFiring, parseCron, type CronSchedule } from './cron.js';
import { nextRateFiring, parseRate, type RateSchedule } from './rate.js';

/** A parsed `rate(...)` or `cron(...)` expression. */
export type ScheduleExpression = RateSchedule | CronSchedule;

/** Parses a schedule expression; throws an Error whose message names the expression and the fault. */
export function parseScheduleExpression(expression: string): ScheduleExpression {
  const trimmed = expression.trim();
  if (trimmed.startsWith('rate(')) return parseRate(trimmed);
  if (trimmed.startsWith('cron(')) return parseCron(trimmed);
  throw new Error(`invalid schedule expression "${expression}": expected rate(...) or cron(...)`);
}

/**
 * The next firing strictly after `after`. Rate schedules count from `createdAt` (when the rule
 * was created: start-up, or the reload that added it); cron schedules ignore it.
 */
export function nextFiring(schedule: ScheduleExpression, createdAt: Date, after: Date): Date | null {
  return schedule.kind === 'rate' ? nextRateFiring(schedule, createdAt, after) : nextCronFiring(schedule, after);
}
