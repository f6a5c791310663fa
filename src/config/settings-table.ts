// Every setting a user can give coldstart, in one table: the command-line parser, the
// custom.coldstart reader, the check of programmatic overrides, `--help` and docs/settings.md are
// all generated from it, so a name, bound or default is written once. Adding a setting is adding a
// row; only the code that acts on the value has to be written besides.
import { DEFAULT_SETTINGS } from '../model/defaults.js';
import { numberProblem, show, type NumberRule } from './fields.js';

/** The commands of the `coldstart` binary that take options. */
export type Command = 'start' | 'invoke';

/** A number within limits (`unit` is how the limits read in messages, e.g. ` seconds`). */
export interface NumberKind extends NumberRule {
  type: 'number';
}

/** One of a few words. */
export interface ChoiceKind {
  type: 'choice';
  values: readonly string[];
  /** custom.coldstart may write `false` for this word (e.g. `coldStart: false`). */
  falseMeans?: string;
}

/** Free text. */
export interface TextKind {
  type: 'text';
}

/** A flag without a value; the setting is true unless the flag is given (`--no-watch`). */
export interface SwitchKind {
  type: 'switch';
}

/**
 * Names, each lower-cased: custom.coldstart takes one or a list, the flag may be repeated, and the
 * flags add to the file's list instead of replacing it.
 */
export interface NamesKind {
  type: 'names';
  /** What the names are, for messages ("host names"). */
  of: string;
}

/** A map or list under custom.coldstart, read by its own reader in settings.ts. */
export interface StructuredKind {
  type: 'structured';
}

/** What values a setting takes. */
export type SettingKind = NumberKind | ChoiceKind | TextKind | SwitchKind | NamesKind | StructuredKind;

/** One setting. */
export interface SettingRow {
  /** camelCase name: the custom.coldstart key and the option name of the programmatic API. */
  key: string;
  /** Command-line flag without its dashes; absent for settings that exist only in serverless.yml. */
  flag?: string;
  /** Read from serverless.yml under custom.coldstart (such settings are also overrides). */
  yaml: boolean;
  /** The serverless.yml key outside custom.coldstart that the flag overrides, e.g. provider.stage. */
  overrides?: string;
  /** Commands whose usage line shows the flag (every command parses every flag). */
  commands: readonly Command[];
  kind: SettingKind;
  /** Placeholder of the flag's value in usage text, e.g. SECONDS. */
  placeholder?: string;
  /** The value used when the setting is not given; undefined when another source decides it. */
  default?: string | number | boolean;
  /** The default as documented when it is not a single value. */
  defaultText?: string;
  /** One line for `--help` and the docs table. */
  description: string;
}

const number = (rule: NumberRule): NumberKind => ({ type: 'number', ...rule });
const choice = <const V extends readonly string[]>(values: V, falseMeans?: V[number]): ChoiceKind & { values: V } =>
  falseMeans ? { type: 'choice', values, falseMeans } : { type: 'choice', values };
const text: TextKind = { type: 'text' };
const structured: StructuredKind = { type: 'structured' };

/** Upper bound of spareThreads: each spare holds about 8 MB of memory while it waits. */
export const MAX_SPARE_THREADS = 1000;

