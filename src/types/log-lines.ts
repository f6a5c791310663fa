// CloudWatch log lines of one invocation: START/END use spaces, REPORT is
// tab separated and ends with a tab.
import type { InvocationOutcome } from './runtime.js';

/** `START RequestId: <id> Version: $LATEST` */
export function startLine(requestId: string): string {
  return `START RequestId: ${requestId} Version: $LATEST`;
}

/** `END RequestId: <id>` */
export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

/** A handler's console line: `<ISO time>\t<id>\t<LEVEL>\t<message>`. */
export function handlerLine(time: number, requestId: string | undefined, level: string, message: string): string {
  return `${new Date(time).toISOString()}\t${requestId ?? 'undefined'}\t${level}\t${message}`;
}

/** Fields of a REPORT line. */
export interface ReportFields {
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
  outcome: InvocationOutcome;
  errorType?: string;
}

/** The REPORT line, with `Status:` suffixes for timeouts and fatal errors as Lambda adds them. */
export function reportLine(f: ReportFields): string {
  let line =
    `REPORT RequestId: ${f.requestId}\tDuration: ${f.durationMs.toFixed(2)} ms\tBilled Duration: ${f.billedDurationMs} ms\t` +
    `Memory Size: ${f.memorySizeMb} MB\tMax Memory Used: ${Math.ceil(f.maxMemoryUsedMb)} MB\t`;
  if (f.initDurationMs !== undefined) line += `Init Duration: ${f.initDurationMs.toFixed(2)} ms\t`;
  if (f.outcome === 'timeout') line += 'Status: timeout\t';
  else if (f.outcome === 'oom' || f.outcome === 'crash') line += `Status: error\tError Type: ${f.errorType ?? 'Runtime.ExitError'}\t`;
  return line;
}

/** `INIT_REPORT Init Duration: N ms\tPhase: init|invoke\tStatus: timeout|error[\tError Type: T]` */
export function initReportLine(initDurationMs: number, phase: 'init' | 'invoke', status: 'timeout' | 'error', errorType?: string): string {
  const tail = status === 'error' && errorType ? `\tError Type: ${errorType}`: '';
  return `INIT_REPORT Init Duration: ${initDurationMs.toFixed(2)} ms\tPhase: ${phase}\tStatus: ${status}${tail}`;
}

/** The timeout message of the current runtime: `Task timed out after 3.00 seconds`. */
export function timeoutMessage(timeoutSeconds: number): string {
  return `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}
