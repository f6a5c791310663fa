// `schedule` events in serverless.yml -> ScheduleEventConfig: an expression, or a map with one or
// more rates, input, name and enabled. Expressions are checked with the scheduler's own parser.
import { readBoolean, readString, show } from '../config/fields.js';
import type { KeyPath, Locator } from '../config/location.js';
import { isPlainObject } from '../config/variables.js';
import { parseScheduleExpression } from './expression.js';

/** A `schedule` event. */
export interface ScheduleEventConfig {
  kind: 'schedule';
  /** `rate(...)` or `cron(...)` as written. */
  expression: string;
  /** The constant input replacing the Scheduled Event payload, when given. */
  input?: unknown;
  enabled: boolean;
  name?: string;
}

/** Keys of a schedule event's map that are emulated. */
export const SCHEDULE_KEYS = ['rate', 'enabled', 'input', 'name', 'description'] as const;

/** Reads one `schedule` entry: one event per rate. */
export function readSchedule(value: unknown, path: KeyPath, loc: Locator): ScheduleEventConfig[] {
  if (typeof value === 'string') {
    checkScheduleExpression(value, path, loc);
    return [{ kind: 'schedule', expression: value.trim(), enabled: true }];
  }
  if (!isPlainObject(value)) throw loc.invalid(`schedule event must be an expression or a map with rate, got ${show(value)}`, path);
  const ratePath = [...path, 'rate'];
  if (value.rate === undefined || value.rate === null) throw loc.invalid('schedule event needs a rate: rate(...) or cron(...)', ratePath);
  const rates = Array.isArray(value.rate) ? value.rate : [value.rate];
  const enabled = readBoolean(value.enabled, [...path, 'enabled'], loc, true);
  const input = readScheduleInput(value.input, [...path, 'input'], loc);
  const name = value.name === undefined || value.name === null ? undefined : readString(value.name, [...path, 'name'], loc);
  return rates.map((rate, i) => {
    const expression = readString(rate, Array.isArray(value.rate) ? [...ratePath, i] : ratePath, loc).trim();
    checkScheduleExpression(expression, Array.isArray(value.rate) ? [...ratePath, i] : ratePath, loc);
    const event: ScheduleEventConfig = { kind: 'schedule', expression, enabled };
    if (input !== undefined) event.input = input;
    if (name !== undefined) event.name = name;
    return event;
  });
}

// EventBridge delivers `Input` as JSON: a string input is JSON text, a map is sent as it is.
function readScheduleInput(value: unknown, path: KeyPath, loc: Locator): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw loc.invalid(`schedule input must be a map or JSON text (EventBridge sends JSON), got ${show(value)}`, path);
  }
}

/** Parses rate(...) and six-field cron(...) with the scheduler's own parser, so start-up refuses exactly what could never fire. */
export function checkScheduleExpression(expression: string, path: KeyPath, loc: Locator): void {
  try {
    parseScheduleExpression(expression);
  } catch (err) {
    throw loc.invalid((err as Error).message, path);
  }
}
