// Invoke, called in-process: what the Lambda Invoke API answers, as values instead of headers.
import { functionNotFoundMessage } from '../types/arn.js';
import { ColdstartError } from '../types/errors.js';
import type { InvocationService } from '../types/service.js';
import type { ThrottleReason } from '../types/runtime.js';
import { functionNameFrom } from '../lambda-api/function-name.js';
import { ASYNC_PAYLOAD_LIMIT, SYNC_PAYLOAD_LIMIT } from '../lambda-api/invoke.js';

/** Options of an invocation, named as the Invoke API's parameters. */
export interface InvokeOptions {
  /** `RequestResponse` (default) waits for the result; `Event` queues it (202); `DryRun` only checks (204). */
  invocationType?: 'RequestResponse' | 'Event' | 'DryRun';
  /** `Tail` returns the last 4 KB of the invocation's log in `logs`, as Lambda does. Default `None`. */
  logType?: 'None' | 'Tail';
  /** The client context handlers see as `context.clientContext`. */
  clientContext?: unknown;
}

/** What an invocation answered. */
export interface InvokeResult {
  /** 200 (ran), 202 (queued), 204 (dry run), 429 (throttled). */
  statusCode: number;
  requestId?: string;
  /** The handler's result; for a function error, `{ errorType, errorMessage, trace }`. */
  payload?: unknown;
  /** `Unhandled` when the function failed (threw, timed out, crashed, ran out of memory). */
  functionError?: 'Unhandled';
  /** The log's last 4 KB (START ... REPORT), with `logType: 'Tail'`. */
  logs?: string;
  /** Whether the invocation waited for a new instance's init. */
  cold?: boolean;
  /** `Init Duration` of a cold invocation, ms. */
  initDurationMs?: number;
  /** `Duration`, ms. */
  durationMs?: number;
  /** Why Lambda refused it, when throttled (429). */
  throttleReason?: ThrottleReason;
}

/** Lambda's `LogResult`: the last 4 KB of the log. */
const TAIL_BYTES = 4096;

function eventJson(payload: unknown): string {
  if (payload === undefined) return '{}';
  if (payload instanceof Uint8Array) {
    const text = Buffer.from(payload).toString('utf8');
    try {
      JSON.parse(text);
    } catch (err) {
      throw new ColdstartError('INVALID_ARGUMENT', `the payload bytes are not JSON: ${(err as Error).message}`);
    }
    return text;
  }
  const text = JSON.stringify(payload);
  if (text === undefined) throw new ColdstartError('INVALID_ARGUMENT', `the payload cannot be sent as JSON (${typeof payload})`);
  return text;
}

function tail(lines: string[]): string {
  const buf = Buffer.from(lines.join('\n') + '\n', 'utf8');
  return (buf.length > TAIL_BYTES ? buf.subarray(buf.length - TAIL_BYTES) : buf).toString('utf8');
}

/**
 * Invokes `name` (short or deployed name, or an ARN) with `payload` (any JSON value; bytes are sent as they
 * are). Throws ColdstartError FUNCTION_NOT_FOUND for an unknown function.
 */
export async function invokeFunction(
  service: InvocationService,
  region: string,
  name: string,
  payload: unknown,
  options: InvokeOptions = {},
): Promise<InvokeResult> {
  const fn = service.findFunction(functionNameFrom(name));
  if (!fn) throw new ColdstartError('FUNCTION_NOT_FOUND', functionNotFoundMessage(region, name));
  const type = options.invocationType ?? 'RequestResponse';
  if (type !== 'RequestResponse' && type !== 'Event' && type !== 'DryRun') {
    throw new ColdstartError('INVALID_ARGUMENT', `invocationType must be RequestResponse, Event or DryRun, got ${JSON.stringify(type)}`);
  }
  const payloadJson = eventJson(payload);
  const limit = type === 'Event' ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
  if (Buffer.byteLength(payloadJson) > limit) {
    throw new ColdstartError('INVALID_ARGUMENT', `the payload is ${Buffer.byteLength(payloadJson)} bytes; Lambda accepts at most ${limit} for ${type}`);
  }
  if (type === 'DryRun') return { statusCode: 204 };
  const request = { functionName: fn.name, payloadJson, source: 'lambda-api' as const, clientContext: options.clientContext };
  if (type === 'Event') return { statusCode: 202, requestId: service.invokeAsync(request).requestId };
  const result = await service.invoke(request);
  if (result.status === 'throttled') return { statusCode: 429, requestId: result.requestId, throttleReason: result.reason };
  return {
    statusCode: 200,
    requestId: result.requestId,
    payload: JSON.parse(result.payloadJson),
    ...(result.outcome === 'success' ? {} : { functionError: 'Unhandled' as const }),
    ...(options.logType === 'Tail' ? { logs: tail(result.logLines) } : {}),
    cold: result.cold,
    ...(result.initDurationMs !== undefined ? { initDurationMs: result.initDurationMs } : {}),
    durationMs: result.durationMs,
  };
}
