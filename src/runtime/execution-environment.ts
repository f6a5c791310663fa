// One execution environment, as its instance drives it: a worker thread (booted-thread.ts) or,
// under `isolation: process`, a child process (booted-process.ts). It runs the init phase, then
// invocations on the instance's own channel, each under its limit.
import type { Worker } from 'node:worker_threads';
import type { BootedEnvironment, InstanceChannel } from './booted-environment.js';
import type { BusyMemoryWatch, WatchedEnvironment } from './memory/busy-memory-watch.js';
import { InstanceChildren } from './child-processes.js';
import { classifyDeath, endedByEmulator, ENVIRONMENT_GONE, type DeathCause, type EnvironmentFailure, type EnvironmentOutcome } from './environment-death.js';
import type { InitResult, InvokeResult, InvokeTask, WorkerBootData, WorkerLogMessage, WorkerPortMessage } from './worker/protocol.js';

/** The execution environment (worker thread or child process) of one instance. */
export class ExecutionEnvironment implements WatchedEnvironment {
  private readonly onLog: (msg: WorkerLogMessage) => void;
  private channel: InstanceChannel | null = null;
  private pending: ((outcome: EnvironmentOutcome<InvokeResult>) => void) | null = null;
  /** Settles the running init task at once when the emulator ends the environment (an invocation's is `pending`). */
  private cutInit: ((failure: EnvironmentFailure) => void) | null = null;
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
    private readonly booted: BootedEnvironment,
    private readonly boot: WorkerBootData,
    private readonly env: Record<string, string>,
    onLog: (msg: WorkerLogMessage) => void,
    onDeath: () => void,
    private readonly memoryWatch: BusyMemoryWatch,
  ) {
    this.onLog = onLog;
    this.memoryMb = booted.memoryMb;
    // Invocations are not piscina tasks, so the environment's death is seen on the thread or
    // process itself. A death with no invocation running (a throw or exit in a timer between
    // invocations) ends the environment too.
    booted.whenDead((cause) => {
      const settle = this.pending;
      this.pending = null;
      if (settle) settle({ ok: false, failure: this.classify(cause) });
      else if (!this.destroyed && !this.deathReported) onDeath();
      this.deathReported = true;
    });
  }

  /**
   * Runs the init phase; `limitMs` aborts it (ending the environment) when exceeded. The limit
   * counts from the environment's start: a turn waited at the boot gate is this machine's, not the
   * function's.
   */
  async init(limitMs: number, measureCpu: boolean): Promise<EnvironmentOutcome<InitResult>> {
    await this.booted.started;
    if (this.booted.gone || this.destroyed) return { ok: false, failure: ENVIRONMENT_GONE };
    return this.runInit(limitMs, measureCpu);
  }

  private runInit(limitMs: number, measureCpu: boolean): Promise<EnvironmentOutcome<InitResult>> {
    this.deathReported = true;
    return this.limited(limitMs, () => {
      const { result, channel } = this.booted.startInit({ measureCpu, boot: this.boot, env: this.env }, (m) => this.onPortMessage(m));
      this.channel = channel;
      const ran = result.then(
        (value): EnvironmentOutcome<InitResult> => {
          this.deathReported = false;
          return { ok: true, value };
        },
        // The thread's or process's own record of its death is the structured one; the task's
        // rejection (piscina's words, for a thread) only stands in when no death was seen.
        (err: unknown): EnvironmentOutcome<InitResult> => ({ ok: false, failure: this.classify(this.booted.deathCause ?? { kind: 'error', error: err }) }),
      );
      const cut = new Promise<EnvironmentOutcome<InitResult>>((resolve) => (this.cutInit = (failure) => resolve({ ok: false, failure })));
      return Promise.race([ran, cut]).finally(() => (this.cutInit = null));
    });
  }

  /** Runs one invocation; `limitMs` is the function timeout. */
  invoke(task: Omit<InvokeTask, 'kind'>, limitMs: number): Promise<EnvironmentOutcome<InvokeResult>> {
    const channel = this.channel;
    if (!channel || this.destroyed) return Promise.resolve({ ok: false, failure: ENVIRONMENT_GONE });
    return this.limited(limitMs, () => new Promise<EnvironmentOutcome<InvokeResult>>((resolve) => {
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
    // result (if any) is dropped and the environment's exit settles the invocation as out of memory.
    const usedMb = m.kind === 'memory-exceeded' ? m.usedMb : m.result.memoryUsedMb;
    if (usedMb > this.memoryMb) {
      this.overMemoryMb = usedMb;
      this.end();
      return;
    }
    if (m.kind !== 'result') return;
    const settle = this.pending;
    this.pending = null;
    settle?.({ ok: true, value: m.result });
  }

  // On timeout the environment is ended, as Lambda resets the environment.
  private async limited<T>(limitMs: number, run: () => Promise<EnvironmentOutcome<T>>): Promise<EnvironmentOutcome<T>> {
    this.timedOut = false;
    const timer = setTimeout(() => {
      this.timedOut = true;
      this.end();
    }, limitMs);
    this.memoryWatch.add(this);
    try {
      return await run();
    } finally {
      clearTimeout(timer);
      this.memoryWatch.delete(this);
    }
  }

  /**
   * Ends the environment for the emulator's own reason (timeout, memory) and settles the running
   * task at once: a thread whose heap is near V8's cap can take tens of seconds to finish dying
   * (twelve leaking at once on two cores: up to 55 s past their timeout), and Lambda answers at
   * the timeout, not when the environment is gone.
   */
  private end(): void {
    const failure = endedByEmulator({ timedOut: this.timedOut, overMemoryMb: this.overMemoryMb });
    const settle = this.pending;
    const cutInit = this.cutInit;
    this.pending = null;
    this.cutInit = null;
    void this.destroy();
    if (!failure) return;
    settle?.({ ok: false, failure });
    cutInit?.(failure);
  }

  /** The thread, once started (memory/busy-memory-watch.ts). */
  worker(): Worker | undefined {
    return this.booted.worker();
  }

  /** The process, under `isolation: process` (memory/busy-memory-watch.ts). */
  pid(): number | undefined {
    return this.booted.pid();
  }

  /** Over the memory size, as measured while synchronous code ran: ended like any instance over it. */
  overMemory(usedMb: number): void {
    if (this.destroyed) return;
    this.overMemoryMb = usedMb;
    this.end();
  }

  private classify(cause: DeathCause): EnvironmentFailure {
    return classifyDeath(cause, { timedOut: this.timedOut, overMemoryMb: this.overMemoryMb });
  }

  /** Ends the environment; safe to call twice. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.channel?.close();
    // First: shutdown does not wait for the environment's end, and the process may be gone by then.
    this.children.killAll();
    await this.booted.destroy();
  }
}
