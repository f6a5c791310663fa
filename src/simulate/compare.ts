// `--compare KEY=V1,V2`: the settings a simulation can vary, parsed and combined into every
// configuration (the cartesian product of all --compare flags, in the order given).
import { ColdstartError } from '../types/errors.js';
import { parseDurationMs } from './duration.js';

/** A value of a compared setting: a number, `none` (no reservation) or an architecture. */
export type SettingValue = number | string | null;

/** The settings of one configuration, by key. */
export type Settings = Record<string, SettingValue>;

interface KeySpec {
  describe: string;
  parse(text: string): SettingValue;
}

function integer(key: string, min: number, max = Infinity): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
      throw new ColdstartError('INVALID_ARGUMENT', `--compare ${key}: "${text}" must be an integer from ${min}${max === Infinity ? ' up' : ` to ${max}`}`);
    }
    return n;
  };
}

/** The keys `--compare` accepts. */
export const COMPARE_KEYS: Record<string, KeySpec> = {
  memorySize: { describe: 'MB, 128-10240', parse: integer('memorySize', 128, 10240) },
  provisionedConcurrency: { describe: 'instances', parse: integer('provisionedConcurrency', 0) },
  reservedConcurrency: {
    describe: 'instances, or none',
    parse: (text) => (text === 'none' ? null : integer('reservedConcurrency', 0)(text)),
  },
  accountConcurrency: { describe: 'instances', parse: integer('accountConcurrency', 1) },
  idleTimeout: { describe: 'seconds or a duration (5m)', parse: (text) => parseDurationMs(text, '--compare idleTimeout') / 1000 },
  architecture: {
    describe: 'x86_64 or arm64',
    parse: (text) => {
      if (text !== 'x86_64' && text !== 'arm64') throw new ColdstartError('INVALID_ARGUMENT', `--compare architecture: "${text}" must be x86_64 or arm64`);
      return text;
    },
  },
  timeout: { describe: 'seconds, 1-900', parse: integer('timeout', 1, 900) },
};

/** One parsed `--compare` flag. */
export interface Comparison {
  key: string;
  values: SettingValue[];
}

/** Parses `KEY=V1,V2`; an unknown key or a bad value is an INVALID_ARGUMENT error (exit 2). */
export function parseComparison(text: string): Comparison {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new ColdstartError('INVALID_ARGUMENT', `--compare "${text}": write KEY=V1,V2 (for example memorySize=512,1024)`);
  const key = text.slice(0, eq).trim();
  const spec = COMPARE_KEYS[key];
  if (!spec) {
    throw new ColdstartError(
      'INVALID_ARGUMENT',
      `--compare: unknown key "${key}"; compare one of ${Object.entries(COMPARE_KEYS).map(([k, s]) => `${k} (${s.describe})`).join(', ')}`,
    );
  }
  const values = text.slice(eq + 1).split(',').map((v) => spec.parse(v.trim()));
  if (values.length === 0 || text.slice(eq + 1).trim() === '') throw new ColdstartError('INVALID_ARGUMENT', `--compare ${key}: give at least one value`);
  return { key, values };
}

/** Every combination of the compared values; one empty configuration when nothing is compared. */
export function combinations(comparisons: Comparison[]): Settings[] {
  let out: Settings[] = [{}];
  for (const c of comparisons) out = out.flatMap((s) => c.values.map((v) => ({ ...s, [c.key]: v })));
  return out;
}
