// Starts the real coldstart binary on an ephemeral loopback port and waits for its listening line.
// Every helper here registers its own teardown: startColdstart for one test, useColdstart for a
// describe block or a file, runColdstart for a command that is expected to exit by itself. A test
// about stopping calls stop() itself; the teardown then finds the process gone. A process that
// ignores SIGTERM is killed at teardown and fails the test, so no assertion can leave one behind.
// launchColdstart, which leaves stopping to its caller, is for the benchmarks only.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { after, before, type TestContext } from 'node:test';
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
  /** SIGTERM and wait for exit; resolves with the exit code (at once when it has exited). */
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

/** Options of a started coldstart process. */
export interface StartOptions {
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
  /** Fail the test (or suite) when the process does not exit 0 on SIGTERM. */
  cleanExit?: boolean;
}

// Generous: a loaded two-core machine may take seconds to retire a server's instances.
const TEARDOWN_GRACE_MS = 30_000;

/** SIGTERM, then SIGKILL after a grace period; resolves with the exit code or the signal's name. */
async function terminate(child: ChildProcess, exited: Promise<unknown>): Promise<{ code: number | null; killed: boolean }> {
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, killed: false };
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<'grace over'>((resolve) => (timer = setTimeout(() => resolve('grace over'), TEARDOWN_GRACE_MS)));
  const first = await Promise.race([exited, graceOver]);
  clearTimeout(timer);
  if (first !== 'grace over') return { code: child.exitCode, killed: false };
  child.kill('SIGKILL');
  await exited;
  return { code: child.exitCode, killed: true };
}

async function stopChecked(cs: RunningColdstart, options: StartOptions): Promise<void> {
  const { code, killed } = await terminate(cs.child, once(cs.child, 'exit').catch(() => undefined));
  const output = `\nstderr:\n${cs.stderr.join('\n')}`;
  if (killed) throw new Error(`coldstart did not exit within ${TEARDOWN_GRACE_MS} ms of SIGTERM and was killed${output}`);
  if (options.cleanExit && code !== 0) throw new Error(`coldstart exited with ${code} on SIGTERM${output}`);
}

/** Starts coldstart for one test and stops it when the test ends (pass, fail or timeout). */
export async function startColdstart(t: TestContext, config: string, args: string[] = [], options: StartOptions = {}): Promise<RunningColdstart> {
  const cs = await launchColdstart(config, args, options);
  t.after(() => stopChecked(cs, options));
  return cs;
}

/** How a command that ran to its end finished. */
export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  pid?: number;
}

/**
 * Runs `coldstart ARGS...` to its end (a command that exits by itself: invoke, or a start-up that
 * must fail) and resolves with its exit code and output. A process still running when the test
 * ends (a failing assertion, a start-up that did not fail) is killed by the test's teardown.
 */
export async function runColdstart(t: TestContext, args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<CommandResult> {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd: options.cwd, env: testEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit');
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const [code] = await exited;
  return { code: code as number | null, stdout, stderr, pid: child.pid };
}

/** A server started for a describe block or a file; `ready` resolves once it listens. */
export type SuiteColdstart = RunningColdstart & { readonly ready: Promise<RunningColdstart> };

/**
 * Starts coldstart before the tests of the enclosing describe block (or file) and stops it after
 * them. The returned handle forwards to the running server once it has started. `config` may be
 * computed when the server starts (e.g. a temporary copy); `afterStop` runs once it has stopped.
 * Node 20 runs a file's top-level `before` hooks side by side, so a top-level hook that needs the
 * server awaits `ready`.
 */
export function useColdstart(
  config: string | (() => string | Promise<string>),
  args: string[] = [],
  options: StartOptions & { afterStop?: () => unknown } = {},
): SuiteColdstart {
  let running: RunningColdstart | undefined;
  let started!: (cs: RunningColdstart) => void;
  let failed!: (err: unknown) => void;
  const ready = new Promise<RunningColdstart>((resolve, reject) => {
    started = resolve;
    failed = reject;
  });
  // Only hooks that await it see a failure; the suite's own before reports it.
  ready.catch(() => {});
  before(async () => {
    try {
      running = await launchColdstart(typeof config === 'string' ? config : await config(), args, options);
      started(running);
    } catch (err) {
      failed(err);
      throw err;
    }
  });
  after(async () => {
    try {
      if (running) await stopChecked(running, options);
    } finally {
      await options.afterStop?.();
    }
  });
  return new Proxy({} as SuiteColdstart, {
    get(_target, key) {
      if (key === 'ready') return ready;
      if (!running) throw new Error(`coldstart is not running (read of "${String(key)}" outside the suite's tests)`);
      const value = Reflect.get(running, key);
      return typeof value === 'function' ? value.bind(running) : value;
    },
  });
}

/**
 * Starts `coldstart start --config CONFIG --port 0 ...args` and waits until it listens; a process
 * that never listens is killed before the error is thrown. The caller stops it: only for code that
 * runs outside node:test (the benchmarks). Tests use the helpers above, which own their teardown.
 */
export async function launchColdstart(config: string, args: string[] = [], options: StartOptions = {}): Promise<RunningColdstart> {
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
  let line: string;
  try {
    line = await Promise.race([
      waitForLine(/^coldstart listening on http:\/\//, options.timeoutMs ?? 60_000),
      exited.then(([code]) => {
        throw new Error(`coldstart exited with ${code} before listening\nstdout:\n${stdout.join('\n')}\nstderr:\n${stderr.join('\n')}`);
      }),
    ]);
  } catch (err) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    throw err;
  }
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
