// Assembles what one finished invocation produced: its REPORT line, its CloudWatch-style log,
// the `invoke.end` event and the result the front ends answer with.
import type { FunctionConfig, InitType } from '../types/config.js';
import type { InvokeEndEvent, LocalTiming } from '../types/events.js';
import type { FunctionErrorPayload, InvocationCompleted, InvocationOutcome } from '../types/runtime.js';
import { billedDurationMs } from '../model/cold-start.js';
import { endLine, reportLine, startLine } from '../types/log-lines.js';
import type { ThreadFailure } from './thread.js';

/** Everything known about an invocation once it ended. */
export interface CompletionInput {
  fn: FunctionConfig;
  instanceId: string;
  requestId: string;
  cold: boolean;
  outcome: InvocationOutcome;
  error?: FunctionErrorPayload;
  payloadJson: string;
  durationMs: number;
  initDurationMs?: number;
  /** How the instance was created; provisioned instances do not bill their init. */
  initType?: InitType;
  maxMemoryUsedMb: number;
  /** INIT_REPORT lines that precede START. */
  preLines: string[];
  /** The handler's console lines. */
  handlerLines: string[];
  /** A runtime line after the handler's (the timeout message). */
  extraLine?: string;
  /** Local CPU and wall time of the handler run, when it ran. */
  measured?: LocalTiming;
}

/** The `invoke.end` event and the invocation result for one finished invocation. */
export function buildCompletion(i: CompletionInput, now = Date.now()): { event: InvokeEndEvent; result: InvocationCompleted } {
  const billed = billedDurationMs(i.durationMs, i.initDurationMs, i.initType);
  const maxMemoryUsedMb = Math.ceil(i.maxMemoryUsedMb);
  const report = reportLine({
    requestId: i.requestId,
    durationMs: i.durationMs,
    billedDurationMs: billed,
    memorySizeMb: i.fn.memorySize,
    maxMemoryUsedMb,
    initDurationMs: i.initDurationMs,
    outcome: i.outcome,
    errorType: i.error?.errorType,
  });
  const logLines = [...i.preLines, startLine(i.requestId), ...i.handlerLines];
  if (i.extraLine) logLines.push(i.extraLine);
  logLines.push(endLine(i.requestId), report);
  const init = i.initDurationMs !== undefined ? { initDurationMs: i.initDurationMs } : {};
  const common = {
    function: i.fn.name,
    instanceId: i.instanceId,
    requestId: i.requestId,
    cold: i.cold,
    durationMs: i.durationMs,
    billedDurationMs: billed,
    ...init,
    maxMemoryUsedMb,
    memorySizeMb: i.fn.memorySize,
    outcome: i.outcome,
  };
  return {
    event: {
      type: 'invoke.end',
      time: now,
      ...common,
      report,
      ...(i.error ? { errorType: i.error.errorType, errorMessage: i.error.errorMessage } : {}),
      ...(i.measured ? { measured: i.measured } : {}),
    },
    result: { status: 'completed', ...common, payloadJson: i.payloadJson, ...(i.error ? { error: i.error } : {}), logLines },
  };
}

/** The error type a thread's failure (other than a timeout) is reported with. */
export function failureErrorType(f: Exclude<ThreadFailure, { kind: 'timeout' }>): string {
  return f.kind === 'oom' ? 'Runtime.OutOfMemory' : f.errorType;
}

/** The outcome and error payload of a thread that did not return (timeout, OOM, exit, crash). */
export function threadFailureError(f: ThreadFailure, requestId: string, memorySizeMb: number): { outcome: InvocationOutcome; error?: FunctionErrorPayload } {
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
