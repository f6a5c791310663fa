// Emulator settings: custom.coldstart over DEFAULT_SETTINGS, command-line flags over both.
import { DEFAULT_MODEL, DEFAULT_SETTINGS } from '../model/defaults.js';
import type { CliOverrides, EmulatorSettings, Isolation, ModelCoefficients, StageThrottle } from '../types/config.js';
import { ColdstartError } from '../types/errors.js';
import { optionalNumber, readMap, readNumber, show } from './fields.js';
import type { KeyPath, Locator } from './location.js';

const KNOWN_KEYS = [
  'accountConcurrency',
  'idleTimeout',
  'gatewayTimeout',
  'coldStart',
  'model',
  'seed',
  'ssm',
  'throttle',
  'asyncRetryDelays',
  'spareThreads',
  'isolation',
  'isOffline',
  'allowedHosts',
  // Read by `coldstart simulate` only: traffic profiles per function and price overrides.
  'traffic',
  'prices',
] as const;

/** Spare threads per memory size: each holds about 8 MB of memory while it waits. */
export const MAX_SPARE_THREADS = 1000;

// API Gateway's account-level throttle, used for whichever half of `throttle` is left out.
const ACCOUNT_THROTTLE: StageThrottle = { rateLimit: 10_000, burstLimit: 5_000 };

/** Builds the emulator settings from custom.coldstart and the command line. */
export function readSettings(custom: unknown, overrides: CliOverrides, loc: Locator): EmulatorSettings {
  const base: KeyPath = ['custom', 'coldstart'];
  const at = (...keys: (string | number)[]): KeyPath => [...base, ...keys];
  const raw = readMap(custom, base, loc);
  for (const key of Object.keys(raw)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) {
      throw loc.invalid(`unknown setting "${key}"; custom.coldstart accepts ${KNOWN_KEYS.join(', ')}`, at(key));
    }
  }

  const settings: EmulatorSettings = {
    accountConcurrency: optionalNumber(raw.accountConcurrency, at('accountConcurrency'), loc, DEFAULT_SETTINGS.accountConcurrency, {
      min: 1,
      integer: true,
    }),
    idleTimeout: optionalNumber(raw.idleTimeout, at('idleTimeout'), loc, DEFAULT_SETTINGS.idleTimeout, { min: 0, unit: ' seconds' }),
    gatewayTimeout:
      raw.gatewayTimeout === undefined || raw.gatewayTimeout === null
        ? null
        : readNumber(raw.gatewayTimeout, at('gatewayTimeout'), loc, { min: 0.05, max: 900, unit: ' seconds' }),
    coldStart: readColdStart(raw.coldStart, at('coldStart'), loc),
    model: readModel(raw.model, at('model'), loc),
    seed: optionalNumber(raw.seed, at('seed'), loc, DEFAULT_SETTINGS.seed, { integer: true }),
    ssm: readSsm(raw.ssm, at('ssm'), loc),
    throttle: readThrottle(raw.throttle, at('throttle'), loc),
    asyncRetryDelays: readRetryDelays(raw.asyncRetryDelays, at('asyncRetryDelays'), loc),
    spareThreads: optionalNumber(raw.spareThreads, at('spareThreads'), loc, DEFAULT_SETTINGS.spareThreads, { min: 0, max: MAX_SPARE_THREADS, integer: true }),
    isolation: readIsolation(raw.isolation, at('isolation'), loc),
    isOffline: readIsOffline(raw.isOffline, at('isOffline'), loc),
    allowedHosts: readAllowedHosts(raw.allowedHosts, at('allowedHosts'), loc),
  };
  applyOverrides(settings, overrides);
  return settings;
}

function readColdStart(value: unknown, path: KeyPath, loc: Locator): 'realistic' | 'off' {
  if (value === undefined || value === null) return DEFAULT_SETTINGS.coldStart;
  if (value === 'realistic' || value === 'off') return value;
  if (value === false) return 'off';
  throw loc.invalid(`coldStart must be "realistic" or "off", got ${show(value)}`, path);
}

function readIsolation(value: unknown, path: KeyPath, loc: Locator): Isolation {
  if (value === undefined || value === null) return DEFAULT_SETTINGS.isolation;
  if (value === 'thread' || value === 'process') return value;
  throw loc.invalid(`isolation must be "thread" or "process", got ${show(value)}`, path);
}

function readIsOffline(value: unknown, path: KeyPath, loc: Locator): boolean {
  if (value === undefined || value === null) return DEFAULT_SETTINGS.isOffline;
  if (typeof value === 'boolean') return value;
  throw loc.invalid(`isOffline must be true or false, got ${show(value)}`, path);
}

