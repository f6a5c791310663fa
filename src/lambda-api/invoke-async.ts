// POST /2014-11-13/functions/{name}/invoke-async/: the legacy InvokeAsync operation, which Lambda
// still answers. It queues an Event invocation and answers 202 with `{"Status": 202}`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../http/read-body.js';
import { functionNotFoundMessage } from '../types/arn.js';
import { isColdstartError } from '../types/errors.js';
import type { InvocationService } from '../types/service.js';
import { sendLambdaError, sendNotFound } from './errors.js';
import { functionNameFrom } from './function-name.js';
import { ASYNC_PAYLOAD_LIMIT } from './invoke.js';

const INVOKE_ASYNC_PATH = /^\/2014-11-13\/functions\/([^/?]+)\/invoke-async\/?(?:\?|$)/i;

/** The raw (still percent-encoded) function name when `req` is an InvokeAsync call, else null. */
export function invokeAsyncTarget(req: IncomingMessage): string | null {
  if (req.method !== 'POST') return null;
  return INVOKE_ASYNC_PATH.exec(req.url ?? '')?.[1] ?? null;
}

/** Builds the InvokeAsync handler over an invocation service in `region()`. */
export function invokeAsyncHandler(service: InvocationService, region: () => string) {
  return async (req: IncomingMessage, res: ServerResponse, rawName: string): Promise<void> => {
    let name: string;
    try {
      name = functionNameFrom(decodeURIComponent(rawName));
    } catch {
      req.resume();
      sendNotFound(res, functionNotFoundMessage(region(), rawName));
      return;
    }
    const fn = service.findFunction(name);
    if (!fn) {
      req.resume();
      sendNotFound(res, functionNotFoundMessage(region(), name));
      return;
    }
    const read = await readBody(req, ASYNC_PAYLOAD_LIMIT);
    if (!read.ok) {
      if (read.reason === 'too-large') {
        sendLambdaError(res, 413, 'RequestEntityTooLargeException', `Request must be smaller than ${ASYNC_PAYLOAD_LIMIT} bytes for the InvokeAsync operation`);
      }
      return;
    }
    const payloadJson = read.body.length === 0 ? '{}' : read.body.toString('utf8');
    try {
      JSON.parse(payloadJson);
    } catch (err) {
      sendLambdaError(res, 400, 'InvalidRequestContentException', `Could not parse request body into json: ${(err as Error).message}`);
      return;
    }
    try {
      const { requestId } = service.invokeAsync({ functionName: fn.name, payloadJson, source: 'lambda-api' });
      res.writeHead(202, { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId }).end('{"Status":202}');
    } catch (err) {
      if (isColdstartError(err) && err.code === 'FUNCTION_NOT_FOUND') sendNotFound(res, err.message);
      else sendLambdaError(res, 500, 'ServiceException', (err as Error).message);
    }
  };
}
