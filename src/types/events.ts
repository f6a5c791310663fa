// The lifecycle events: one union, published on the bus and streamed to the console.
import type { InitType } from './config.js';
import type { InvocationFigures, InvocationSource, RetireReason, ThrottleReason } from './runtime.js';

/** What one init phase or invocation really took on this machine, before the model (ms). */
export interface LocalTiming {
  cpuMs: number;
  wallMs: number;
  /** Time the thread waited for a CPU of this machine. */
  queuedMs: number;
}

interface Base {
  /** ms since epoch */
  time: number;
}

/** An execution environment starts its init phase. */
export interface InitStartEvent extends Base {
  type: 'instance.init.start';
  function: string;
  instanceId: string;
  initType: InitType;
  codeVersion: number;
}

/** An init phase ended (successfully or not). */
export interface InitEndEvent extends Base {
  type: 'instance.init.end';
  function: string;
  instanceId: string;
  /** Init Duration as REPORT shows it. */
  initDurationMs: number;
  /** Wall time the handler module really took to load here. */
  measuredMs: number;
  /** Init Duration the model targeted (runtime base + scaled CPU + non-CPU time). */
  modelledMs: number;
  /** Platform delay waited before init (not part of Init Duration). */
  platformDelayMs: number;
  packageBytes: number;
  /** Set when packageBytes is still the fast estimate (the zipped size was being measured). */
  packageSizeEstimated?: true;
  error?: string;
  /** The local CPU and wall time of the init phase (what calibration reads). */
  measured?: LocalTiming;
}

/** An invocation starts running on an instance. */
export interface InvokeStartEvent extends Base {
  type: 'invoke.start';
  function: string;
  instanceId: string;
  requestId: string;
  cold: boolean;
  source: InvocationSource;
}

/** An invocation ended. */
export interface InvokeEndEvent extends Base, InvocationFigures {
  type: 'invoke.end';
  /** The REPORT line, for the console. */
  report: string;
  errorType?: string;
  errorMessage?: string;
  /** The local CPU and wall time of the handler run (what calibration reads). */
  measured?: LocalTiming;
}

/** An invocation was refused for lack of concurrency. */
export interface InvokeThrottledEvent extends Base {
  type: 'invoke.throttled';
  function: string;
  requestId: string;
  reason: ThrottleReason;
  source: InvocationSource;
}

/** An instance left service. */
export interface InstanceRetiredEvent extends Base {
  type: 'instance.retired';
  function: string;
  instanceId: string;
  reason: RetireReason;
}

/** New code was picked up. */
export interface CodeReloadedEvent extends Base {
  type: 'code.reloaded';
  functions: string[];
  codeVersion: number;
  files: string[];
}

/** A line the handler (or the runtime on its behalf) wrote. */
export interface LogEvent extends Base {
  type: 'log';
  function: string;
  instanceId?: string;
  requestId?: string;
  /** INFO, WARN, ERROR, DEBUG, TRACE for handler lines; PLATFORM for lines the runtime writes (INIT_REPORT, timeouts). */
  level: string;
  message: string;
}

/** The gateway answered a request. */
export interface GatewayResponseEvent extends Base {
  type: 'gateway.response';
  function?: string;
  requestId?: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
}

/** Any lifecycle event. */
export type LifecycleEvent =
  | InitStartEvent
  | InitEndEvent
  | InvokeStartEvent
  | InvokeEndEvent
  | InvokeThrottledEvent
  | InstanceRetiredEvent
  | CodeReloadedEvent
  | LogEvent
  | GatewayResponseEvent;

/** The `type` field of any lifecycle event. */
export type LifecycleEventType = LifecycleEvent['type'];
