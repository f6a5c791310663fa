// Command-line parsing for `coldstart start` and `coldstart invoke` (SPEC section 1).
import { parseArgs } from 'node:util';
import { ColdstartError } from '../types/errors.js';
import type { CliOverrides } from '../types/config.js';

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

/** Usage text. */
export const USAGE = `usage:
  coldstart start  [--config PATH] [--port N] [--host H] [--stage S] [--region R]
                   [--cold-start realistic|off] [--gateway-timeout SECONDS]
                   [--account-concurrency N] [--idle-timeout SECONDS]
                   [--seed N] [--no-watch] [--log-format pretty|json]
                   [--spare-threads N] [--isolation thread|process]
                   [--allowed-host NAME]...
  coldstart invoke FUNCTION [--data JSON | --path FILE] [--config PATH] [--stage S] [--region R]
                   [--isolation thread|process]`;

function num(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new ColdstartError('INVALID_ARGUMENT', `--${flag} must be a number >= ${min}, got "${value}"`);
  return n;
}

/** Parses argv (without node and the script); throws ColdstartError INVALID_ARGUMENT. */
export function parseCli(argv: string[]): StartArgs | InvokeArgs {
  const [command, ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        stage: { type: 'string' },
        region: { type: 'string' },
        'cold-start': { type: 'string' },
        'gateway-timeout': { type: 'string' },
        'account-concurrency': { type: 'string' },
        'idle-timeout': { type: 'string' },
        seed: { type: 'string' },
        'spare-threads': { type: 'string' },
        isolation: { type: 'string' },
        'allowed-host': { type: 'string', multiple: true },
        'no-watch': { type: 'boolean' },
        'log-format': { type: 'string' },
        data: { type: 'string' },
        path: { type: 'string' },
      },
    });
  } catch (err) {
    throw new ColdstartError('INVALID_ARGUMENT', `${(err as Error).message}\n${USAGE}`);
  }
  const v = parsed.values;
  const coldStart = v['cold-start'];
  if (coldStart !== undefined && coldStart !== 'realistic' && coldStart !== 'off') {
    throw new ColdstartError('INVALID_ARGUMENT', `--cold-start must be "realistic" or "off", got "${coldStart}"`);
  }
  const isolation = v.isolation;
  if (isolation !== undefined && isolation !== 'thread' && isolation !== 'process') {
    throw new ColdstartError('INVALID_ARGUMENT', `--isolation must be "thread" or "process", got "${isolation}"`);
  }
  const overrides: CliOverrides = {
    stage: v.stage,
    coldStart,
    gatewayTimeout: num('gateway-timeout', v['gateway-timeout'], 0.001),
    accountConcurrency: num('account-concurrency', v['account-concurrency'], 0),
    idleTimeout: num('idle-timeout', v['idle-timeout'], 0.001),
    seed: num('seed', v.seed, 0),
    spareThreads: num('spare-threads', v['spare-threads'], 0),
    isolation,
    allowedHosts: v['allowed-host'],
    options: Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string')) as Record<string, string>,
  };
  // The directory: serverless.yml, .yaml, .json, .js or .ts, whichever it holds.
  const configPath = v.config ?? '.';
  if (command === 'start') {
    const logFormat = v['log-format'] ?? 'pretty';
    if (logFormat !== 'pretty' && logFormat !== 'json') throw new ColdstartError('INVALID_ARGUMENT', `--log-format must be "pretty" or "json", got "${logFormat}"`);
    return {
      command,
      configPath,
      port: num('port', v.port, 0) ?? 3000,
      host: v.host ?? '127.0.0.1',
      watch: !v['no-watch'],
      logFormat,
      overrides,
    };
  }
  if (command === 'invoke') {
    const functionName = parsed.positionals[0];
    if (!functionName) throw new ColdstartError('INVALID_ARGUMENT', `coldstart invoke needs a function name\n${USAGE}`);
    if (v.data !== undefined && v.path !== undefined) throw new ColdstartError('INVALID_ARGUMENT', 'give either --data or --path, not both');
    return { command, configPath, functionName, data: v.data, path: v.path, overrides };
  }
  throw new ColdstartError('INVALID_ARGUMENT', command ? `unknown command "${command}"\n${USAGE}` : USAGE);
}
