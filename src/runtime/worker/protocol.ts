// Messages between an instance (main thread) and its worker thread or child process. Both sides
// import this file.
import type { FunctionErrorPayload } from '../../types/runtime.js';

/**
 * `Symbol.for` key of the function a thread installs on its global object to measure its own
 * memory, which the main thread calls through the inspector while the thread runs synchronous code.
 */
export const MEMORY_PROBE_KEY = 'coldstart.memoryProbe';

/** What makes a booted thread one function's environment (sent with the init task). */
export interface WorkerBootData {
  /** Absolute path of the (compiled) handler module. */
  entryFile: string;
  handlerExport: string;
  /** Fields of the context object that do not change per invocation. */
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  instanceId: string;
}

/**
 * Whether to read the thread's CPU clock around a task. Only the cold-start model uses CPU time
 * (not `--cold-start off`), and on Linux each reading is a /proc read that cost 13-26 µs per
 * invocation under load here.
 */
interface CpuMeasured {
  measureCpu: boolean;
}

/**
 * The instance's own channel, as the environment sees it: a MessagePort in a thread, the IPC
 * channel in a child process (process-entry.ts).
 */
export interface InstancePort {
  on(event: 'message', listener: (task: InvokeTask) => void): unknown;
  postMessage(message: WorkerPortMessage): void;
}

/** What the init phase needs, whichever way it travels (booted-environment.ts). */
export interface InitRequest extends CpuMeasured {
  boot: WorkerBootData;
  /** The instance's whole environment, which replaces the thread's empty one. */
  env: Record<string, string>;
}

/** Load the handler module (the init phase); `port` then carries invocations and log lines. */
export interface InitTask extends InitRequest {
  kind: 'init';
  port: InstancePort;
}

/** Does nothing: it returns once the thread has booted and loaded its entry module. */
export interface PrepareTask {
  kind: 'prepare';
}

/** A piscina task (the only two there are). */
export type ThreadTask = InitTask | PrepareTask;

/** Run the handler once (sent on the instance's own port, not as a piscina task). */
export interface InvokeTask extends CpuMeasured {
  kind: 'invoke';
  requestId: string;
  eventJson: string;
  /** Epoch ms at which the function times out (getRemainingTimeInMillis). */
  deadline: number;
  clientContext?: unknown;
}


/** CPU and wall time of a task, measured inside the worker thread. */
export interface TaskTiming {
  cpuMs: number;
  /** Time the thread was runnable but waited for a CPU of this machine (0 when not measured). */
  queuedMs: number;
  wallMs: number;
  /** How the CPU time was measured ('thread' = the thread's own CPU clock). */
  cpuClock: 'thread' | 'event-loop';
}

/** Result of the init task. */
export interface InitResult extends TaskTiming {
  error?: FunctionErrorPayload;
  /** Log lines the init phase posted. */
  logCount: number;
}

/** Result of an invoke task. */
export interface InvokeResult extends TaskTiming {
  /** JSON text of the handler's result (when it succeeded). */
  resultJson?: string;
  error?: FunctionErrorPayload;
  /** Heap plus external memory (Buffers, ArrayBuffers) in use at the end of the invocation, MB. */
  memoryUsedMb: number;
}

/** An invocation's result, posted on the instance port after the invocation's log lines. */
export interface WorkerResultMessage {
  kind: 'result';
  result: InvokeResult;
}

/** A log line posted from the worker (on the instance port, so it precedes its invocation's result). */
export interface WorkerLogMessage {
  kind: 'log';
  requestId?: string;
  level: string;
  message: string;
  time: number;
}

/** The running invocation's heap plus external memory passed the function's memory size. */
export interface WorkerMemoryMessage {
  kind: 'memory-exceeded';
  usedMb: number;
}

/** The handler started a child process, or one it started exited (a thread's children end with its instance). */
export interface WorkerChildMessage {
  kind: 'child-process';
  pid: number;
  exited: boolean;
}

/** Anything the worker posts on the instance port. */
export type WorkerPortMessage = WorkerLogMessage | WorkerResultMessage | WorkerMemoryMessage | WorkerChildMessage;

/** What the emulator sends an instance's child process (`isolation: process`, process-entry.ts). */
export type ProcessInbound = (InitRequest & { kind: 'init' }) | InvokeTask;

/**
 * What an instance's child process sends the emulator: its port's messages, then `ready` once
 * booted, the init task's result, and `fatal` (an uncaught error) just before it exits.
 */
export type ProcessOutbound =
  | WorkerPortMessage
  | { kind: 'ready' }
  | { kind: 'init-done'; result: InitResult }
  | { kind: 'fatal'; name: string; message: string };
