// One execution environment's worker thread. piscina starts it (a pool of exactly one thread, so
// module state is never shared, with V8's heap capped above the function's memory size) and runs the
// init phase as its task; invocations then use a MessageChannel of the instance's own.
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { useBatchScheduling } from './batch-scheduling.js';
import { busyMemoryWatch, type WatchedThread } from './busy-memory-watch.js';
import { threadStarts } from './thread-gate.js';
import type { InitResult, InitTask, InvokeResult, InvokeTask, WorkerBootData, WorkerLogMessage, WorkerPortMessage } from './worker/protocol.js';

const ENTRY = new URL('./worker/entry.js', import.meta.url).href;

/** How a task that did not return ended. */
export type ThreadFailure =
  | { kind: 'timeout' }
  /** `usedMb`: the memory in use that was measured over the limit (unknown when V8's own cap ended the thread). */
  | { kind: 'oom'; usedMb?: number }
  | { kind: 'crash'; errorType: string; message: string };

/** A task's value or the way the thread failed. */
export type ThreadOutcome<T> = { ok: true; value: T } | { ok: false; failure: ThreadFailure };

/**
 * V8's heap cap above the memory size, MB. When one step (a builtin filling or growing a large
 * array, JSON.stringify of a big value) crosses V8's cap, Node 20 aborts the whole process, not
 * the thread: at a cap equal to 128 MB, 6 of 7 large-allocation one-liners measured here did.
 * With this headroom all 7 were caught; memorySize itself is measured in the thread
 * (worker/memory.ts), also while it runs synchronous code (busy-memory-watch.ts), so this cap
 * is only the last stop, for a built-in that allocates past memorySize without returning.
 */
const HEAP_HEADROOM_MB = 1024;

const GONE: ThreadFailure = { kind: 'crash', errorType: 'Runtime.ExitError', message: 'Runtime exited with error: the environment is gone' };

/** The worker thread of one instance. */
export class InstanceThread implements WatchedThread {
  private pool: Piscina | null = null;
  /** Settles once the thread was started (after waiting its turn at the boot gate) or destroyed first. */
  private readonly started: Promise<void>;
  private releaseStart: () => void = () => undefined;
  private readonly onLog: (msg: WorkerLogMessage) => void;
  private port: MessagePort | null = null;
  private pending: ((outcome: ThreadOutcome<InvokeResult>) => void) | null = null;
  readonly memoryMb: number;
  private destroyed = false;
  private timedOut = false;
  /** Memory the worker reported over the limit, MB: the environment is being ended for it. */
  private overMemoryMb: number | null = null;
  /** The init task is running (piscina reports its failure) or a run already failed. */
  private deathReported = false;

  constructor(boot: WorkerBootData, env: Record<string, string>, memoryMb: number, onLog: (msg: WorkerLogMessage) => void, onDeath: () => void) {
    this.onLog = onLog;
    this.memoryMb = memoryMb;
    this.started = threadStarts.acquire().then((release) => {
      this.releaseStart = release;
      if (this.destroyed) release();
      else this.pool = this.startPool(boot, env, onDeath);
    });
  }

  private startPool(boot: WorkerBootData, env: Record<string, string>, onDeath: () => void): Piscina {
    // The new thread inherits the policy of this one (see batch-scheduling.ts).
    useBatchScheduling();
    const pool = new Piscina({
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
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb + HEAP_HEADROOM_MB },
    });
    // Invocations are not piscina tasks, so their thread's death is seen on the Worker itself. A
    // death with no invocation running (a throw or exit in a timer between invocations) ends the
    // environment too.
    const die = (err: unknown) => {
      const settle = this.pending;
      this.pending = null;
      if (settle) settle({ ok: false, failure: this.classify(err) });
      else if (!this.destroyed && !this.deathReported) onDeath();
      this.deathReported = true;
    };
    const worker = pool.threads[0];
    // Node's own bootstrap is the CPU-bound part; the handler's init (which may wait on the network)
    // must not hold up other instances' threads.
    if (worker) worker.once('online', this.releaseStart);
    else this.releaseStart();
    worker?.on('error', die);
    worker?.on('exit', (code) => {
      this.releaseStart();
      die(new Error(`worker exited with code: ${code}`));
    });
    // piscina re-emits a thread error that happened outside its tasks; the listener above handles it.
    pool.on('error', () => undefined);
    return pool;
  }

  /**
   * Runs the init phase; `limitMs` aborts it (killing the thread) when exceeded. The limit counts
   * from the thread's start: a turn waited at the boot gate is this machine's, not the function's.
   */
  async init(limitMs: number, measureCpu: boolean): Promise<ThreadOutcome<InitResult>> {
    await this.started;
    const pool = this.pool;
    if (!pool || this.destroyed) return { ok: false, failure: GONE };
    return this.runInit(pool, limitMs, measureCpu);
  }

  private runInit(pool: Piscina, limitMs: number, measureCpu: boolean): Promise<ThreadOutcome<InitResult>> {
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (m: WorkerPortMessage) => this.onPortMessage(m));
    // The emulator's lifetime is not tied to an idle instance.
    port1.unref();
    this.port = port1;
    const task: InitTask = { kind: 'init', port: port2, measureCpu };
    this.deathReported = true;
    return this.limited(limitMs, async () => {
      try {
        const value = (await pool.run(task, { transferList: [port2] })) as InitResult;
        this.deathReported = false;
        return { ok: true, value };
      } catch (err) {
        return { ok: false, failure: this.classify(err) };
      }
    });
  }

  /** Runs one invocation; `limitMs` is the function timeout. */
  invoke(task: Omit<InvokeTask, 'kind'>, limitMs: number): Promise<ThreadOutcome<InvokeResult>> {
    const port = this.port;
    if (!port || this.destroyed) return Promise.resolve({ ok: false, failure: GONE });
    return this.limited(limitMs, () => new Promise<ThreadOutcome<InvokeResult>>((resolve) => {
      this.pending = resolve;
      port.postMessage({ kind: 'invoke', ...task } satisfies InvokeTask);
    }));
  }

  private onPortMessage(m: WorkerPortMessage): void {
    if (m.kind === 'log') {
      this.onLog(m);
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
    return this.pool?.threads[0];
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
    if (e?.code === 'ERR_WORKER_OUT_OF_MEMORY') return { kind: 'oom' };
    const exit = /worker exited with code: (\d+)/.exec(e?.message ?? '');
    if (exit) return { kind: 'crash', errorType: 'Runtime.ExitError', message: `Runtime exited with error: exit status ${exit[1]}` };
    return { kind: 'crash', errorType: e?.name ?? 'Error', message: `Runtime exited with error: ${e?.message ?? String(err)}` };
  }

  /** Terminates the thread; safe to call twice. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.releaseStart();
    this.port?.close();
    await this.pool?.destroy().catch(() => undefined);
  }
}
