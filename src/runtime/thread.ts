// One execution environment's worker thread, through piscina: a pool of exactly one thread, so
// module state is never shared, with the heap capped at the function's memory size.
import { Piscina } from 'piscina';
import type { InitResult, InvokeResult, InvokeTask, WorkerBootData, WorkerLogMessage } from './worker/protocol.js';

const ENTRY = new URL('./worker/entry.js', import.meta.url).href;

/** How a task that did not return ended. */
export type ThreadFailure = { kind: 'timeout' } | { kind: 'oom'; message: string } | { kind: 'crash'; errorType: string; message: string };

/** A task's value or the way the thread failed. */
export type ThreadOutcome<T> = { ok: true; value: T } | { ok: false; failure: ThreadFailure };

/** The worker thread of one instance. */
export class InstanceThread {
  private readonly pool: Piscina;
  private destroyed = false;
  private timedOut = false;

  constructor(boot: WorkerBootData, env: Record<string, string>, memoryMb: number, onLog: (msg: WorkerLogMessage) => void, onDeath: () => void) {
    this.pool = new Piscina({
      filename: ENTRY,
      minThreads: 1,
      maxThreads: 1,
      concurrentTasksPerWorker: 1,
      // Atomics would block the worker's event loop between invocations, freezing handlers' timers.
      atomics: 'disabled',
      idleTimeout: 2 ** 31 - 1,
      // Piscina's run/wait-time histograms are native memory that outlives a destroyed pool
      // (~250 KB per instance: RSS grew by 100 MB per 400 instances); nothing here reads them.
      recordTiming: false,
      env,
      workerData: boot,
      resourceLimits: { maxOldGenerationSizeMb: memoryMb },
    });
    this.pool.on('message', (msg: WorkerLogMessage) => {
      if (msg && msg.kind === 'log') onLog(msg);
    });
    // An error outside any task (a throw in a timer between invocations) kills the environment.
    this.pool.on('error', () => {
      if (!this.destroyed) onDeath();
    });
  }

  /** Runs the init phase; `limitMs` aborts it (killing the thread) when exceeded. */
  init(limitMs: number): Promise<ThreadOutcome<InitResult>> {
    return this.run<InitResult>({ kind: 'init' }, limitMs);
  }

  /** Runs one invocation; `limitMs` is the function timeout. */
  invoke(task: Omit<InvokeTask, 'kind'>, limitMs: number): Promise<ThreadOutcome<InvokeResult>> {
    return this.run<InvokeResult>({ kind: 'invoke', ...task }, limitMs);
  }

  private async run<T>(task: object, limitMs: number): Promise<ThreadOutcome<T>> {
    this.timedOut = false;
    // On timeout the thread is terminated (destroying the pool rejects the running task), as
    // Lambda resets the environment; no AbortSignal is set up per invocation.
    const timer = setTimeout(() => {
      this.timedOut = true;
      void this.destroy();
    }, limitMs);
    try {
      return { ok: true, value: (await this.pool.run(task)) as T };
    } catch (err) {
      return { ok: false, failure: this.classify(err) };
    } finally {
      clearTimeout(timer);
    }
  }

  private classify(err: unknown): ThreadFailure {
    const e = err as { code?: string; name?: string; message?: string };
    if (this.timedOut) return { kind: 'timeout' };
    if (e?.code === 'ERR_WORKER_OUT_OF_MEMORY') return { kind: 'oom', message: e.message ?? 'out of memory' };
    const exit = /worker exited with code: (\d+)/.exec(e?.message ?? '');
    if (exit) return { kind: 'crash', errorType: 'Runtime.ExitError', message: `Runtime exited with error: exit status ${exit[1]}` };
    return { kind: 'crash', errorType: e?.name ?? 'Error', message: `Runtime exited with error: ${e?.message ?? String(err)}` };
  }

  /** Terminates the thread; safe to call twice. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    await this.pool.destroy().catch(() => undefined);
  }
}
