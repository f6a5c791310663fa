// Emulator settings: custom.coldstart over DEFAULT_SETTINGS, command-line flags over both.
import { DEFAULT_MODEL, DEFAULT_SETTINGS } from '../model/defaults.js';
import type { CliOverrides, EmulatorSettings, ModelCoefficients, StageThrottle } from '../types/config.js';
import { ColdstartError } from '../types/errors.js';
import { optionalNumber, readMap, readNumber, show } from './fields.js';
import { OVERRIDE_ROWS, SETTINGS, YAML_KEYS, settingProblem, type SettingRow } from './settings-table.js';
import type { KeyPath, Locator } from './location.js';

// The generic reading below relies on every custom.coldstart row naming a field of EmulatorSettings:
// a row without one does not compile.
// `traffic` and `prices` are read by `coldstart simulate` from the configuration itself.
type YamlKey = Exclude<Extract<(typeof SETTINGS)[number], { yaml: true }>['key'], 'traffic' | 'prices'>;
const yamlRowsNameSettings: YamlKey extends keyof EmulatorSettings ? true : never = true;
void yamlRowsNameSettings;

// API Gateway's account-level throttle, used for whichever half of `throttle` is left out.
const ACCOUNT_THROTTLE: StageThrottle = { rateLimit: 10_000, burstLimit: 5_000 };

/** Builds the emulator settings from custom.coldstart and the command line. */
export function readSettings(custom: unknown, overrides: CliOverrides, loc: Locator): EmulatorSettings {
  const base: KeyPath = ['custom', 'coldstart'];
  const at = (...keys: (string | number)[]): KeyPath => [...base, ...keys];
  const raw = readMap(custom, base, loc);
  for (const key of Object.keys(raw)) {
    if (!YAML_KEYS.includes(key)) throw loc.invalid(`unknown setting "${key}"; custom.coldstart accepts ${YAML_KEYS.join(', ')}`, at(key));
  }
  // Plain values are read by their table row; maps and lists by their own readers below.
  const plain: Record<string, unknown> = {};
  for (const row of SETTINGS as readonly SettingRow[]) {
    if (row.yaml && row.kind.type !== 'structured') plain[row.key] = readPlain(row, raw[row.key], at(row.key), loc);
  }
  const settings = {
    ...plain,
    gatewayTimeout: plain.gatewayTimeout ?? null,
    model: readModel(raw.model, at('model'), loc),
    ssm: readSsm(raw.ssm, at('ssm'), loc),
    throttle: readThrottle(raw.throttle, at('throttle'), loc),
    asyncRetryDelays: readRetryDelays(raw.asyncRetryDelays, at('asyncRetryDelays'), loc),
  } as EmulatorSettings;
  applyOverrides(settings, overrides);
  return settings;
}

/** One plain custom.coldstart value, checked by its row; absent gives the row's default. */
function readPlain(row: SettingRow, value: unknown, path: KeyPath, loc: Locator): unknown {
  if (value === undefined || value === null) return row.kind.type === 'names' ? [] : row.default;
  const kind = row.kind;
  if (kind.type === 'number') return readNumber(value, path, loc, kind);
  if (kind.type === 'choice' && value === false && kind.falseMeans !== undefined) return kind.falseMeans;
  if (kind.type === 'names') {
    const list = Array.isArray(value) ? value : [value];
    list.forEach((name, i) => {
      const problem = settingProblem(row, row.key, name);
      if (problem !== undefined) throw loc.invalid(problem, Array.isArray(value) ? [...path, i] : path);
    });
    return list.map((name: string) => name.trim().toLowerCase());
  }
  const problem = settingProblem(row, row.key, value);
  if (problem !== undefined) throw loc.invalid(problem, path);
  return value;
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

// Flags were checked by the CLI's parser against the same rows; this guards programmatic callers.
function applyOverrides(settings: EmulatorSettings, o: CliOverrides): void {
  const target = settings as unknown as Record<string, unknown>;
  for (const row of OVERRIDE_ROWS) {
    const value = (o as Record<string, unknown>)[row.key];
    if (value === undefined || !row.yaml) continue;
    const problem = settingProblem(row, `--${row.flag}`, value);
    if (problem !== undefined) throw new ColdstartError('INVALID_ARGUMENT', problem, { key: `--${row.flag}` });
    // Names given on the command line add to the file's; any other flag replaces the file's value.
    target[row.key] = row.kind.type === 'names' ? [...(target[row.key] as string[]), ...(value as string[]).map((n) => n.trim().toLowerCase())] : value;
  }
}
