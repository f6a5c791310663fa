// POST /2015-03-31/functions/{name}/invocations: the Invoke operation as the AWS SDK and CLI send it.
// Written on plain node:http: it is the Lambda API's hot path and is served without express's layers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { functionNotFoundMessage } from '../types/arn.js';
import type { InvocationService } from '../types/service.js';
import type { InvocationSource } from '../types/runtime.js';
import { isColdstartError } from '../types/errors.js';
import { readBody } from '../http/read-body.js';
import { sendLambdaError, sendNotFound, sendValidationError } from './errors.js';
import { functionNameFrom, functionNameProblem } from './function-name.js';

/** 6 MB synchronous payload limit (Lambda quotas: 6 MB request and response). */
export const SYNC_PAYLOAD_LIMIT = 6_291_456;
/** 1 MB asynchronous payload limit. */
export const ASYNC_PAYLOAD_LIMIT = 1_048_576;
/** Tail returns the last 4 KB of the log. */
const TAIL_BYTES = 4096;

function decodeClientContext(header: string | undefined): unknown {
  if (!header) return undefined;
  try {
    return JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

function tail(lines: string[]): string {
  const buf = Buffer.from(lines.join('\n') + '\n', 'utf8');
  return (buf.length > TAIL_BYTES ? buf.subarray(buf.length - TAIL_BYTES): buf).toString('base64');
}

// As express would match `/2015-03-31/functions/:name/invocations`: any case, an optional trailing slash.
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/?]+)\/invocations\/?(?:\?|$)/i;

/** The raw (still percent-encoded) function name when `req` is an Invoke call, else null. */
export function invokeTarget(req: IncomingMessage): string | null {
  if (req.method !== 'POST') return null;
  return INVOKE_PATH.exec(req.url ?? '')?.[1] ?? null;
}

/** Builds the Invoke handler over an invocation service in `region()`; `source` is `lambda-api`. */
export function invokeHandler(service: InvocationService, region: () => string, source: InvocationSource = 'lambda-api') {
  return async (req: IncomingMessage, res: ServerResponse, rawName: string): Promise<void> => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(rawName);
    } catch {
      decoded = rawName;
    }
    const problem = functionNameProblem(decoded);
    if (problem) {
      req.resume();
      sendValidationError(res, problem);
      return;
    }
    const name = functionNameFrom(decoded);
    const fn = service.findFunction(name);
    if (!fn) {
      req.resume();
      sendNotFound(res, functionNotFoundMessage(region(), name));
      return;
    }
    const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    if (type !== 'RequestResponse' && type !== 'Event' && type !== 'DryRun') {
      req.resume();
      sendLambdaError(res, 400, 'InvalidParameterValueException', `Unsupported InvocationType: ${type}`);
      return;
    }
    const limit = type === 'Event' ? ASYNC_PAYLOAD_LIMIT: SYNC_PAYLOAD_LIMIT;
    const read = await readBody(req, limit);
    if (!read.ok) {
      // A client that went away mid-body gets no answer; one over the limit gets Lambda's 413.
      if (read.reason === 'too-large') {
        sendLambdaError(res, 413, 'RequestEntityTooLargeException', `Request must be smaller than ${limit} bytes for the InvokeFunction operation`);
      }
      return;
    }
    const body = read.body;
    const payloadJson = body.length === 0 ? '{}': body.toString('utf8');
    try {
      JSON.parse(payloadJson);
    } catch (err) {
      sendLambdaError(res, 400, 'InvalidRequestContentException', `Could not parse request body into json: ${(err as Error).message}`);
      return;
    }
    if (type === 'DryRun') {
      res.writeHead(204).end();
      return;
    }
    const request = { functionName: fn.name, payloadJson, source, clientContext: decodeClientContext(req.headers['x-amz-client-context'] as string | undefined) };
    try {
      if (type === 'Event') {
        const { requestId } = service.invokeAsync(request);
        res.writeHead(202, { 'x-amzn-RequestId': requestId }).end();
        return;
      }
      const result = await service.invoke(request);
      if (result.status === 'throttled') {
        res.setHeader('Retry-After', '1');
        sendLambdaError(res, 429, 'TooManyRequestsException', 'Rate Exceeded.', { Reason: result.reason });
        return;
      }
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        'X-Amz-Executed-Version': '$LATEST',
        'x-amzn-RequestId': result.requestId,
      };
      if (result.outcome !== 'success') headers['X-Amz-Function-Error'] = 'Unhandled';
      if (req.headers['x-amz-log-type'] === 'Tail') headers['X-Amz-Log-Result'] = tail(result.logLines);
      res.writeHead(200, headers).end(result.payloadJson);
    } catch (err) {
      if (isColdstartError(err) && err.code === 'FUNCTION_NOT_FOUND') sendNotFound(res, err.message);
      else sendLambdaError(res, 500, 'ServiceException', (err as Error).message);
    }
  };
}
