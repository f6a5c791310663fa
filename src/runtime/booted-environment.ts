// What an instance needs from the thread or process it runs in (booted-thread.ts,
// booted-process.ts): both are booted knowing no function, and become one with the init request.
import type { Worker } from 'node:worker_threads';
import type { InitRequest, InitResult, InvokeTask, WorkerPortMessage } from './worker/protocol.js';

/** The instance's side of its own channel, open once the init phase has started. */
export interface InstanceChannel {
  send(task: InvokeTask): void;
  close(): void;
}

/** A booted (or booting) thread or process for one execution environment. */
export interface BootedEnvironment {
  readonly memoryMb: number;
  /** Settles once booting began (after the boot gate) or the environment was destroyed first. */
  readonly started: Promise<void>;
  /** True once it died or was destroyed. */
  readonly gone: boolean;
  /** Hands its death (an error or exit) to `listener`, at once if it already died. */
  whenDead(listener: (err: unknown) => void): void;
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
