// Starts the emulator in this process for a benchmark, quietly.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../src/server/start.js';
import type { CliOverrides } from '../src/types/config.js';

/** Repository root, from dist/bench/. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A benchmark fixture's serverless.yml. */
export function benchFixture(name: string): string {
  return path.join(repoRoot, 'bench', 'fixtures', name, 'serverless.yml');
}

/** Starts coldstart in-process on an ephemeral loopback port with terminal output discarded. */
export function startQuiet(configPath: string, overrides: CliOverrides = {}): Promise<RunningServer> {
  return startServer({
    configPath,
    port: 0,
    host: '127.0.0.1',
    overrides: { coldStart: 'off', ...overrides },
    watch: false,
    logFormat: 'pretty',
    print: () => undefined,
    printError: () => undefined,
  });
}
