// A Node worker thread for one execution environment, before and after it becomes one: piscina
// starts it (a pool of exactly one thread, so module state is never shared) with an empty
// environment and V8's heap capped above a memory size (memory/heap-caps.ts). It knows no function
// until an instance sends it the init task, so it can be booted ahead of need
// (spare-environments.ts).
import { MessageChannel, type TransferListItem, type Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { threadResourceLimits } from './memory/heap-caps.js';
import { BootedBase, type BootedEnvironment, type InstanceChannel } from './booted-environment.js';
import type { InitRequest, InitResult, InitTask, PrepareTask, ThreadTask, WorkerPortMessage } from './worker/protocol.js';

const ENTRY = new URL('./worker/entry.js', import.meta.url).href;

/** One booted (or booting) instance thread. */
export class BootedThread extends BootedBase implements BootedEnvironment {
  private pool: Piscina | null = null;

  protected boot(): void {
    this.pool = this.startPool();
  }

  private startPool(): Piscina {
    // The new thread inherits the scheduling policy of this one (see batch-scheduling.ts).
    this.resources.beforeBoot();
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
      env: {},
      resourceLimits: threadResourceLimits(this.memoryMb),
    });
    const worker = pool.threads[0];
    // Node's own bootstrap is the CPU-bound part; the handler's init (which may wait on the network)
    // must not hold up other instances' threads.
    if (worker) worker.once('online', this.releaseStart);
    else this.releaseStart();
    worker?.on('error', (error) => this.death.record({ kind: 'error', error }));
    worker?.on('exit', (code) => {
      this.releaseStart();
      this.death.record({ kind: 'thread-exit', code });
    });
    // piscina re-emits a thread error that happened outside its tasks; the listener above handles it.
    pool.on('error', () => undefined);
    return pool;
  }

  /** Waits until the thread has booted and loaded its entry module; false when it did not. */
  async prepare(): Promise<boolean> {
    await this.started;
    try {
      await this.run({ kind: 'prepare' } satisfies PrepareTask);
      return !this.gone;
    } catch {
      return false;
    }
  }

  /**
   * The init phase as a piscina task; invocations then travel on a MessageChannel of the instance's
   * own (why: worker/entry.ts, `run`).
   */
  startInit(request: InitRequest, onMessage: (m: WorkerPortMessage) => void): { result: Promise<InitResult>; channel: InstanceChannel } {
    const { port1, port2 } = new MessageChannel();
    port1.on('message', onMessage);
    // The emulator's lifetime is not tied to an idle instance.
    port1.unref();
    const task: InitTask = { kind: 'init', port: port2, ...request };
    return {
      result: this.run(task, [port2]) as Promise<InitResult>,
      channel: { send: (t) => port1.postMessage(t), close: () => port1.close() },
    };
  }

  /** Runs a piscina task on the thread (it waits for the boot gate first). */
  private async run(task: ThreadTask, transferList?: TransferListItem[]): Promise<unknown> {
    await this.started;
    if (!this.pool || this.destroyed) throw new Error('the thread was destroyed');
    return this.pool.run(task, transferList ? { transferList } : {});
  }

  /** The Node worker, once started. */
  worker(): Worker | undefined {
    return this.pool?.threads[0];
  }

  /** A thread has no process of its own. */
  pid(): undefined {
    return undefined;
  }

  /** Terminates the thread; safe to call twice. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.releaseStart();
    await this.pool?.destroy().catch(() => undefined);
  }
}
