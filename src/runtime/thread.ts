// One execution environment's side of its worker thread (booted-thread.ts) or, under
// `isolation: process`, its child process (booted-process.ts): the init phase, then invocations on
// the instance's own channel, each under its limit.
import type { Worker } from 'node:worker_threads';
import type { BootedEnvironment, InstanceChannel } from './booted-environment.js';
import { busyMemoryWatch, type WatchedThread } from './busy-memory-watch.js';
import { InstanceChildren } from './child-processes.js';
import type { InitResult, InvokeResult, InvokeTask, WorkerBootData, WorkerLogMessage, WorkerPortMessage } from './worker/protocol.js';

/** How a task that did not return ended. */
export type ThreadFailure =
  | { kind: 'timeout' }
  /** `usedMb`: the memory in use that was measured over the limit (unknown when V8's own cap ended the thread). */
  | { kind: 'oom'; usedMb?: number }
  | { kind: 'crash'; errorType: string; message: string };

/** A task's value or the way the thread failed. */
export type ThreadOutcome<T> = { ok: true; value: T } | { ok: false; failure: ThreadFailure };

/** Lambda's words for a runtime that ended: `Runtime exited with error: <what>`. */
export function exitFailure(what: string): ThreadFailure {
  return { kind: 'crash', errorType: 'Runtime.ExitError', message: `Runtime exited with error: ${what}` };
}

/** A death its environment has already read as the failure it means (a child process's exit). */
export class EnvironmentDeath extends Error {
  constructor(readonly failure: ThreadFailure) {
    super(failure.kind === 'crash' ? failure.message : failure.kind);
  }
}

const GONE = exitFailure('the environment is gone');

/** The worker thread (or child process) of one instance. */
export class InstanceThread implements WatchedThread {
  private readonly onLog: (msg: WorkerLogMessage) => void;
  private channel: InstanceChannel | null = null;
  private pending: ((outcome: ThreadOutcome<InvokeResult>) => void) | null = null;
  readonly memoryMb: number;
  private destroyed = false;
  private timedOut = false;
  /** Memory the worker reported over the limit, MB: the environment is being ended for it. */
  private overMemoryMb: number | null = null;
  /** The init task is running (piscina reports its failure) or a run already failed. */
  private deathReported = false;
  /** Child processes the handler started (in a thread; a process's are ended with its process group). */
  private readonly children = new InstanceChildren();

  constructor(
    private readonly thread: BootedEnvironment,
    private readonly boot: WorkerBootData,
    private readonly env: Record<string, string>,
    onLog: (msg: WorkerLogMessage) => void,
    onDeath: () => void,
  ) {
    this.onLog = onLog;
    this.memoryMb = thread.memoryMb;
    // Invocations are not piscina tasks, so their thread's death is seen on the Worker itself. A
    // death with no invocation running (a throw or exit in a timer between invocations) ends the
    // environment too.
    thread.whenDead((err) => {
      const settle = this.pending;
      this.pending = null;
      if (settle) settle({ ok: false, failure: this.classify(err) });
      else if (!this.destroyed && !this.deathReported) onDeath();
      this.deathReported = true;
    });
  }

  /**
   * Runs the init phase; `limitMs` aborts it (killing the thread) when exceeded. The limit counts
   * from the thread's start: a turn waited at the boot gate is this machine's, not the function's.
   */
  async init(limitMs: number, measureCpu: boolean): Promise<ThreadOutcome<InitResult>> {
    await this.thread.started;
    if (this.thread.gone || this.destroyed) return { ok: false, failure: GONE };
    return this.runInit(limitMs, measureCpu);
  }

  private runInit(limitMs: number, measureCpu: boolean): Promise<ThreadOutcome<InitResult>> {
    this.deathReported = true;
    return this.limited(limitMs, async () => {
      const { result, channel } = this.thread.startInit({ measureCpu, boot: this.boot, env: this.env }, (m) => this.onPortMessage(m));
      this.channel = channel;
      try {
        const value = await result;
        this.deathReported = false;
        return { ok: true, value };
      } catch (err) {
        return { ok: false, failure: this.classify(err) };
      }
    });
  }

  /** Runs one invocation; `limitMs` is the function timeout. */
  invoke(task: Omit<InvokeTask, 'kind'>, limitMs: number): Promise<ThreadOutcome<InvokeResult>> {
    const channel = this.channel;
    if (!channel || this.destroyed) return Promise.resolve({ ok: false, failure: GONE });
    return this.limited(limitMs, () => new Promise<ThreadOutcome<InvokeResult>>((resolve) => {
      this.pending = resolve;
      channel.send({ kind: 'invoke', ...task } satisfies InvokeTask);
    }));
  }

  private onPortMessage(m: WorkerPortMessage): void {
    if (m.kind === 'log') {
      this.onLog(m);
      return;
    }
    if (m.kind === 'child-process') {
      this.children.record(m.pid, m.exited);
      return;
    }
    // Over the memory size, with external memory counted: Lambda kills the environment, so the
    // result (if any) is dropped and the thread's exit settles the invocation as out of memory.
    const usedMb = m.kind === 'memory-exceeded' ? m.usedMb : m.result.memoryUsedMb;
    if (usedMb > this.memoryMb) {
      this.overMemoryMb = usedMb;
      void this.destroy();
      return;
    }
    if (m.kind !== 'result') return;
    const settle = this.pending;
    this.pending = null;
    settle?.({ ok: true, value: m.result });
  }

  // On timeout the thread is terminated, as Lambda resets the environment; its exit settles the run.
  private async limited<T>(limitMs: number, run: () => Promise<ThreadOutcome<T>>): Promise<ThreadOutcome<T>> {
    this.timedOut = false;
    const timer = setTimeout(() => {
      this.timedOut = true;
      void this.destroy();
    }, limitMs);
    busyMemoryWatch.add(this);
    try {
      return await run();
    } finally {
      clearTimeout(timer);
      busyMemoryWatch.delete(this);
    }
  }

  /** The thread, once started (busy-memory-watch.ts). */
  worker(): Worker | undefined {
    return this.thread.worker();
  }

  /** The process, under `isolation: process` (busy-memory-watch.ts). */
  pid(): number | undefined {
    return this.thread.pid();
  }

  /** Over the memory size, as measured while synchronous code ran: ended like any instance over it. */
  overMemory(usedMb: number): void {
    if (this.destroyed) return;
    this.overMemoryMb = usedMb;
    void this.destroy();
  }

  private classify(err: unknown): ThreadFailure {
    const e = err as { code?: string; name?: string; message?: string };
    if (this.timedOut) return { kind: 'timeout' };
    if (this.overMemoryMb !== null) return { kind: 'oom', usedMb: this.overMemoryMb };
    if (err instanceof EnvironmentDeath) return err.failure;
    if (e?.code === 'ERR_WORKER_OUT_OF_MEMORY') return { kind: 'oom' };
    // piscina's words (and booted-thread.ts's) for a thread that exited.
    const exit = /worker exited with code: (\d+)/.exec(e?.message ?? '');
    if (exit) return exitFailure(`exit status ${exit[1]}`);
    return { kind: 'crash', errorType: e?.name ?? 'Error', message: `Runtime exited with error: ${e?.message ?? String(err)}` };
  }

  /** Terminates the thread; safe to call twice. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.channel?.close();
    // First: shutdown does not wait for the thread's end, and the process may be gone by then.
    this.children.killAll();
    await this.thread.destroy();
  }
}
