// What an instance needs from the thread or process it runs in (booted-thread.ts,
// booted-process.ts): both are booted knowing no function, and become one with the init request.
import type { Worker } from 'node:worker_threads';
import type { DeathCause } from './environment-death.js';
import type { RuntimeResources } from './runtime-resources.js';
import type { BootPriority } from './boot-gate.js';
import type { InitRequest, InitResult, InvokeTask, WorkerPortMessage } from './worker/protocol.js';

/** The instance's side of its own channel, open once the init phase has started. */
export interface InstanceChannel {
  send(task: InvokeTask): void;
  close(): void;
}

/** How a thread or process ended, kept until someone listens (it may die while nobody owns it). */
class DeathNotice {
  private death: DeathCause | null = null;
  private listener: ((cause: DeathCause) => void) | null = null;

  /** Records the first death and tells the listener; a later one is ignored. */
  record(cause: DeathCause): void {
    if (this.death) return;
    this.death = cause;
    this.listener?.(cause);
  }

  /** Hands the death to `listener`, at once if it already happened. */
  listen(listener: (cause: DeathCause) => void): void {
    this.listener = listener;
    if (this.death) listener(this.death);
  }

  /** What it died of; undefined while alive. */
  get cause(): DeathCause | undefined {
    return this.death ?? undefined;
  }

  /** True once it died. */
  get happened(): boolean {
    return this.death !== null;
  }
}

/** A booted (or booting) thread or process for one execution environment. */
export interface BootedEnvironment {
  readonly memoryMb: number;
  /** Settles once booting began (after the boot gate) or the environment was destroyed first. */
  readonly started: Promise<void>;
  /** True once it died or was destroyed. */
  readonly gone: boolean;
  /** Hands its death (an error or exit) to `listener`, at once if it already died. */
  whenDead(listener: (cause: DeathCause) => void): void;
  /** What it died of (environment-death.ts classifies it); undefined while alive. */
  readonly deathCause: DeathCause | undefined;
  /** Waits until it has booted and loaded the runtime entry; false when it did not. */
  prepare(): Promise<boolean>;
  /** Opens the instance's channel and runs the init phase; `onMessage` gets what the environment posts. */
  startInit(request: InitRequest, onMessage: (m: WorkerPortMessage) => void): { result: Promise<InitResult>; channel: InstanceChannel };
  /** The Node worker, for a thread once started (the busy-memory watch measures it through it). */
  worker(): Worker | undefined;
  /** The process id, for a process once started (the busy-memory watch reads its memory). */
  pid(): number | undefined;
  /** Ends it; safe to call twice. */
  destroy(): Promise<void>;
}

/** What a thread and a process share: their turn at the boot gate, and how they end. */
export abstract class BootedBase {
  /** Settles once booting began (after the boot gate) or the environment was destroyed first. */
  readonly started: Promise<void>;
  /** Frees the boot gate's slot; safe to call twice. */
  protected releaseStart: () => void = () => undefined;
  protected destroyed = false;
  protected readonly death = new DeathNotice();

  constructor(
    readonly memoryMb: number,
    priority: BootPriority,
    protected readonly resources: Pick<RuntimeResources, 'bootGate' | 'beforeBoot'>,
  ) {
    this.started = resources.bootGate.acquire(priority).then((release) => {
      this.releaseStart = release;
      if (this.destroyed) release();
      else this.boot();
    });
  }

  /** Starts the thread or process, once the boot gate gave it a slot. */
  protected abstract boot(): void;

  /** Hands its death (an error or exit) to `listener`, at once if it already died. */
  whenDead(listener: (cause: DeathCause) => void): void {
    this.death.listen(listener);
  }

  /** What it died of; undefined while alive. */
  get deathCause(): DeathCause | undefined {
    return this.death.cause;
  }

  /** True once it died or was destroyed. */
  get gone(): boolean {
    return this.destroyed || this.death.happened;
  }
}
