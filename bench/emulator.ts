// Starts the emulator for a benchmark, quietly: in this process, or in a process of its own.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
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

/** A server started by `startServerProcess`. */
export interface ServerProcess {
  child: ChildProcess;
  url: URL;
  /** From the spawn to the listening line, ms. */
  startMs: number;
}

/** Starts `coldstart start` (modelled delays off) in a process of its own and waits for its listening line. */
export async function startServerProcess(configPath: string, args: string[]): Promise<ServerProcess> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist/src/cli/main.js'), 'start', '--config', configPath, '--port', '0', '--no-watch', '--cold-start', 'off', ...args], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', NO_COLOR: '1' },
  });
  let out = '';
  const url = await new Promise<URL>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /coldstart listening on (\S+)/.exec(out);
      if (m) resolve(new URL(m[1]!));
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const startMs = performance.now() - t0;
  // Keep draining stdout so the server never blocks on a full pipe.
  child.stdout!.on('data', () => undefined);
  return { child, url, startMs };
}
