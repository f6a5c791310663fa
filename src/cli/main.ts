#!/usr/bin/env node
// The `coldstart` binary: `start` runs the emulator through createColdstart, as a program would.
import { parseCli, USAGE, type StartArgs } from './args.js';
import { invokeOnce } from './invoke-once.js';
import { simulateCommand } from './simulate.js';
import { createColdstart } from '../api/coldstart.js';
import type { ColdstartOptions } from '../api/options.js';
import { isColdstartError } from '../types/errors.js';

/** The library options `coldstart start` stands for. */
function startOptions(args: StartArgs): ColdstartOptions {
  const o = args.overrides;
  return {
    config: args.configPath,
    port: args.port,
    host: args.host,
    watch: args.watch,
    logFormat: args.logFormat,
    stage: o.stage,
    coldStart: o.coldStart,
    gatewayTimeout: o.gatewayTimeout,
    accountConcurrency: o.accountConcurrency,
    idleTimeout: o.idleTimeout,
    seed: o.seed,
    spareThreads: o.spareThreads,
    isolation: o.isolation,
    allowedHosts: o.allowedHosts,
    opt: o.options,
    // The process is the emulator's alone, so it may take the scheduling policy that serves it best.
    batchScheduling: true,
  };
}

async function main(): Promise<number> {
  if (process.argv[2] === 'simulate') return simulateCommand(process.argv.slice(3));
  const args = parseCli(process.argv.slice(2));
  if (args.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.command === 'invoke') return invokeOnce(args);
  const cs = await createColdstart(startOptions(args));
  process.stdout.write(`coldstart listening on ${cs.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      cs.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (isColdstartError(err)) {
      process.stderr.write(`coldstart: ${err.describe()}\n`);
      process.exit(2);
    }
    process.stderr.write(`coldstart: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
