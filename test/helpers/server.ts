// Starts the real coldstart binary on an ephemeral loopback port and waits for its listening line.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (tests run from dist/test/..., fixtures live in test/fixtures). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The compiled CLI entry point. */
export const cliPath = path.join(repoRoot, 'dist/src/cli/main.js');

/** Absolute path of a file under test/fixtures. */
export function fixture(...parts: string[]): string {
  return path.join(repoRoot, 'test', 'fixtures', ...parts);
}

/** A running coldstart process. */
export interface RunningColdstart {
  url: string;
  port: number;
  child: ChildProcess;
  /** Every stdout line so far. */
  stdout: string[];
  /** Every stderr line so far. */
  stderr: string[];
  /** Resolves with the first stdout/stderr line (past or future) matching the pattern. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Environment for child processes: loopback only, harmless credentials, no metadata probing. */
export function testEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    NO_COLOR: '1',
    ...extra,
  };
}

/** Starts `coldstart start --config CONFIG --port 0 ...args` and waits until it listens. */
export async function startColdstart(
  config: string,
  args: string[] = [],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<RunningColdstart> {
  const child = spawn(process.execPath, [cliPath, 'start', '--config', config, '--port', '0', '--host', '127.0.0.1', ...args], {
    cwd: options.cwd ?? path.dirname(config),
    env: testEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const onLine = (into: string[]) => {
    let buf = '';
    return (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        into.push(line);
        for (const w of [...waiters]) {
          if (w.pattern.test(line)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(line);
          }
        }
      }
    };
  };
  child.stdout!.on('data', onLine(stdout));
  child.stderr!.on('data', onLine(stderr));
  const waitForLine = (pattern: RegExp, timeoutMs = 20_000) =>
    new Promise<string>((resolve, reject) => {
      const found = [...stdout, ...stderr].find((l) => pattern.test(l));
      if (found !== undefined) return resolve(found);
      const timer = setTimeout(() => {
        reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms\nstdout:\n${stdout.join('\n')}\nstderr:\n${stderr.join('\n')}`));
      }, timeoutMs);
      waiters.push({
        pattern,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
    });
  const exited = once(child, 'exit');
  const line = await Promise.race([
    waitForLine(/^coldstart listening on http:\/\//, options.timeoutMs ?? 60_000),
    exited.then(([code]) => {
      throw new Error(`coldstart exited with ${code} before listening\nstdout:\n${stdout.join('\n')}\nstderr:\n${stderr.join('\n')}`);
    }),
  ]);
  const url = line.replace(/^coldstart listening on /, '').trim();
  const port = Number(new URL(url).port);
  return {
    url,
    port,
    child,
    stdout,
    stderr,
    waitForLine,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = await exited;
      return code as number | null;
    },
  };
}