/** The table, in the order `--help` and the docs list it. */
export const SETTINGS = [
  { key: 'config', flag: 'config', yaml: false, commands: ['start', 'invoke'], kind: text, placeholder: 'PATH', default: '.', description: 'The service: a directory holding serverless.yml (.yaml, .json, .js or .ts), or one of those files.' },
  { key: 'port', flag: 'port', yaml: false, commands: ['start'], kind: number({ min: 0, max: 65535, integer: true }), placeholder: 'N', default: 3000, description: 'Port to listen on; 0 takes a free port.' },
  { key: 'host', flag: 'host', yaml: false, commands: ['start'], kind: text, placeholder: 'H', default: '127.0.0.1', description: 'Address to listen on.' },
  { key: 'stage', flag: 'stage', yaml: false, overrides: 'provider.stage', commands: ['start', 'invoke'], kind: text, placeholder: 'S', defaultText: 'provider.stage, else dev', description: 'Stage: the prefix of REST API paths and part of deployed function names.' },
  // The region reaches the configuration as ${opt:region}, which is how the Framework reads it too.
  { key: 'region', flag: 'region', yaml: false, commands: ['start', 'invoke'], kind: text, placeholder: 'R', defaultText: 'provider.region, else us-east-1', description: 'Region, over provider.region: in ARNs, queue URLs and AWS_REGION.' },
  { key: 'coldStart', flag: 'cold-start', yaml: true, commands: ['start', 'invoke'], kind: choice(['realistic', 'off'], 'off'), default: DEFAULT_SETTINGS.coldStart, description: 'realistic: model Init Duration and the platform delay; off: no modelled delay.' },
  { key: 'gatewayTimeout', flag: 'gateway-timeout', yaml: true, commands: ['start'], kind: number({ min: 0.05, max: 900, unit: ' seconds' }), placeholder: 'SECONDS', defaultText: `${DEFAULT_SETTINGS.gatewayTimeoutRest} (REST API), ${DEFAULT_SETTINGS.gatewayTimeoutHttpApi} (HTTP API)`, description: 'Integration timeout of both APIs.' },
  { key: 'accountConcurrency', flag: 'account-concurrency', yaml: true, commands: ['start'], kind: number({ min: 1, integer: true }), placeholder: 'N', default: DEFAULT_SETTINGS.accountConcurrency, description: 'Concurrent executions for the whole account.' },
  { key: 'idleTimeout', flag: 'idle-timeout', yaml: true, commands: ['start'], kind: number({ min: 0, unit: ' seconds' }), placeholder: 'SECONDS', default: DEFAULT_SETTINGS.idleTimeout, description: 'How long an idle on-demand instance lives before it is retired.' },
  { key: 'seed', flag: 'seed', yaml: true, commands: ['start', 'invoke'], kind: number({ min: 0, integer: true }), placeholder: 'N', default: DEFAULT_SETTINGS.seed, description: 'Seed of the model\'s random draws (the cold-start spread): the same seed repeats a run.' },
  { key: 'watch', flag: 'no-watch', yaml: false, commands: ['start'], kind: { type: 'switch' }, default: true, defaultText: 'files are watched', description: 'Do not reload functions and configuration when files change.' },
  { key: 'logFormat', flag: 'log-format', yaml: false, commands: ['start'], kind: choice(['pretty', 'json']), default: 'pretty', description: 'Terminal output: coloured lines or one JSON event per line.' },
  { key: 'spareThreads', flag: 'spare-threads', yaml: true, commands: ['start'], kind: number({ min: 0, max: MAX_SPARE_THREADS, integer: true }), placeholder: 'N', default: DEFAULT_SETTINGS.spareThreads, description: 'Execution environments kept booted per memory size, so a cold start does not wait for one to boot.' },
  { key: 'isolation', flag: 'isolation', yaml: true, commands: ['start', 'invoke'], kind: choice(['thread', 'process']), default: DEFAULT_SETTINGS.isolation, description: 'What each instance runs in: a worker thread, or a child process of its own.' },
  { key: 'allowedHosts', flag: 'allowed-host', yaml: true, commands: ['start'], kind: { type: 'names', of: 'host names' }, placeholder: 'NAME', defaultText: 'none', description: 'Host names answered besides this server\'s address, localhost and IP addresses (.name: with subdomains, *: any); the flag may be repeated and adds to the file\'s list.' },
  { key: 'isOffline', yaml: true, commands: [], kind: { type: 'switch' }, default: DEFAULT_SETTINGS.isOffline, description: 'Set IS_OFFLINE=true in every instance, as serverless-offline does.' },
  { key: 'data', flag: 'data', yaml: false, commands: ['invoke'], kind: text, placeholder: 'JSON', description: 'The event, as JSON text (not with --path).' },
  { key: 'path', flag: 'path', yaml: false, commands: ['invoke'], kind: text, placeholder: 'FILE', description: 'A file holding the event as JSON (not with --data).' },
  { key: 'model', yaml: true, commands: [], kind: structured, defaultText: 'see the model coefficients', description: 'Coefficients of the cold-start and CPU model, each overriding its default.' },
  { key: 'ssm', yaml: true, commands: [], kind: structured, description: 'Values of ${ssm:/path} variables, a map of parameter name to value.' },
  { key: 'throttle', yaml: true, commands: [], kind: structured, defaultText: 'none', description: 'Stage throttle of the gateway: rateLimit (requests per second) and burstLimit.' },
  { key: 'traffic', yaml: true, commands: [], kind: structured, defaultText: 'none', description: 'For coldstart simulate: a traffic profile per function (a map of function name to profile, e.g. poisson:20).' },
  { key: 'prices', yaml: true, commands: [], kind: structured, defaultText: 'us-east-1 list prices', description: 'For coldstart simulate: overrides of the price table (see docs/simulate.md).' },
  { key: 'asyncRetryDelays', yaml: true, commands: [], kind: structured, defaultText: `[${DEFAULT_SETTINGS.asyncRetryDelays.join(', ')}]`, description: 'Seconds before each retry of a failed asynchronous invocation (at most 2).' },
] as const satisfies readonly SettingRow[];