function readAllowedHosts(value: unknown, path: KeyPath, loc: Locator): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v, i) => {
    if (typeof v !== 'string' || v.trim() === '') throw loc.invalid(`allowedHosts must list host names, got ${show(v)}`, Array.isArray(value) ? [...path, i] : path);
    return v.trim().toLowerCase();
  });
}

function readModel(value: unknown, path: KeyPath, loc: Locator): ModelCoefficients {
  const raw = readMap(value, path, loc);
  const model: ModelCoefficients = { ...DEFAULT_MODEL };
  const names = Object.keys(DEFAULT_MODEL) as (keyof ModelCoefficients)[];
  for (const [key, v] of Object.entries(raw)) {
    if (!(names as string[]).includes(key)) {
      throw loc.invalid(`unknown model coefficient "${key}"; known coefficients: ${names.join(', ')}`, [...path, key]);
    }
    const rule = key === 'tailProbability' ? { min: 0, max: 1 } : { min: 0 };
    model[key as keyof ModelCoefficients] = readNumber(v, [...path, key], loc, rule);
  }
  if (model.tailMin > model.tailMax) {
    throw loc.invalid(`tailMin ${model.tailMin} is above tailMax ${model.tailMax}`, [...path, 'tailMin']);
  }
  if (model.mbPerVcpu === 0) throw loc.invalid('mbPerVcpu must be above 0', [...path, 'mbPerVcpu']);
  return model;
}

function readSsm(value: unknown, path: KeyPath, loc: Locator): Record<string, string> {
  const raw = readMap(value, path, loc);
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(raw)) {
    if (v === null || v === undefined) throw loc.invalid(`SSM parameter "${name}" has no value`, [...path, name]);
    // SecureString JSON documents may be written as maps; SSM hands them over as text.
    out[name] = typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}

function readThrottle(value: unknown, path: KeyPath, loc: Locator): StageThrottle | null {
  if (value === undefined || value === null || value === false) return null;
  const raw = readMap(value, path, loc);
  if (raw.rateLimit === undefined && raw.burstLimit === undefined) {
    throw loc.invalid('throttle needs rateLimit and/or burstLimit (requests per second, bucket size)', path);
  }
  return {
    rateLimit: optionalNumber(raw.rateLimit, [...path, 'rateLimit'], loc, ACCOUNT_THROTTLE.rateLimit, { min: 0 }),
    burstLimit: optionalNumber(raw.burstLimit, [...path, 'burstLimit'], loc, ACCOUNT_THROTTLE.burstLimit, { min: 0, integer: true }),
  };
}

function readRetryDelays(value: unknown, path: KeyPath, loc: Locator): number[] {
  if (value === undefined || value === null) return [...DEFAULT_SETTINGS.asyncRetryDelays];
  if (!Array.isArray(value)) throw loc.invalid(`asyncRetryDelays must be a list of seconds, got ${show(value)}`, path);
  // Lambda retries a failed asynchronous invocation at most twice.
  if (value.length > 2) throw loc.invalid(`asyncRetryDelays has ${value.length} entries; Lambda retries at most 2 times`, path);
  return value.map((v, i) => readNumber(v, [...path, i], loc, { min: 0, unit: ' seconds' }));
}

// Flags were validated by the CLI's parser; these checks guard programmatic callers.
function applyOverrides(settings: EmulatorSettings, o: CliOverrides): void {
  const check = (flag: string, value: number, ok: boolean): number => {
    if (!ok) throw new ColdstartError('INVALID_ARGUMENT', `--${flag} ${value} is out of range`, { key: `--${flag}` });
    return value;
  };
  if (o.accountConcurrency !== undefined) {
    settings.accountConcurrency = check('account-concurrency', o.accountConcurrency, Number.isInteger(o.accountConcurrency) && o.accountConcurrency >= 1);
  }
  if (o.idleTimeout !== undefined) settings.idleTimeout = check('idle-timeout', o.idleTimeout, o.idleTimeout >= 0);
  if (o.gatewayTimeout !== undefined) {
    settings.gatewayTimeout = check('gateway-timeout', o.gatewayTimeout, o.gatewayTimeout > 0 && o.gatewayTimeout <= 900);
  }
  if (o.coldStart !== undefined) settings.coldStart = o.coldStart;
  if (o.isolation !== undefined) settings.isolation = o.isolation;
  if (o.allowedHosts !== undefined) settings.allowedHosts = [...settings.allowedHosts, ...o.allowedHosts.map((h) => h.toLowerCase())];
  if (o.seed !== undefined) settings.seed = check('seed', o.seed, Number.isInteger(o.seed));
  if (o.spareThreads !== undefined) {
    settings.spareThreads = check('spare-threads', o.spareThreads, Number.isInteger(o.spareThreads) && o.spareThreads >= 0 && o.spareThreads <= MAX_SPARE_THREADS);
  }
}
