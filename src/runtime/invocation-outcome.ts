// What an invocation's end means to its caller: the outcome, the error payload (the function's
// own, or the runtime's for a timeout, out of memory or a crash), the payload the caller receives
// and the duration REPORT shows.
import type { LocalTiming } from '../types/events.js';
import type { FunctionErrorPayload, InvocationOutcome } from '../types/runtime.js';
import { failureErrorType, type EnvironmentFailure } from './environment-death.js';
import { localTiming } from './modelled-time.js';
import { timeoutMessage } from '../types/log-lines.js';
import type { InvokeResult } from './worker/protocol.js';

/** How the work of one invocation ended, before it means anything to the caller. */
export type InvocationEnd =
  /** The handler returned (or threw); `timedOut` when its modelled run passed the timeout. */
  | { kind: 'returned'; result: InvokeResult; timedOut: boolean; durationMs: number }
  /** The environment did not return: a timeout, out of memory, a crash (of the handler or of a re-run init). */
  | { kind: 'failed'; failure: EnvironmentFailure }
  /** The init phase failed with an error: the function cannot run. */
  | { kind: 'init-error'; error: FunctionErrorPayload }
  /** Nothing ran (no environment). */
  | { kind: 'skipped' };

/** An invocation's result as the caller and REPORT see it. */
export interface SettledInvocation {
  outcome: InvocationOutcome;
  error?: FunctionErrorPayload;
  payloadJson: string;
  durationMs: number;
  /** A runtime line after the handler's (the timeout message). */
  extraLine?: string;
  /** Local CPU and wall time of the handler run, when it ran. */
  measured?: LocalTiming;
}

/** What settling needs besides the end itself. */
export interface SettleContext {
  requestId: string;
  /** The function's timeout, seconds. */
  timeoutSeconds: number;
  memorySizeMb: number;
  /** Time since the invocation started, ms (the duration of one that failed early). */
  elapsedMs: () => number;
}

/** Maps how an invocation ended to its outcome, error, payload and duration. */
export function settleInvocation(end: InvocationEnd, ctx: SettleContext): SettledInvocation {
  let outcome: InvocationOutcome = 'success';
  let error: FunctionErrorPayload | undefined;
  let payloadJson = 'null';
  let durationMs = 0;
  let measured: LocalTiming | undefined;
  if (end.kind === 'returned') {
    measured = localTiming(end.result);
    if (end.timedOut) outcome = 'timeout';
    else {
      durationMs = end.durationMs;
      if (end.result.error) {
        outcome = 'error';
        error = end.result.error;
      } else payloadJson = end.result.resultJson ?? 'null';
    }
  } else if (end.kind === 'failed') {
    ({ outcome, error } = failureError(end.failure, ctx.requestId, ctx.memorySizeMb));
  } else if (end.kind === 'init-error') {
    outcome = 'error';
    error = end.error;
  }
  let extraLine: string | undefined;
  if (outcome === 'timeout') {
    durationMs = ctx.timeoutSeconds * 1000;
    error = { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${ctx.requestId} Error: ${timeoutMessage(ctx.timeoutSeconds)}`, trace: [] };
    extraLine = `${new Date().toISOString()} ${ctx.requestId} ${timeoutMessage(ctx.timeoutSeconds)}`;
  } else if (outcome !== 'success' && durationMs === 0) {
    durationMs = ctx.elapsedMs();
  }
  if (error) payloadJson = JSON.stringify(error);
  return { outcome, error, payloadJson, durationMs, extraLine, measured };
}

/** The outcome and error payload of an environment that did not return (timeout, OOM, exit, crash). */
export function failureError(f: EnvironmentFailure, requestId: string, memorySizeMb: number): { outcome: InvocationOutcome; error?: FunctionErrorPayload } {
  if (f.kind === 'timeout') return { outcome: 'timeout' };
  if (f.kind === 'oom') {
    return {
      outcome: 'oom',
      error: {
        errorType: failureErrorType(f),
        errorMessage:
          f.usedMb === undefined
            ? `RequestId: ${requestId} Error: Runtime exited with error: memory in use (heap and Buffers) exceeded the function's memorySize of ${memorySizeMb} MB`
            : `RequestId: ${requestId} Error: Runtime exited with error: memory in use (heap and Buffers) reached ${Math.ceil(f.usedMb)} MB, over the function's memorySize of ${memorySizeMb} MB`,
        trace: [],
      },
    };
  }
  return { outcome: 'crash', error: { errorType: failureErrorType(f), errorMessage: `RequestId: ${requestId} Error: ${f.message}`, trace: [] } };
}
