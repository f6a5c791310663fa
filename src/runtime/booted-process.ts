// A child process for one execution environment (`isolation: process`). In a worker thread, an
// allocation V8 cannot fit under its cap aborts the whole emulator (Node 20 has no per-thread
// answer to a fatal out-of-memory), so a thread's cap sits 1 GB above its memory size and the
// memory size is judged by measuring. A process of its own can be capped at the memory size
// itself: whatever crosses it, in however large a step, ends that process alone, as Lambda ends
// the environment. It runs the thread's runtime (worker/entry.ts) behind worker/process-entry.ts.
import { fork, type ChildProcess } from 'node:child_process';
import { processHeapFlags } from './memory/heap-caps.js';
import { BootedBase, type BootedEnvironment, type InstanceChannel } from './booted-environment.js';
import type { DeathCause } from './environment-death.js';
import type { RuntimeResources } from './runtime-resources.js';
import type { BootPriority } from './boot-gate.js';
import type { InitRequest, InitResult, ProcessInbound, ProcessOutbound, WorkerPortMessage } from './worker/protocol.js';

const ENTRY = new URL('./worker/process-entry.js', import.meta.url);

/** How much of the end of the process's stderr is kept to tell why it died, bytes. */
const STDERR_TAIL = 4096;
/**
 * How long after its exit the process's last words are awaited, ms: V8's report on stderr and an
 * uncaught error sent over IPC may still be in their pipes when the exit is seen. A process the
 * handler started can hold stderr open, so the wait is bounded.
 */
const LAST_WORDS_MS = 250;

/** One booted (or booting) instance process. */
export class BootedProcess extends BootedBase implements BootedEnvironment {
  private child: ChildProcess | null = null;
  /** Settles true once the process has loaded its runtime entry, false if it died first. */
  private readonly ready: Promise<boolean>;
  private markReady: (ok: boolean) => void = () => undefined;
  private onPortMessage: ((m: WorkerPortMessage) => void) | null = null;
  private pendingInit: { resolve: (r: InitResult) => void; reject: (err: unknown) => void } | null = null;
  private stderrTail = '';
  /** V8's report of a fatal error has begun: the rest of stderr is its dump, not the handler's output. */
  private fatalDump = false;
  private fatal: { name: string; message: string } | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(memoryMb: number, priority: BootPriority, resources: Pick<RuntimeResources, 'bootGate' | 'beforeBoot'>) {
    super(memoryMb, priority, resources);
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  protected boot(): void {
    this.child = this.spawn();
  }

  private spawn(): ChildProcess {
    // The process inherits the scheduling policy of this thread, as a thread does (see batch-scheduling.ts).
    this.resources.beforeBoot();
    const child = fork(ENTRY, [], {
      // The function's environment arrives with the init request, as it does for a thread.
      env: {},
      // Not the emulator's own flags (a test runner's, an inspector's): a Lambda runtime has none.
      execArgv: processHeapFlags(this.memoryMb),
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      // A process group of its own: whatever the handler starts is ended with the instance, as
      // Lambda ends the whole sandbox (and a Ctrl-C in the terminal reaches the emulator alone,
      // which then retires every instance).
      detached: true,
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.stderr?.on('data', (chunk: Buffer) => this.onStderr(chunk.toString()));
    child.on('message', (m: ProcessOutbound) => this.onMessage(m));
    child.on('error', (error) => this.die({ kind: 'error', error }));
    const lastWords = Promise.all([
      new Promise((resolve) => (child.stderr ? child.stderr.once('close', resolve) : resolve(null))),
      new Promise((resolve) => child.once('disconnect', resolve)),
    ]);
    child.on('exit', (code, signal) => {
      // The runtime is gone (a crash, an exit): so is everything it started.
      killGroup(child.pid);
      const bound = new Promise((resolve) => setTimeout(resolve, LAST_WORDS_MS).unref());
      void Promise.race([lastWords, bound]).then(() => this.die({ kind: 'process-exit', code, signal, stderrTail: this.stderrTail, uncaught: this.fatal }));
    });
    // The emulator's lifetime is not tied to an idle instance.
    child.unref();
    child.channel?.unref();
    return child;
  }

  private onStderr(text: string): void {
    this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL);
    if (!this.fatalDump && /<--- Last few GCs --->|FATAL ERROR:|Fatal JavaScript/.test(text)) this.fatalDump = true;
    // What the handler writes to stderr reaches the emulator's, as a thread's does.
    if (!this.fatalDump) process.stderr.write(text);
  }

  private onMessage(m: ProcessOutbound): void {
    switch (m.kind) {
      case 'ready':
        this.releaseStart();
        this.markReady(true);
        return;
      case 'init-done': {
        const pending = this.pendingInit;
        this.pendingInit = null;
        pending?.resolve(m.result);
        return;
      }
      case 'fatal':
        // The process exits right after saying so. It is dead from now on, so no invocation is
        // sent to it in the moment before its exit is seen.
        this.fatal = { name: m.name, message: m.message };
        this.die({ kind: 'process-exit', code: null, signal: null, stderrTail: this.stderrTail, uncaught: this.fatal });
        return;
      default:
        this.onPortMessage?.(m);
    }
  }

  // What the process left behind is classified by environment-death.ts, as a thread's is.
  private die(cause: DeathCause): void {
    this.releaseStart();
    this.markReady(false);
    // The init task waiting on it fails first, as a thread's piscina task does.
    const pending = this.death.happened ? null : this.pendingInit;
    this.pendingInit = null;
    pending?.reject(cause);
    this.death.record(cause);
  }

  /** Waits until the process has booted and loaded its entry module; false when it did not. */
  async prepare(): Promise<boolean> {
    await this.started;
    return (await this.ready) && !this.gone;
  }

  /** Sends the init request once the process is ready; invocations then go over the same IPC channel. */
  startInit(request: InitRequest, onMessage: (m: WorkerPortMessage) => void): { result: Promise<InitResult>; channel: InstanceChannel } {
    this.onPortMessage = onMessage;
    const result = this.prepare().then(
      (ok) =>
        new Promise<InitResult>((resolve, reject) => {
          if (!ok || !this.child) {
            reject(this.death.cause ?? new Error('the process was destroyed'));
            return;
          }
          this.pendingInit = { resolve, reject };
          this.post({ kind: 'init', ...request });
        }),
    );
    return {
      result,
      channel: { send: (t) => this.post(t), close: () => (this.onPortMessage = null) },
    };
  }

  private post(m: ProcessInbound): void {
    if (this.child?.connected) this.child.send(m);
  }

  /** A process has no Worker; V8's cap and its resident memory stand in for the inspector (memory/busy-memory-watch.ts). */
  worker(): undefined {
    return undefined;
  }

  /** The process id, once spawned. */
  pid(): number | undefined {
    return this.child?.pid;
  }

  /** Kills the process, as Lambda resets an environment; safe to call twice. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.releaseStart();
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      killGroup(this.child.pid);
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

/** Kills an instance's process group (its runtime and whatever the handler started). */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Nothing left in it.
  }
}
