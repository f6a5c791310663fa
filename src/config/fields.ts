// Typed readers for configuration values: each checks one value and, when it is wrong, throws a
// CONFIG_INVALID error at its key with a message that says what is allowed.
import type { KeyPath, Locator } from './location.js';
import { isPlainObject } from './variables.js';

/** Limits of a numeric setting, and the words used to explain them. */
export interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
  /** ` seconds`, ` MB`... appended to limits in messages. */
  unit?: string;
  /** Whose limit it is, e.g. `Lambda's`; default `the`. */
  owner?: string;
}

/** Reads a number (numeric strings from ${env:} are accepted) within its limits. */
export function readNumber(value: unknown, path: KeyPath, loc: Locator, rule: NumberRule = {}): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  const problem = numberProblem(String(path[path.length - 1]), n, rule, value);
  if (problem !== undefined) throw loc.invalid(problem, path);
  return n as number;
}

/** Why a number does not fit its limits, in words that start with `label`; undefined when it fits. */
export function numberProblem(label: string, n: unknown, rule: NumberRule, given: unknown = n): string | undefined {
  if (typeof n !== 'number' || !Number.isFinite(n)) return `${label} must be a number${rule.integer ? ' (an integer)' : ''}, got ${show(given)}`;
  if (rule.integer && !Number.isInteger(n)) return `${label} must be an integer, got ${n}`;
  const owner = rule.owner ?? 'the';
  // "1 second", "900 seconds".
  const unit = (limit: number) => (limit === 1 ? (rule.unit ?? '').replace(/s$/, '') : (rule.unit ?? ''));
  if (rule.min !== undefined && n < rule.min) return `${label} ${n} is below ${owner} minimum of ${rule.min}${unit(rule.min)}`;
  if (rule.max !== undefined && n > rule.max) return `${label} ${n} is above ${owner} maximum of ${rule.max}${unit(rule.max)}`;
  return undefined;
}

/** Reads an optional number: undefined/null give the fallback. */
export function optionalNumber(value: unknown, path: KeyPath, loc: Locator, fallback: number, rule: NumberRule = {}): number {
  return value === undefined || value === null ? fallback : readNumber(value, path, loc, rule);
}

/** Reads a boolean (also `"true"`/`"false"` from ${env:}). */
export function readBoolean(value: unknown, path: KeyPath, loc: Locator, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw loc.invalid(`${String(path[path.length - 1])} must be true or false, got ${show(value)}`, path);
}

/** Reads a non-empty string. */
export function readString(value: unknown, path: KeyPath, loc: Locator): string {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string' || value.trim() === '') {
    throw loc.invalid(`${String(path[path.length - 1])} must be a non-empty string, got ${show(value)}`, path);
  }
  return value;
}

/** Reads a map; undefined/null give an empty one. */
export function readMap(value: unknown, path: KeyPath, loc: Locator): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw loc.invalid(`${String(path[path.length - 1])} must be a map, got ${show(value)}`, path);
  return value;
}

/** Reads a list; undefined/null give an empty one. */
export function readList(value: unknown, path: KeyPath, loc: Locator): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw loc.invalid(`${String(path[path.length - 1])} must be a list, got ${show(value)}`, path);
  return value;
}

/** A short rendering of a value for messages. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
