#!/usr/bin/env node
// The `coldstart` binary.
import path from 'node:path';
import { parseCli, USAGE } from './args.js';
import { invokeOnce } from './invoke-once.js';
import { startServer } from '../server/start.js';
import { isColdstartError } from '../types/errors.js';

async function main(): Promise<number> {
  const args = parseCli(process.argv.slice(2));
  if (args.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.command === 'invoke') return invokeOnce(args);
  const server = await startServer({
    configPath: path.resolve(args.configPath),
    port: args.port,
    host: args.host,
    overrides: args.overrides,
    watch: args.watch,
    logFormat: args.logFormat,
  });
  process.stdout.write(`coldstart listening on ${server.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.close().then(resolve, resolve);
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
