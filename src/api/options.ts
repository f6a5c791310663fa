// The options of createColdstart: every setting of `coldstart start`, all optional, with the
// command line's defaults; and their translation into what the server is started with.
import path from 'node:path';
import type { CliOverrides, Isolation } from '../types/config.js';
import { ColdstartError } from '../types/errors.js';
import type { StartOptions } from '../server/start.js';

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

/** The command line's defaults, which the library shares. */
export const DEFAULT_OPTIONS = Object.freeze({
  config: '.',
  port: 3000,
  host: '127.0.0.1',
  watch: true,
  logFormat: 'pretty' as const,
  batchScheduling: false,
});

function invalid(option: string, message: string): ColdstartError {
  return new ColdstartError('INVALID_ARGUMENT', `createColdstart option "${option}" ${message}`, { key: option });
}

function oneOf<T extends string>(option: string, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw invalid(option, `must be ${allowed.map((a) => `"${a}"`).join(' or ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

function allowedHosts(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((h) => typeof h !== 'string' || h === '')) throw invalid('allowedHosts', `must be a list of host names, got ${JSON.stringify(value)}`);
  return value as string[];
}

/** The settings that override custom.coldstart, from the options (numbers are range-checked when the configuration loads). */
export function toOverrides(options: ColdstartOptions): CliOverrides {
  for (const key of ['gatewayTimeout', 'accountConcurrency', 'idleTimeout', 'seed', 'spareThreads'] as const) {
    const v = options[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) throw invalid(key, `must be a number, got ${JSON.stringify(v)}`);
  }
  const opt = { ...options.opt };
  if (options.stage !== undefined) opt.stage = options.stage;
  if (options.region !== undefined) opt.region = options.region;
  return {
    stage: options.stage,
    coldStart: oneOf('coldStart', options.coldStart, ['realistic', 'off']),
    gatewayTimeout: options.gatewayTimeout,
    accountConcurrency: options.accountConcurrency,
    idleTimeout: options.idleTimeout,
    seed: options.seed,
    spareThreads: options.spareThreads,
    isolation: oneOf('isolation', options.isolation, ['thread', 'process']),
    allowedHosts: allowedHosts(options.allowedHosts),
    options: opt,
  };
}

/** Everything the server needs, defaults filled in; throws ColdstartError INVALID_ARGUMENT on a bad option. */
export function toStartOptions(options: ColdstartOptions = {}): StartOptions {
  const port = options.port ?? DEFAULT_OPTIONS.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw invalid('port', `must be an integer from 0 to 65535, got ${JSON.stringify(port)}`);
  const host = options.host ?? DEFAULT_OPTIONS.host;
  if (typeof host !== 'string' || host === '') throw invalid('host', `must be an address, got ${JSON.stringify(host)}`);
  const log = options.log;
  return {
    configPath: path.resolve(options.config ?? DEFAULT_OPTIONS.config),
    port,
    host,
    overrides: toOverrides(options),
    watch: options.watch ?? DEFAULT_OPTIONS.watch,
    logFormat: oneOf('logFormat', options.logFormat, ['pretty', 'json']) ?? DEFAULT_OPTIONS.logFormat,
    batchScheduling: options.batchScheduling ?? DEFAULT_OPTIONS.batchScheduling,
    ...(log === undefined ? {} : log === false ? { print: noop, printError: noop } : { print: (l: string) => log(l, 'stdout'), printError: (l: string) => log(l, 'stderr') }),
  };
}

function noop(): void {}
