// The options of createColdstart: every setting of `coldstart start`, all optional, with the
// command line's defaults; and their translation into what the server is started with. Names,
// bounds and defaults come from the settings table, as the CLI's do.
import path from 'node:path';
import type { CliOverrides, Isolation } from '../types/config.js';
import { ColdstartError } from '../types/errors.js';
import type { StartOptions } from '../server/start.js';
import { FLAG_ROWS, OVERRIDE_ROWS, SETTINGS, settingProblem, settingRow, type CliSettingValues, type SettingRow } from '../config/settings-table.js';
import { show } from '../config/fields.js';

/** Where coldstart's terminal lines go: a sink of your own, or `false` for nowhere. */
export type LogSink = false | ((line: string, stream: 'stdout' | 'stderr') => void);

/** Options of createColdstart; each mirrors a `coldstart start` flag and has its default. */
export interface ColdstartOptions {
  /** The service file or its directory, relative to the current directory (`--config`). Default: the current directory's serverless.yml (.yaml, .json, .js or .ts). */
  config?: string;
  /** Port to listen on; 0 takes a free one (`--port`). Default 3000. */
  port?: number;
  /** Address to listen on (`--host`). Default 127.0.0.1. */
  host?: string;
  /** Stage: REST routes are served under `/{stage}` (`--stage`). Default `provider.stage`, else `dev`. */
  stage?: string;
  /** Region (`--region`). Default `provider.region`, else `us-east-1`. */
  region?: string;
  /** `realistic` models each cold start's delay; `off` removes every modelled delay (`--cold-start`). */
  coldStart?: 'realistic' | 'off';
  /** Seconds the gateway waits for a function (`--gateway-timeout`). Default 29 (REST) and 30 (HTTP API). */
  gatewayTimeout?: number;
  /** Concurrent executions for all functions together (`--account-concurrency`). Default 1000. */
  accountConcurrency?: number;
  /** Seconds an idle instance lives before it is retired (`--idle-timeout`). */
  idleTimeout?: number;
  /** Seed of the cold-start spread, so runs repeat (`--seed`). */
  seed?: number;
  /** Booted threads (or processes) kept per memory size for cold starts to take (`--spare-threads`). */
  spareThreads?: number;
  /** `thread` (default) or `process`: what each instance runs in (`--isolation`). */
  isolation?: Isolation;
  /** Host names answered besides this server's address, localhost and IP addresses (`--allowed-host`; `.name` with subdomains, `*` any). */
  allowedHosts?: string[];
  /** Reload on changes to handlers and the service file (`--no-watch` turns it off). Default true. */
  watch?: boolean;
  /** Terminal lines as CloudWatch-style text (`pretty`, the default) or JSON events (`--log-format`). */
  logFormat?: 'pretty' | 'json';
  /** Values for `${opt:NAME}` in the service file, as `--NAME value` gives them to the Framework. */
  opt?: Record<string, string>;
  /** Where terminal lines go. Default: stdout and stderr, as the command line prints them. */
  log?: LogSink;
  /**
   * Run instances under Linux's SCHED_BATCH policy, by switching this process's main thread to it
   * (more throughput under load). Off by default because it changes the host process; the
   * `coldstart` command turns it on.
   */
  batchScheduling?: boolean;
}

/** The settings of `coldstart start`, as rows of the settings table: each is an option here. */
const START_ROWS: readonly SettingRow[] = FLAG_ROWS.filter((r) => r.commands.includes('start'));

type StartKey<R> = R extends { key: infer K; flag: string; commands: readonly (infer C)[] } ? ('start' extends C ? K : never) : never;
type StartSettingKey = StartKey<(typeof SETTINGS)[number]>;

// Compile-time tie between the documented interface above and the table: every `start` setting is
// an option, with the value type its row gives.
type FitsTable = { [K in StartSettingKey & keyof CliSettingValues]-?: Exclude<CliSettingValues[K], undefined> extends Exclude<ColdstartOptions[K & keyof ColdstartOptions], undefined> ? true : false };
const sameAsTable: false extends FitsTable[keyof FitsTable] ? never : true = true;
void sameAsTable;

function tableDefault<K extends 'config' | 'port' | 'host' | 'watch' | 'logFormat'>(key: K): NonNullable<ColdstartOptions[K]> {
  return settingRow(key).default as NonNullable<ColdstartOptions[K]>;
}

/** The command line's defaults (from the settings table), which the library shares. */
export const DEFAULT_OPTIONS = Object.freeze({
  config: tableDefault('config'),
  port: tableDefault('port'),
  host: tableDefault('host'),
  watch: tableDefault('watch'),
  logFormat: tableDefault('logFormat'),
  batchScheduling: false,
});

/** Checks every option that is a setting against its row, so bounds and words match the CLI's. */
function checkSettings(options: ColdstartOptions): void {
  const given = options as Record<string, unknown>;
  for (const row of START_ROWS) {
    const value = given[row.key];
    if (value === undefined) continue;
    const problem = settingProblem(row, `createColdstart option "${row.key}"`, value);
    if (problem !== undefined) throw new ColdstartError('INVALID_ARGUMENT', problem, { key: row.key });
  }
  if (options.opt !== undefined && (typeof options.opt !== 'object' || options.opt === null || Object.values(options.opt).some((v) => typeof v !== 'string'))) {
    throw new ColdstartError('INVALID_ARGUMENT', `createColdstart option "opt" must map names to text values, got ${show(options.opt)}`, { key: 'opt' });
  }
}

/** The settings that override custom.coldstart, from the options (already checked). */
export function toOverrides(options: ColdstartOptions): CliOverrides {
  // The stage and region reach the configuration as ${opt:stage} and ${opt:region} too, as on the command line.
  const opt = { ...options.opt };
  if (options.stage !== undefined) opt.stage = options.stage;
  if (options.region !== undefined) opt.region = options.region;
  const overrides: Record<string, unknown> = { options: opt };
  for (const row of OVERRIDE_ROWS) {
    const value = (options as Record<string, unknown>)[row.key];
    if (value !== undefined) overrides[row.key] = row.kind.type === 'names' ? ([value].flat() as string[]).map((n) => n.trim().toLowerCase()) : value;
  }
  return overrides as CliOverrides;
}

/** Everything the server needs, defaults filled in; throws ColdstartError INVALID_ARGUMENT on a bad option. */
export function toStartOptions(options: ColdstartOptions = {}): StartOptions {
  checkSettings(options);
  const host = options.host ?? DEFAULT_OPTIONS.host;
  if (host === '') throw new ColdstartError('INVALID_ARGUMENT', 'createColdstart option "host" must be an address, got ""', { key: 'host' });
  const log = options.log;
  return {
    configPath: path.resolve(options.config ?? DEFAULT_OPTIONS.config),
    port: options.port ?? DEFAULT_OPTIONS.port,
    host,
    overrides: toOverrides(options),
    watch: options.watch ?? DEFAULT_OPTIONS.watch,
    logFormat: options.logFormat ?? DEFAULT_OPTIONS.logFormat,
    batchScheduling: options.batchScheduling ?? DEFAULT_OPTIONS.batchScheduling,
    ...(log === undefined ? {} : log === false ? { print: noop, printError: noop } : { print: (l: string) => log(l, 'stdout'), printError: (l: string) => log(l, 'stderr') }),
  };
}

function noop(): void {}
