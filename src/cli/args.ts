// Command-line parsing for `coldstart start` and `coldstart invoke`: flags, their checks and the
// usage text all come from the settings table.
import { parseArgs } from 'node:util';
import { ColdstartError } from '../types/errors.js';
import type { CliOverrides } from '../types/config.js';
import { FLAG_ROWS, OVERRIDE_ROWS, settingProblem, type CliSettingValues, type SettingRow } from '../config/settings-table.js';
import { usageText } from './usage.js';

/** `coldstart start` options. */
export interface StartArgs {
  command: 'start';
  configPath: string;
  port: number;
  host: string;
  watch: boolean;
  logFormat: 'pretty' | 'json';
  overrides: CliOverrides;
}

/** `coldstart invoke` options. */
export interface InvokeArgs {
  command: 'invoke';
  configPath: string;
  functionName: string;
  data?: string;
  path?: string;
  overrides: CliOverrides;
}

/** `coldstart --help`. */
export interface HelpArgs {
  command: 'help';
}

/** Usage text. */
export const USAGE = usageText();

const FLAG_OPTIONS: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = Object.fromEntries(
  FLAG_ROWS.map((r) => [r.flag!, r.kind.type === 'switch' ? { type: 'boolean' } : r.kind.type === 'names' ? { type: 'string', multiple: true } : { type: 'string' }]),
);

/** A flag's value as its row types it (numbers parsed), checked against the row. */
function flagValue(row: SettingRow, raw: string | boolean | string[]): unknown {
  if (row.kind.type === 'switch') return !raw;
  if (row.kind.type === 'names' && Array.isArray(raw)) return raw.map((name) => name.trim().toLowerCase());
  const value = row.kind.type === 'number' && typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  const problem = settingProblem(row, `--${row.flag}`, value, raw);
  if (problem !== undefined) throw new ColdstartError('INVALID_ARGUMENT', problem);
  return value;
}

/**
 * Every flag given, by its setting key, checked. A flag not given gets its table default, unless it
 * overrides serverless.yml: then the file decides.
 */
function flagValues(values: Record<string, string | boolean | string[] | undefined>): CliSettingValues {
  const out: Record<string, unknown> = {};
  for (const row of FLAG_ROWS) {
    const raw = values[row.flag!];
    const fallback = row.yaml || row.overrides !== undefined ? undefined : row.default;
    out[row.key] = raw === undefined ? fallback : flagValue(row, raw);
  }
  return out as CliSettingValues;
}

/** Parses argv (without node and the script); throws ColdstartError INVALID_ARGUMENT. */
export function parseCli(argv: string[]): StartArgs | InvokeArgs | HelpArgs {
  const [command, ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, options: { ...FLAG_OPTIONS, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    throw new ColdstartError('INVALID_ARGUMENT', `${(err as Error).message}\n${USAGE}`);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (values.help) return { command: 'help' };
  const v = flagValues(values);
  const given = Object.fromEntries(OVERRIDE_ROWS.map((r) => [r.key, v[r.key as keyof CliSettingValues]]));
  // Every flag with a value is also a ${opt:NAME} variable.
  const options = Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const overrides: CliOverrides = { ...given, options };
  const configPath = v.config!;
  if (command === 'start') {
    return { command, configPath, port: v.port!, host: v.host!, watch: v.watch!, logFormat: v.logFormat!, overrides };
  }
  if (command === 'invoke') {
    const functionName = parsed.positionals[0];
    if (!functionName) throw new ColdstartError('INVALID_ARGUMENT', `coldstart invoke needs a function name\n${USAGE}`);
    if (v.data !== undefined && v.path !== undefined) throw new ColdstartError('INVALID_ARGUMENT', 'give either --data or --path, not both');
    return { command, configPath, functionName, data: v.data, path: v.path, overrides };
  }
  throw new ColdstartError('INVALID_ARGUMENT', command ? `unknown command "${command}"\n${USAGE}` : USAGE);
}
