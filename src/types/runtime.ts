// Types of the invocation service shared by every front end (gateway, Lambda API, SQS, schedules, CLI).
import type { FunctionConfig, InitType } from './config.js';

/** Lifecycle state of an execution environment. */
export type InstanceState = 'initializing' | 'idle' | 'busy' | 'retired';

/**
 * Who may ask for an invocation, by name. The Lambda API and the command line are named here; each
 * event source adds its own name from its folder (`declare module '../types/runtime.js'`).
 */
export interface InvocationSources {
  'lambda-api': true;
  cli: true;
}

/** Who asked for an invocation. */
export type InvocationSource = keyof InvocationSources & string;

/** How an invocation ended. */
export type InvocationOutcome = 'success' | 'error' | 'timeout' | 'crash' | 'oom';

/** Why an instance was retired. */
export type RetireReason = 'idle' | 'timeout' | 'crash' | 'oom' | 'reload' | 'shutdown';

/** Lambda's throttle reasons (ThrottleReason in the Lambda API). */
export type ThrottleReason = 'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded';

/** A function error as the Node.js runtime reports it. */
export interface FunctionErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/** One synchronous invocation. */
export interface InvocationRequest {
  /** Short or long (`service-stage-fn`) name. */
  functionName: string;
  /** The event, as JSON text. */
  payloadJson: string;
  source: InvocationSource;
  /** Decoded X-Amz-Client-Context, if any. */
  clientContext?: unknown;
  /** Request id to use; one is generated when absent. */
  requestId?: string;
}

/** The figures of an invocation's REPORT line, shared by its result and its invoke.end event. */
export interface InvocationFigures {
  function: string;
  instanceId: string;
  requestId: string;
  outcome: InvocationOutcome;
  cold: boolean;
  durationMs: number;
  billedDurationMs: number;
  initDurationMs?: number;
  maxMemoryUsedMb: number;
  memorySizeMb: number;
}

/** What an invocation that ran (or failed to start) produced. */
export interface InvocationCompleted extends InvocationFigures {
  status: 'completed';
  /** The handler's result (or the error payload when `outcome` is not success), as JSON text. */
  payloadJson: string;
  /** Set when the function failed: the error the Node runtime would report. */
  error?: FunctionErrorPayload;
  /** The invocation's log as CloudWatch would show it (START ... REPORT), one entry per line. */
  logLines: string[];
}

/** An invocation refused for lack of concurrency. */
export interface InvocationThrottled {
  status: 'throttled';
  requestId: string;
  function: string;
  reason: ThrottleReason;
}

/** Result of the invocation service. */
export type InvocationResult = InvocationCompleted | InvocationThrottled;

/** The spare execution environments, as `GET /__coldstart/state` shows them (under `spareThreads`). */
export interface SpareEnvironmentsStatus {
  /** Spares kept per memory size in use. */
  perMemorySize: number;
  /** The memory sizes (MB) spares are kept for: V8's heap cap is set when an environment starts. */
  memorySizes: number[];
  ready: number;
  booting: number;
  /** Cold starts that took a spare since start-up. */
  taken: number;
}


/** Public view of one instance (state endpoint, console snapshot). */
export interface InstanceSnapshot {
  id: string;
  function: string;
  state: InstanceState;
  initType: InitType;
  codeVersion: number;
  invocations: number;
  /** ms since epoch; creation time until first use. */
  lastUsed: number;
  createdAt: number;
}

/** Public view of one function (state endpoint, console snapshot). */
export interface FunctionSnapshot {
  name: string;
  fullName: string;
  handler: string;
  memorySize: number;
  timeout: number;
  reservedConcurrency: number | null;
  provisionedConcurrency: number;
  codeVersion: number;
  packageBytes: number;
  events: FunctionConfig['events'];
  instances: InstanceSnapshot[];
}