type Row = (typeof SETTINGS)[number];

/** The value type a row's kind stands for. */
type ValueOf<K> = K extends NumberKind
  ? number
  : K extends { type: 'choice'; values: readonly (infer V)[] }
    ? V
    : K extends TextKind
      ? string
      : K extends SwitchKind
        ? boolean
        : K extends NamesKind
          ? string[]
          : never;

/** Every setting that has a flag, by key: what `coldstart start` or a programmatic caller may set. */
export type CliSettingValues = { -readonly [R in Row as R extends { flag: string } ? R['key'] : never]?: ValueOf<R['kind']> };

/** Settings whose flag overrides serverless.yml (custom.coldstart or another key). */
export type SettingOverrides = Pick<CliSettingValues, Extract<Row, { flag: string } & ({ yaml: true } | { overrides: string })>['key']>;

/** Rows that have a flag. */
export const FLAG_ROWS: readonly SettingRow[] = SETTINGS.filter((r: SettingRow) => r.flag !== undefined);

/** Rows whose flag overrides serverless.yml. */
export const OVERRIDE_ROWS: readonly SettingRow[] = FLAG_ROWS.filter((r) => r.yaml || r.overrides !== undefined);

/** Keys accepted under custom.coldstart. */
export const YAML_KEYS: readonly string[] = SETTINGS.filter((r: SettingRow) => r.yaml).map((r) => r.key);

/** The row of a key. */
export function settingRow(key: string): SettingRow {
  const row = (SETTINGS as readonly SettingRow[]).find((r) => r.key === key);
  if (!row) throw new Error(`no setting "${key}" in the settings table`);
  return row;
}

/** Why a value does not fit its row, in words that start with `label`; undefined when it fits. */
export function settingProblem(row: SettingRow, label: string, value: unknown, given: unknown = value): string | undefined {
  const kind = row.kind;
  if (kind.type === 'choice') {
    if (typeof value === 'string' && kind.values.includes(value)) return undefined;
    return `${label} must be ${kind.values.map((v) => `"${v}"`).join(' or ')}, got ${show(value)}`;
  }
  if (kind.type === 'number') return numberProblem(label, value, kind, given);
  if (kind.type === 'text') return typeof value === 'string' ? undefined : `${label} must be text, got ${show(value)}`;
  if (kind.type === 'switch') return typeof value === 'boolean' ? undefined : `${label} must be true or false, got ${show(value)}`;
  if (kind.type === 'names') {
    const bad = (Array.isArray(value) ? value : [value]).find((v) => typeof v !== 'string' || v.trim() === '');
    return bad === undefined ? undefined : `${label} must list ${kind.of}, got ${show(bad)}`;
  }
  return undefined;
}

/** The allowed values of a row, in words (for `--help` and the docs). */
export function allowedText(row: SettingRow): string {
  const k = row.kind;
  if (k.type === 'choice') return k.values.join(' | ');
  if (k.type === 'switch') return row.flag ? 'flag, off unless given' : 'true | false';
  if (k.type === 'text') return 'text';
  if (k.type === 'names') return `${k.of} (repeatable)`;
  if (k.type === 'structured') return row.key === 'asyncRetryDelays' ? 'list of seconds' : 'map';
  const what = k.integer ? 'integer' : 'number';
  const unit = k.unit?.trim() ?? '';
  if (k.min !== undefined && k.max !== undefined) return `${what} ${k.min}–${k.max}${unit ? ` ${unit}` : ''}`;
  if (k.min !== undefined) return `${what} ≥ ${k.min}${unit ? ` ${unit}` : ''}`;
  return what;
}

/** The default of a row, in words. */
export function defaultText(row: SettingRow): string {
  if (row.defaultText !== undefined) return row.defaultText;
  return row.default === undefined ? '—' : String(row.default);
}
