// How an execution environment ended, told in one place. The thread or process reports what it
// left behind (booted-thread.ts, booted-process.ts: an error, an exit code or signal, its last
// words); the environment adds what the emulator itself did to it (ended it at the timeout, or for
// memory measured over its limit: execution-environment.ts); this module says what that means —
// a timeout, out of memory, a crash or exit — and what follows for the instance.
import type { InvocationOutcome, RetireReason } from '../types/runtime.js';

/** How a task that did not return ended. */
export type EnvironmentFailure =
  | { kind: 'timeout' }
  /** `usedMb`: the memory in use that was measured over the limit (unknown when V8's own cap ended the environment). */
  | { kind: 'oom'; usedMb?: number }
  | { kind: 'crash'; errorType: string; message: string };

/** A task's value or the way the environment failed. */
export type EnvironmentOutcome<T> = { ok: true; value: T } | { ok: false; failure: EnvironmentFailure };

/** What a thread or process left behind when it ended, as its owner saw it. */
export type DeathCause =
  /**
   * An error: a worker thread's `error` event (an uncaught exception, or V8's cap with
   * ERR_WORKER_OUT_OF_MEMORY), a process that could not be started, or a task that failed with
   * no death seen (the environment was being destroyed).
   */
  | { kind: 'error'; error: unknown }
  /** A worker thread's exit, with its exit code. */
  | { kind: 'thread-exit'; code: number }
  /** A child process's exit, with what it said last. */
  | {
      kind: 'process-exit';
      code: number | null;
      signal: NodeJS.Signals | null;
      /** The end of its stderr, where V8 reports a fatal error. */
      stderrTail: string;
      /** An uncaught error the process reported over IPC before it exited. */
      uncaught: { name: string; message: string } | null;
    };

/** What the emulator did to the environment before it ended. */
export interface EndedByEmulator {
  /** Its task passed its time limit, and the emulator ended it. */
  timedOut: boolean;
  /** Memory measured over its limit (by the environment itself, its result, or the busy-memory watch), MB. */
  overMemoryMb: number | null;
}

// Go's names for the signals a Lambda runtime dies of ("Runtime exited with error: signal: killed").
const SIGNAL_NAMES: Record<string, string> = {
  SIGABRT: 'aborted',
  SIGKILL: 'killed',
  SIGSEGV: 'segmentation fault',
  SIGTERM: 'terminated',
  SIGBUS: 'bus error',
};

/**
 * V8's report of a heap over its cap, on a process's stderr. A process aborted by V8 gives no
 * structured signal of why (SIGABRT has other causes), so its words are read.
 */
const V8_HEAP_OUT_OF_MEMORY = /JavaScript heap out of memory/;

/** Lambda's words for a runtime that ended: `Runtime exited with error: <what>`. */
export function exitFailure(what: string): EnvironmentFailure {
  return { kind: 'crash', errorType: 'Runtime.ExitError', message: `Runtime exited with error: ${what}` };
}

/** A task asked of an environment that was already ended (retired, shut down, or dead). */
export const ENVIRONMENT_GONE: EnvironmentFailure = exitFailure('the environment is gone');

/** The failure of an environment the emulator ended (at the timeout, or for its memory); null when it did not. */
export function endedByEmulator(by: EndedByEmulator): EnvironmentFailure | null {
  if (by.timedOut) return { kind: 'timeout' };
  if (by.overMemoryMb !== null) return { kind: 'oom', usedMb: by.overMemoryMb };
  return null;
}

/**
 * How an environment ended. What the emulator did comes first: an environment it ended at the
 * timeout or for its memory dies of that, whatever its exit looks like.
 */
export function classifyDeath(cause: DeathCause, by: EndedByEmulator): EnvironmentFailure {
  const ended = endedByEmulator(by);
  if (ended) return ended;
  switch (cause.kind) {
    case 'thread-exit':
      return exitFailure(`exit status ${cause.code}`);
    case 'process-exit':
      if (V8_HEAP_OUT_OF_MEMORY.test(cause.stderrTail)) return { kind: 'oom' };
      // An uncaught error is reported by its name, as a thread's is.
      if (cause.uncaught) return crashOf(cause.uncaught);
      if (cause.signal) return exitFailure(`signal: ${SIGNAL_NAMES[cause.signal] ?? cause.signal}`);
      return exitFailure(`exit status ${cause.code ?? 0}`);
    case 'error': {
      const code = (cause.error as { code?: unknown } | null)?.code;
      // Node's own error for a worker thread that hit its resourceLimits.
      if (code === 'ERR_WORKER_OUT_OF_MEMORY') return { kind: 'oom' };
      return crashOf(cause.error);
    }
  }
}

// An error that ended the runtime, reported by its name and message.
function crashOf(err: unknown): EnvironmentFailure {
  const e = err as { name?: string; message?: string } | null;
  return { kind: 'crash', errorType: e?.name ?? 'Error', message: `Runtime exited with error: ${e?.message ?? String(err)}` };
}

/** The error type a failure other than a timeout is reported with (REPORT, INIT_REPORT, the error payload). */
export function failureErrorType(f: Exclude<EnvironmentFailure, { kind: 'timeout' }>): string {
  return f.kind === 'oom' ? 'Runtime.OutOfMemory' : f.errorType;
}

/**
 * Whether an init phase that failed stopped before its limit (the environment died or ran out of
 * memory, and the failure is reported now) rather than being cut at it.
 */
export function initDiedEarly(f: EnvironmentFailure): f is Exclude<EnvironmentFailure, { kind: 'timeout' }> {
  return f.kind !== 'timeout';
}

/** What an instance's environment went through, as its pool sees it. */
export interface InstanceFault {
  /** The outcome of the invocation that just ended, if one did. */
  outcome?: InvocationOutcome;
  /** Its init phase failed (the instance cannot serve). */
  initFailed?: boolean;
  /** Its environment died between invocations. */
  diedIdle?: boolean;
}

/** Why an instance must retire after a fault; undefined when it may serve on. */
export function faultRetireReason(f: InstanceFault): RetireReason | undefined {
  if (f.outcome === 'timeout' || f.outcome === 'oom' || f.outcome === 'crash') return f.outcome;
  return f.initFailed || f.diedIdle ? 'crash' : undefined;
}
